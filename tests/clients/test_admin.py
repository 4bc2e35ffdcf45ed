import re

import pytest
from django.test import Client as Browser

from clients.models import Client, Site
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory, SiteFactory
from tests.equipment.factories import EquipmentFactory

pytestmark = pytest.mark.django_db

CLIENTS = "/admin/clients/client/"
SITES = "/admin/clients/site/"
# session, user, his Django permissions (his own and his groups': the admin role is no superuser), page count,
# page, the city filter's values: whatever the number of rows.
CHANGELIST_QUERIES = 8


@pytest.fixture
def browser():
    """The back office, signed in as an administrator."""
    browser = Browser()
    browser.force_login(UserFactory(role="admin"))
    return browser


def _inline_management(prefix="sites", total=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0"}


@pytest.mark.parametrize("rows", [5, 10])
def test_client_changelist_shows_equipment_counts_in_bounded_queries(rows, browser, django_assert_max_num_queries):
    for client in ClientFactory.create_batch(rows):
        EquipmentFactory.create_batch(3, client=client)

    with django_assert_max_num_queries(CHANGELIST_QUERIES):
        response = browser.get(CLIENTS)

    assert response.status_code == 200
    assert len(re.findall(r'<td class="field-equipment_count">3</td>', response.content.decode())) == rows


def test_client_changelist_search_and_filter(browser):
    ClientFactory(name="Atlas Froid", city="Rabat")
    ClientFactory(name="Sahara Clim", city="Agadir")

    searched = browser.get(CLIENTS, {"q": "atlas"}).content.decode()
    filtered = browser.get(CLIENTS, {"city": "Agadir"}).content.decode()

    assert "Atlas Froid" in searched
    assert "Sahara Clim" not in searched
    assert "Sahara Clim" in filtered
    assert "Atlas Froid" not in filtered


def test_client_change_form_shows_the_reference_and_the_sites(browser):
    site = SiteFactory(name="Entrepôt nord")

    response = browser.get(f"{CLIENTS}{site.client_id}/change/")

    assert response.status_code == 200
    content = response.content.decode()
    assert site.client.reference in content
    assert "Entrepôt nord" in content
    assert 'name="reference"' not in content  # read-only


def test_client_add_form(browser):
    response = browser.get(f"{CLIENTS}add/")

    assert response.status_code == 200
    assert 'name="reference"' not in response.content.decode()


def test_adding_a_client_in_the_admin_generates_its_reference_and_saves_its_sites(browser):
    ClientFactory()  # takes CLI-00001
    form = {
        "name": "Atlas Froid",
        "country": "MA",
        "is_active": "on",
        **_inline_management(total=1),
        "sites-0-name": "Usine",
        "sites-0-city": "Casablanca",
        "sites-0-is_active": "on",
    }

    response = browser.post(f"{CLIENTS}add/", form)

    assert response.status_code == 302, response.content.decode()[:3000]
    client = Client.objects.get(name="Atlas Froid")
    assert client.reference == "CLI-00002"
    assert list(client.sites.values_list("name", flat=True)) == ["Usine"]


def test_the_admin_refuses_a_duplicate_ice(browser):
    ClientFactory(ice="001234567000089")
    form = {"name": "Doublon", "country": "MA", "ice": "001234567000089", **_inline_management()}

    response = browser.post(f"{CLIENTS}add/", form)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["ice"]
    assert not Client.objects.filter(name="Doublon").exists()


def test_editing_a_client_in_the_admin_keeps_its_reference(browser):
    client = ClientFactory(name="Avant")
    form = {"name": "Après", "country": "MA", "is_active": "on", **_inline_management()}

    response = browser.post(f"{CLIENTS}{client.pk}/change/", form)

    assert response.status_code == 302
    updated = Client.objects.get(pk=client.pk)
    assert (updated.name, updated.reference) == ("Après", client.reference)


@pytest.mark.parametrize("rows", [5, 10])
def test_site_changelist_runs_bounded_queries(rows, browser, django_assert_max_num_queries):
    SiteFactory.create_batch(rows)

    with django_assert_max_num_queries(CHANGELIST_QUERIES + 1):  # + the client city filter's values
        response = browser.get(SITES)

    assert response.status_code == 200


def test_site_search_change_and_add_forms(browser):
    site = SiteFactory(name="Entrepôt nord", client=ClientFactory(name="Atlas Froid"))
    SiteFactory(name="Atelier")

    searched = browser.get(SITES, {"q": "atlas"}).content.decode()

    assert "Entrepôt nord" in searched
    assert "Atelier" not in searched
    assert browser.get(f"{SITES}{site.pk}/change/").status_code == 200
    assert browser.get(f"{SITES}add/").status_code == 200


def test_site_admin_keeps_a_site_with_equipment_at_its_client(browser):
    equipment = EquipmentFactory(site=SiteFactory())
    other = ClientFactory()
    form = {"client": other.pk, "name": equipment.site.name, "is_active": "on"}

    response = browser.post(f"{SITES}{equipment.site_id}/change/", form)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["client"]
    assert Site.objects.get(pk=equipment.site_id).client_id == equipment.client_id


def test_client_autocomplete_for_other_admins(browser):
    ClientFactory(name="Atlas Froid")

    response = browser.get(
        "/admin/autocomplete/",
        {"app_label": "equipment", "model_name": "equipment", "field_name": "client", "term": "atlas"},
    )

    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == [str(Client.objects.get())]


def test_a_manager_uses_the_back_office_a_viewer_does_not():
    client = ClientFactory()
    manager, viewer = Browser(), Browser()
    manager.force_login(UserFactory(role="manager"))
    viewer.force_login(UserFactory(role="viewer"))

    assert manager.get(f"{CLIENTS}{client.pk}/change/").status_code == 200
    assert viewer.get(CLIENTS).status_code == 302  # to the login page
