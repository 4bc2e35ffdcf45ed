"""The write helpers every service shares: row locks read once, named locks, deletes refused while referenced."""

import threading
import time

import pytest
from django.db import close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext

from clients import services
from clients.models import Client
from erp_mif.core.errors import ApplicationError
from erp_mif.core.writes import delete_unreferenced, locked, mark_locked
from technicians.models import Technician
from tests.clients.factories import ClientFactory
from tests.technicians.factories import TechnicianFactory

pytestmark = pytest.mark.django_db


def test_an_instance_read_locked_in_this_transaction_is_trusted_once():
    client = ClientFactory()
    with transaction.atomic():
        read = mark_locked(Client.objects.select_for_update().get(pk=client.pk))
        with CaptureQueriesContext(connection) as first:
            assert locked(read) is read
        with CaptureQueriesContext(connection) as second:
            again = locked(read)

    assert len(first) == 0
    assert len(second) == 1  # handed on a second time: read again, under the lock
    assert again is not read
    assert again.pk == read.pk


def test_a_lock_on_fewer_rows_than_the_service_needs_is_not_trusted():
    technician = TechnicianFactory()
    with transaction.atomic():
        read = mark_locked(Technician.objects.select_for_update().get(pk=technician.pk))  # its own row only
        with CaptureQueriesContext(connection) as queries:
            again = locked(read, Technician.objects.select_related("user"), of=("self", "user"))

    assert len(queries) == 1
    assert again is not read


def test_an_instance_that_was_not_read_locked_is_read_again_under_the_lock():
    client = ClientFactory()
    Client.objects.filter(pk=client.pk).update(name="Changé ailleurs")

    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        fresh = locked(client)

    assert len(queries) == 1
    assert fresh.name == "Changé ailleurs"
    if connection.vendor == "postgresql":
        assert "FOR UPDATE" in queries[0]["sql"]


@pytest.mark.django_db(transaction=True)  # real transactions: a test's own would span both blocks
def test_a_lock_taken_in_an_earlier_transaction_is_not_trusted():
    client = ClientFactory()
    with transaction.atomic():
        read = mark_locked(Client.objects.select_for_update().get(pk=client.pk))
    Client.objects.filter(pk=client.pk).update(name="Changé ailleurs")

    with transaction.atomic():
        assert locked(read).name == "Changé ailleurs"


postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_a_row_pointing_at_a_record_committed_while_it_is_deleted_makes_the_delete_a_409():
    """PROTECT sees the rows committed before the delete; the deferred foreign key catches the one committed
    during it, inside the caller's transaction (the API runs each write in one) instead of at its commit."""
    client = ClientFactory()
    site_locked_the_client = threading.Event()
    outcome = {}

    def add_a_site():
        try:
            with transaction.atomic():
                services.site_create(client=client, name="Dépôt")  # holds the client's row lock until commit
                site_locked_the_client.set()
                time.sleep(0.5)  # the delete's PROTECT check runs now, sees no site, and waits on the row
        finally:
            close_old_connections()
            connection.close()

    def delete_the_client():
        try:
            site_locked_the_client.wait(5)
            with transaction.atomic():
                delete_unreferenced(Client.objects.get(pk=client.pk))
                outcome["deleted"] = True
        except ApplicationError as exc:
            outcome["refused"] = exc.code
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=add_a_site), threading.Thread(target=delete_the_client)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcome == {"refused": "protected"}
    assert Client.objects.filter(pk=client.pk).exists()
