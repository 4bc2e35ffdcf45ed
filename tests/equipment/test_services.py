import pytest

from clients.models import Site
from equipment import services
from equipment.models import Equipment
from erp_mif.core.errors import ApplicationError
from tests.clients.factories import ClientFactory, SiteFactory
from tests.equipment.factories import EquipmentFactory

pytestmark = pytest.mark.django_db


def test_create_checks_the_site_as_it_is_now_not_as_first_read():
    """A site moved to another client after the request read it is refused (it is re-read under lock)."""
    site = SiteFactory()
    stale_site = Site.objects.get(pk=site.pk)
    Site.objects.filter(pk=site.pk).update(client=ClientFactory())

    with pytest.raises(ApplicationError) as refused:
        services.equipment_create(serial_number="SN-1", name="Compresseur", client=site.client, site=stale_site)

    assert set(refused.value.errors) == {"site"}
    assert not Equipment.objects.exists()


def test_create_refuses_a_site_deleted_meanwhile():
    site = SiteFactory()
    Site.objects.filter(pk=site.pk).delete()

    with pytest.raises(ApplicationError) as refused:
        services.equipment_create(serial_number="SN-1", name="Compresseur", client=site.client, site=site)

    assert set(refused.value.errors) == {"site"}


def test_update_checks_the_site_against_the_new_client():
    equipment = EquipmentFactory(site=SiteFactory())

    with pytest.raises(ApplicationError) as refused:
        services.equipment_update(equipment=equipment, client=ClientFactory())

    assert set(refused.value.errors) == {"site"}


def test_update_may_clear_the_site():
    equipment = EquipmentFactory(site=SiteFactory())

    services.equipment_update(equipment=equipment, site=None)

    assert Equipment.objects.get(pk=equipment.pk).site is None
