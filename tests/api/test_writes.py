"""One read per write: a PATCH, PUT, DELETE or action reads its record once, under the row lock, checks If-Match
against that read, and reads it once more for the answer (erp_mif.api.views)."""

import re
import threading

import pytest
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from erp_mif.accounts.choices import Role
from interventions.models import Intervention
from tests.clients.factories import ClientFactory

pytestmark = pytest.mark.django_db

INTERVENTION = "/api/v1/interventions/{pk}/"
TABLE = Intervention._meta.db_table
# Pinned from the SQL each write sends (savepoints included): one locked read of the row (+ its technicians),
# the write itself, the history event, one read for the answer (+ its technicians).
PATCH_QUERIES = 10
ACTION_QUERIES = 10
DELETE_QUERIES = 10


def reads_of(context: CaptureQueriesContext, table: str) -> list[str]:
    """The SELECTs whose main table is `table` (joins and prefetches of other tables are not reads of it)."""
    main_table = re.compile(rf'^SELECT .*? FROM "{table}"(\s|$)', re.DOTALL)  # noqa: S608 - reads SQL, runs none
    return [query["sql"] for query in context.captured_queries if main_table.match(query["sql"])]


def assert_read_once_then_answered(context: CaptureQueriesContext, *, answered: bool = True) -> None:
    reads = reads_of(context, TABLE)
    assert len(reads) == (2 if answered else 1), reads
    if connection.vendor == "postgresql":
        assert reads[0].endswith(f'FOR UPDATE OF "{TABLE}"'), reads[0]
        assert "FOR UPDATE" not in reads[-1] or not answered


@pytest.fixture
def api(make_client):
    return make_client(Role.MANAGER)


def test_a_patch_reads_its_record_once_locked_and_once_for_the_answer(
    api, make_intervention, django_assert_num_queries
):
    intervention = make_intervention(status="scheduled")

    with CaptureQueriesContext(connection) as context, django_assert_num_queries(PATCH_QUERIES):
        response = api.patch(INTERVENTION.format(pk=intervention.pk), {"title": "Nouveau titre"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Nouveau titre"
    assert_read_once_then_answered(context)


def test_an_action_reads_its_record_once_locked_and_once_for_the_answer(
    api, make_intervention, django_assert_num_queries
):
    intervention = make_intervention(status="scheduled")

    with CaptureQueriesContext(connection) as context, django_assert_num_queries(ACTION_QUERIES):
        response = api.post(INTERVENTION.format(pk=intervention.pk) + "start/", format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_progress"
    assert_read_once_then_answered(context)


def test_a_delete_reads_its_record_once_locked(api, make_intervention, django_assert_num_queries):
    intervention = make_intervention()

    with CaptureQueriesContext(connection) as context, django_assert_num_queries(DELETE_QUERIES):
        response = api.delete(INTERVENTION.format(pk=intervention.pk))

    assert response.status_code == 204, response.content
    assert_read_once_then_answered(context, answered=False)
    assert not Intervention.objects.filter(pk=intervention.pk).exists()


def test_a_delete_with_a_stale_if_match_is_refused_and_deletes_nothing(api, make_intervention):
    intervention = make_intervention()
    stale = api.get(INTERVENTION.format(pk=intervention.pk))["ETag"]
    api.patch(INTERVENTION.format(pk=intervention.pk), {"title": "Changé entre-temps"}, format="json")

    response = api.delete(INTERVENTION.format(pk=intervention.pk), HTTP_IF_MATCH=stale)

    assert response.status_code == 412, response.content
    assert response.json()["code"] == "precondition_failed"
    assert Intervention.objects.filter(pk=intervention.pk).exists()


def test_a_delete_with_the_current_if_match_deletes(api, make_intervention):
    intervention = make_intervention()
    current = api.get(INTERVENTION.format(pk=intervention.pk))["ETag"]

    response = api.delete(INTERVENTION.format(pk=intervention.pk), HTTP_IF_MATCH=current)

    assert response.status_code == 204, response.content


def test_an_action_with_a_stale_if_match_is_refused_and_changes_nothing(api, make_intervention):
    intervention = make_intervention(status="scheduled")
    stale = api.get(INTERVENTION.format(pk=intervention.pk))["ETag"]
    api.patch(INTERVENTION.format(pk=intervention.pk), {"title": "Changé entre-temps"}, format="json")

    response = api.post(INTERVENTION.format(pk=intervention.pk) + "start/", format="json", HTTP_IF_MATCH=stale)

    assert response.status_code == 412, response.content
    intervention.refresh_from_db()
    assert intervention.status == "scheduled"
    assert not intervention.events.filter(action="started").exists()


def test_a_write_that_fails_after_its_service_ran_leaves_nothing_behind(api, monkeypatch):
    """The whole request is one transaction: a failure anywhere, even while reading the answer, rolls it back."""
    client = ClientFactory(city="Rabat")

    def answer_unavailable(self, instance):
        raise RuntimeError("the answer cannot be read")

    monkeypatch.setattr("clients.api.views.ClientViewSet.reread", answer_unavailable)
    response = api.patch(f"/api/v1/clients/{client.pk}/", {"city": "Fès"}, format="json")

    assert response.status_code == 500
    client.refresh_from_db()
    assert client.city == "Rabat"


def test_the_filters_of_the_list_do_not_hide_the_record_a_write_names(api):
    client = ClientFactory(name="Atlas")

    response = api.patch(f"/api/v1/clients/{client.pk}/?search=zzz&is_active=false", {"city": "Fès"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["city"] == "Fès"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_writers_with_the_same_if_match_one_wins_the_other_is_told_it_changed(make_client):
    """The If-Match check happens under the row lock: the second writer waits, then sees the first's change."""
    client = ClientFactory()
    url = f"/api/v1/clients/{client.pk}/"
    etag = make_client(Role.MANAGER).get(url)["ETag"]
    barrier = threading.Barrier(2)
    statuses = []

    def write(city):
        try:
            api = make_client(Role.MANAGER)
            barrier.wait()
            statuses.append(api.patch(url, {"city": city}, format="json", HTTP_IF_MATCH=etag).status_code)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=write, args=(city,)) for city in ("Rabat", "Tanger")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 412]
