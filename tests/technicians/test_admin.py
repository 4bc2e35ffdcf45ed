"""The back office for technicians and skills: listed, searched, created through the service, edited."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from erp_mif.accounts.choices import Role
from technicians.models import Technician
from tests.accounts.factories import UserFactory
from tests.technicians.factories import SkillFactory, TechnicianFactory

CHANGELIST = reverse("admin:technicians_technician_changelist")
ADD = reverse("admin:technicians_technician_add")
SKILLS = reverse("admin:technicians_skill_changelist")

pytestmark = pytest.mark.django_db


def change_url(technician) -> str:
    return reverse("admin:technicians_technician_change", args=[technician.pk])


def delete_url(technician) -> str:
    return reverse("admin:technicians_technician_delete", args=[technician.pk])


@pytest.fixture
def back_office():
    client = Client()
    client.force_login(UserFactory(role=Role.MANAGER))
    return client


def test_the_changelist_shows_technicians_with_their_skills(back_office):
    TechnicianFactory(user__first_name="Hind", user__last_name="Fassi", skills=["froid", "soudure"])

    response = back_office.get(CHANGELIST)

    assert response.status_code == 200
    assert b"Hind Fassi" in response.content
    assert b"froid, soudure" in response.content


def test_the_changelist_runs_the_same_queries_for_2_and_6_technicians(back_office, django_assert_max_num_queries):
    for _ in range(2):
        TechnicianFactory(skills=["froid"])
    with django_assert_max_num_queries(30) as two:
        back_office.get(CHANGELIST)
    for _ in range(4):
        TechnicianFactory(skills=["froid"])
    with django_assert_max_num_queries(30) as six:
        back_office.get(CHANGELIST)

    assert len(six.captured_queries) == len(two.captured_queries)


def test_search_finds_a_technician_by_name_or_code(back_office):
    TechnicianFactory(user__last_name="Berrada", employee_code="MIF-42")
    TechnicianFactory(user__last_name="Ziani", employee_code="MIF-77")

    by_name = back_office.get(CHANGELIST, {"q": "berrada"})
    by_code = back_office.get(CHANGELIST, {"q": "MIF-77"})

    assert b"Berrada" in by_name.content
    assert b"Ziani" not in by_name.content
    assert b"Ziani" in by_code.content
    assert b"Berrada" not in by_code.content


def test_adding_a_technician_creates_his_technician_account(back_office):
    froid = SkillFactory(name="froid")

    response = back_office.post(
        ADD,
        {
            "email": "Nadia.Ouali@mif.ma",
            "first_name": "Nadia",
            "last_name": "Ouali",
            "phone": "",
            "employee_code": "T-100",
            "zone": "Meknès",
            "skills": [froid.pk],
            "is_active": "on",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    technician = Technician.objects.get(employee_code="T-100")
    user = technician.user
    assert (user.email, user.role, user.is_active) == ("nadia.ouali@mif.ma", Role.TECHNICIAN, True)
    assert not user.has_usable_password()
    assert list(technician.skills.all()) == [froid]


def test_adding_refuses_a_used_email(back_office):
    UserFactory(email="pris@mif.ma")

    response = back_office.post(ADD, {"email": "PRIS@mif.ma", "first_name": "A", "last_name": "B"})

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"email"}
    assert not Technician.objects.exists()


@pytest.mark.parametrize("email", ["adm\u0131n@mif.ma", "u\u017fer@mif.ma"])  # dotless i; long s (user@)
def test_adding_refuses_a_unicode_twin_of_an_email(back_office, email):
    UserFactory(email="user@mif.ma")

    response = back_office.post(ADD, {"email": email, "first_name": "A", "last_name": "B"})

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"email"}
    assert not Technician.objects.exists()


def test_the_add_form_shows_the_identity_fields(back_office):
    response = back_office.get(ADD)

    assert response.status_code == 200
    assert {"email", "first_name", "last_name", "phone", "is_active"} <= set(response.context["adminform"].form.fields)


def test_the_change_form_edits_the_profile(back_office):
    technician = TechnicianFactory(zone="Rabat")
    assert back_office.get(change_url(technician)).status_code == 200

    response = back_office.post(
        change_url(technician), {"user": technician.user_id, "employee_code": "T-200", "zone": "Safi"}
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    technician.refresh_from_db()
    assert (technician.employee_code, technician.zone) == ("T-200", "Safi")


def test_the_profile_only_goes_to_a_technician_account(back_office):
    technician = TechnicianFactory()
    viewer = UserFactory(role=Role.VIEWER)

    response = back_office.post(change_url(technician), {"user": viewer.pk, "employee_code": "", "zone": ""})

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"user"}


def test_deleting_removes_the_profile_and_deactivates_the_user(back_office):
    technician = TechnicianFactory()

    response = back_office.post(delete_url(technician), {"post": "yes"})

    assert response.status_code == 302
    assert not Technician.objects.filter(pk=technician.pk).exists()
    technician.user.refresh_from_db()
    assert not technician.user.is_active


def test_a_technician_named_on_an_intervention_cannot_be_deleted(back_office, make_intervention):
    technician = TechnicianFactory()
    make_intervention(technician)

    response = back_office.post(delete_url(technician), {"post": "yes"})

    assert response.status_code == 403
    assert Technician.objects.filter(pk=technician.pk).exists()


def test_there_is_no_bulk_delete(back_office):
    technician = TechnicianFactory()

    back_office.post(CHANGELIST, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [technician.pk], "post": "yes"})

    assert Technician.objects.filter(pk=technician.pk).exists()


def test_skills_are_searchable(back_office):
    SkillFactory(name="électricité")
    SkillFactory(name="plomberie")

    response = back_office.get(SKILLS, {"q": "électr"})

    assert response.status_code == 200
    assert "électricité" in response.content.decode()
    assert "plomberie" not in response.content.decode()


def test_a_technician_cannot_open_the_back_office():
    client = Client()
    client.force_login(TechnicianFactory().user)

    assert client.get(CHANGELIST).status_code == 302
