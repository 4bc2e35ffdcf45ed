import pytest

from erp_mif.accounts.choices import Role
from tests.equipment.factories import EquipmentFactory
from tests.interventions.factories import InterventionFactory
from tests.technicians.factories import TechnicianFactory

pytestmark = pytest.mark.django_db


def _url(equipment):
    return f"/api/v1/equipment/{equipment.pk}/interventions/"


def test_history_of_a_machine_is_paginated_newest_first(make_client, make_intervention):
    equipment = EquipmentFactory()
    older = make_intervention(client=equipment.client, equipment=equipment, status="completed")
    newer = make_intervention(client=equipment.client, equipment=equipment)
    make_intervention()  # another machine

    body = make_client(Role.VIEWER).get(_url(equipment)).json()

    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [newer.pk, older.pk]


def test_a_technician_sees_only_his_part_of_the_history(make_client, make_intervention):
    client = make_client(Role.TECHNICIAN)
    equipment = EquipmentFactory()
    mine = make_intervention(
        client=equipment.client,
        equipment=equipment,
        status="scheduled",
        technicians=[TechnicianFactory(user=client.user)],
    )
    make_intervention(client=equipment.client, equipment=equipment, status="scheduled")

    body = client.get(_url(equipment)).json()

    assert [row["id"] for row in body["results"]] == [mine.pk]


def test_equipment_filters_do_not_leak_into_the_history(make_client, make_intervention):
    equipment = EquipmentFactory(status="operational")
    make_intervention(client=equipment.client, equipment=equipment)

    body = make_client(Role.VIEWER).get(_url(equipment), {"status": "retired"}).json()

    assert body["count"] == 1


def test_history_runs_a_constant_number_of_queries(make_client, django_assert_max_num_queries):
    client = make_client(Role.VIEWER)
    equipment = EquipmentFactory()

    def add(count):
        for _ in range(count):
            InterventionFactory(client=equipment.client, equipment=equipment, technicians=[TechnicianFactory()])

    add(3)
    with django_assert_max_num_queries(4) as few:
        client.get(_url(equipment))
    add(9)
    with django_assert_max_num_queries(4) as more:
        client.get(_url(equipment))
    assert len(few.captured_queries) == len(more.captured_queries)
