import threading

import pytest
from django.db import IntegrityError, connection

from clients import services
from clients.models import Client, Site
from erp_mif.core.errors import ApplicationError
from tests.clients.factories import ClientFactory, SiteFactory


@pytest.mark.parametrize(("number", "reference"), [(1, "CLI-00001"), (99999, "CLI-99999"), (123456, "CLI-123456")])
def test_reference_has_five_digits_and_more_when_needed(number, reference):
    assert services.format_reference(number) == reference


@pytest.mark.django_db
def test_client_create_numbers_clients_in_order():
    first = services.client_create(name="A")
    second = services.client_create(name="B")

    assert first.reference == "CLI-00001"
    assert second.reference == "CLI-00002"


@pytest.mark.django_db
def test_a_refused_create_gives_its_number_back():
    services.client_create(name="A", ice="001234567000089")
    with pytest.raises(ApplicationError) as refused:
        services.client_create(name="B", ice="001234567000089")

    assert set(refused.value.errors) == {"ice"}
    assert services.client_create(name="C").reference == "CLI-00002"


@pytest.mark.django_db
def test_save_unique_does_not_hide_other_integrity_errors():
    """A broken check constraint is a bug to see, not a duplicate to report."""
    with pytest.raises(IntegrityError):
        services.client_create(name="A", country="ma")


@pytest.mark.django_db
def test_a_site_for_a_client_deleted_meanwhile_is_refused_on_client():
    client = ClientFactory()
    Client.objects.filter(pk=client.pk).delete()

    with pytest.raises(ApplicationError) as refused:
        services.site_create(client=client, name="Entrepôt")

    assert refused.value.status_code == 400
    assert set(refused.value.errors) == {"client"}
    assert not Site.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_reference_committed_after_the_protect_check_still_blocks_the_delete(monkeypatch):
    """The foreign key catches what PROTECT could not see yet: 409 protected, nothing deleted."""
    site = SiteFactory()
    client = site.client
    # As if the site were committed by another request between PROTECT's check and the DELETE.
    monkeypatch.setattr(Client, "delete", lambda self: Client.objects.filter(pk=self.pk)._raw_delete("default"))

    with pytest.raises(ApplicationError) as refused:
        services.client_delete(client=client)

    assert refused.value.code == "protected"
    assert refused.value.status_code == 409
    assert Client.objects.filter(pk=client.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_get_unique_references():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write: only PostgreSQL really runs these creates at once")
    workers, references, errors = 8, [], []
    start = threading.Barrier(workers)

    def create(n):
        try:
            start.wait()
            references.append(services.client_create(name=f"Client {n}").reference)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(references) == [services.format_reference(n) for n in range(1, workers + 1)]
