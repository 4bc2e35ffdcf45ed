import factory
from django.utils import timezone

from interventions.choices import IntervalUnit
from interventions.models import Intervention, MaintenancePlan
from tests.clients.factories import ClientFactory
from tests.equipment.factories import EquipmentFactory


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
