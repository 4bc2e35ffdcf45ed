import pytest
from django.test import Client as BrowserClient

from erp_mif.accounts.choices import Role
from interventions.choices import Status
from interventions.models import Intervention
from tests.accounts.factories import UserFactory
from tests.interventions.factories import MaintenancePlanFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/interventions/intervention/"


@pytest.fixture
def browser():
    browser = BrowserClient()
    browser.force_login(UserFactory(role=Role.MANAGER))
    return browser


def test_changelist_search_and_filters(browser, make_intervention):
    intervention = make_intervention(title="Groupe électrogène")

    assert browser.get(CHANGELIST).status_code == 200
    found = browser.get(CHANGELIST, {"q": intervention.reference})
    assert intervention.reference in found.content.decode()
    assert browser.get(CHANGELIST, {"status__exact": "new", "priority__exact": "normal"}).status_code == 200


def test_change_form_shows_the_history(browser, make_intervention):
    intervention = make_intervention(status="in_progress")

    page = browser.get(f"{CHANGELIST}{intervention.pk}/change/")

    assert page.status_code == 200
    assert "started" in page.content.decode()


def test_add_goes_through_the_service(browser, client_record):
    page = browser.get(f"{CHANGELIST}add/")
    assert page.status_code == 200

    response = browser.post(
        f"{CHANGELIST}add/",
        {"title": "Contrôle annuel", "type": "inspection", "priority": "normal", "client": client_record.pk},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    created = Intervention.objects.get()
    assert created.reference.startswith("INT-")
    assert created.events.get().action == "created"


def test_edit_of_a_closed_intervention_is_refused_with_a_message(browser, make_intervention):
    intervention = make_intervention(status="completed")

    response = browser.post(
        f"{CHANGELIST}{intervention.pk}/change/",
        {"title": "Changé", "type": "corrective", "priority": "normal", "client": intervention.client_id},
        follow=True,
    )

    assert response.status_code == 200
    intervention.refresh_from_db()
    assert intervention.title != "Changé"


def test_admin_actions_respect_the_workflow(browser, make_intervention):
    scheduled, new = make_intervention(status="scheduled"), make_intervention()

    browser.post(CHANGELIST, {"action": "start_interventions", "_selected_action": [scheduled.pk, new.pk]})

    scheduled.refresh_from_db()
    new.refresh_from_db()
    assert scheduled.status == Status.IN_PROGRESS
    assert new.status == Status.NEW  # new cannot start: refused, not forced


def test_maintenance_plan_admin_pages(browser):
    plan = MaintenancePlanFactory()
    base = "/admin/interventions/maintenanceplan/"

    assert browser.get(base).status_code == 200
    assert browser.get(base, {"q": plan.equipment.serial_number}).status_code == 200
    assert browser.get(f"{base}{plan.pk}/change/").status_code == 200
    assert browser.get(f"{base}add/").status_code == 200


def test_a_viewer_has_no_back_office_rights(make_intervention):
    browser = BrowserClient()
    browser.force_login(UserFactory(role=Role.VIEWER))

    assert browser.get(CHANGELIST).status_code == 302  # not staff: sent to the login page
