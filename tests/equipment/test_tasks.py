from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from equipment.tasks import notify_warranty_expiring
from erp_mif.accounts.choices import Role
from notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.equipment.factories import EquipmentFactory

pytestmark = pytest.mark.django_db

TODAY = date(2027, 3, 1)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(timezone.make_aware(datetime(2027, 3, 1, 8, 0)), tick=False):
        yield


def test_warranty_notice_goes_once_per_equipment_and_end_date():
    staff = [UserFactory(role=Role.MANAGER), UserFactory(role=Role.ADMIN)]
    UserFactory(role=Role.VIEWER)
    ending = EquipmentFactory(warranty_end=TODAY + timedelta(days=30))
    EquipmentFactory(warranty_end=TODAY + timedelta(days=31))
    EquipmentFactory(warranty_end=TODAY - timedelta(days=1))
    EquipmentFactory(warranty_end=None)

    first = notify_warranty_expiring()
    second = notify_warranty_expiring()

    notes = Notification.objects.filter(kind="warranty_expiring")
    assert (first["equipment"], first["notifications"], second["notifications"]) == (1, 2, 0)
    assert sorted(n.user_id for n in notes) == sorted(user.pk for user in staff)
    assert all(n.data == {"equipment": ending.pk} for n in notes)


def test_a_new_warranty_end_is_notified_again():
    UserFactory(role=Role.MANAGER)
    equipment = EquipmentFactory(warranty_end=TODAY + timedelta(days=10))
    notify_warranty_expiring()
    equipment.warranty_end = TODAY + timedelta(days=20)
    equipment.save()

    assert notify_warranty_expiring()["notifications"] == 1
