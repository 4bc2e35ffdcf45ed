import factory
from django.utils import timezone

from erp_mif.accounts.choices import Role
from interventions.choices import IntervalUnit
from interventions.models import Intervention, MaintenancePlan
from tests.clients.factories import ClientFactory, SiteFactory
from tests.equipment.factories import EquipmentFactory
from tests.technicians.factories import TechnicianFactory, technician_profile


class InterventionFactory(factory.django.DjangoModelFactory):
    """A plain work order row (no service, no event): use the services to test the workflow."""

    class Meta:
        model = Intervention
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"INT-2000-{n + 1:05d}")
    title = factory.Sequence(lambda n: f"Intervention {n}")
    client = factory.SubFactory(ClientFactory)

    @factory.post_generation
    def technicians(self, create, extracted, **kwargs):
        if create and extracted:
            self.technicians.set(extracted)


class MaintenancePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaintenancePlan

    equipment = factory.SubFactory(EquipmentFactory)
    title = factory.Sequence(lambda n: f"Entretien {n}")
    interval_value = 1
    interval_unit = IntervalUnit.MONTH
    next_due_date = factory.LazyFunction(lambda: timezone.localdate())


def intervention_visible_to(user=None) -> Intervention:
    """A work order at a site, on equipment, with a technician: `user` himself when he is a technician.

    Without a user nobody is assigned to it, so no technician's scope holds it.
    """
    equipment = EquipmentFactory(site=SiteFactory())
    if user is None:
        technicians = []
    elif user.role == Role.TECHNICIAN:
        technicians = [technician_profile(user)]
    else:
        technicians = [TechnicianFactory()]
    return InterventionFactory(
        client=equipment.client, site=equipment.site, equipment=equipment, technicians=technicians
    )
