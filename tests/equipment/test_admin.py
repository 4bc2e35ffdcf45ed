import pytest
from django.test import Client as Browser

from equipment.models import Equipment
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory, SiteFactory
from tests.equipment.factories import EquipmentFactory

pytestmark = pytest.mark.django_db

EQUIPMENT = "/admin/equipment/equipment/"
# session, user, his Django permissions (his own and his groups': the admin role is no superuser), page count,
# page, the category and client city filters' values: whatever the number of rows.
CHANGELIST_QUERIES = 8


@pytest.fixture
def browser():
    """The back office, signed in as an administrator."""
    browser = Browser()
    browser.force_login(UserFactory(role="admin"))
    return browser


@pytest.mark.parametrize("rows", [5, 10])
def test_changelist_runs_bounded_queries(rows, browser, django_assert_max_num_queries):
    for site in SiteFactory.create_batch(rows):
        EquipmentFactory(site=site, category="froid")

    with django_assert_max_num_queries(CHANGELIST_QUERIES):
        response = browser.get(EQUIPMENT)

    assert response.status_code == 200
    assert response.content.decode().count('class="field-serial_number"') == rows


def test_changelist_search_and_filters(browser):
    EquipmentFactory(serial_number="CF-001", status="out_of_order", client=ClientFactory(name="Atlas Froid"))
    EquipmentFactory(serial_number="GE-002", status="operational")

    assert "GE-002" not in browser.get(EQUIPMENT, {"q": "atlas"}).content.decode()
    assert "CF-001" in browser.get(EQUIPMENT, {"q": "atlas"}).content.decode()
    assert "GE-002" not in browser.get(EQUIPMENT, {"status__exact": "out_of_order"}).content.decode()


def test_change_and_add_forms(browser):
    equipment = EquipmentFactory(site=SiteFactory())

    assert browser.get(f"{EQUIPMENT}{equipment.pk}/change/").status_code == 200
    assert browser.get(f"{EQUIPMENT}add/").status_code == 200


def _form(**fields):
    return {"serial_number": "SN-ADMIN", "name": "Compresseur", "status": "operational", **fields}


def test_adding_equipment_in_the_admin(browser):
    site = SiteFactory()

    response = browser.post(f"{EQUIPMENT}add/", _form(client=site.client_id, site=site.pk))

    assert response.status_code == 302
    assert Equipment.objects.get(serial_number="SN-ADMIN").site == site


def test_the_admin_refuses_a_site_of_another_client(browser):
    client = ClientFactory()

    response = browser.post(f"{EQUIPMENT}add/", _form(client=client.pk, site=SiteFactory().pk))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["site"]
    assert not Equipment.objects.exists()


def test_site_autocomplete_shows_sites_with_their_client(browser, django_assert_max_num_queries):
    for client in ClientFactory.create_batch(5, name="Atlas"):
        SiteFactory(client=client, name="Usine")

    with django_assert_max_num_queries(6):
        response = browser.get(
            "/admin/autocomplete/",
            {"app_label": "equipment", "model_name": "equipment", "field_name": "site", "term": "usine"},
        )

    assert [item["text"] for item in response.json()["results"]] == ["Usine (Atlas)"] * 5
