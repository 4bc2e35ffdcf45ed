"""The technician services, where the rules live whoever calls them (API, admin, jobs)."""

import pytest
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from erp_mif.accounts.choices import Role
from erp_mif.accounts.models import User
from erp_mif.core.errors import ApplicationError
from technicians import services
from technicians.models import Skill, Technician
from tests.accounts.factories import UserFactory
from tests.helpers import tokens
from tests.technicians.factories import SkillFactory, TechnicianFactory

pytestmark = pytest.mark.django_db


def create(**fields) -> Technician:
    return services.technician_create(
        **{"email": "amine@mif.ma", "first_name": "Amine", "last_name": "Kettani", **fields}
    )


def test_create_defaults_to_an_active_technician_with_no_profile_details():
    technician = create()

    user = technician.user
    assert (user.role, user.is_active, user.phone, user.has_usable_password()) == (Role.TECHNICIAN, True, "", False)
    assert (technician.employee_code, technician.zone, list(technician.skills.all())) == ("", "", [])


def test_create_refuses_a_used_email_whatever_its_case():
    UserFactory(email="amine@mif.ma")

    with pytest.raises(ApplicationError) as refused:
        create(email="AMINE@mif.ma")

    assert (refused.value.status_code, refused.value.errors) == (400, {"email": [services.EMAIL_IN_USE]})


def test_a_refused_profile_leaves_no_user_behind():
    TechnicianFactory(employee_code="T-1")

    with pytest.raises(ApplicationError) as refused:
        create(employee_code="T-1")

    assert refused.value.errors == {"employee_code": [services.EMPLOYEE_CODE_IN_USE]}
    assert not User.objects.filter(email="amine@mif.ma").exists()


def test_skill_names_collapse_by_case_and_spaces_and_reuse_known_skills():
    froid = SkillFactory(name="Froid")

    technician = create(skills=["froid", " Soudure", "soudure ", "FROID", ""])

    assert set(technician.skills.all()) == {froid, Skill.objects.get(name="Soudure")}
    assert Skill.objects.count() == 2


def test_update_replaces_the_skills_only_when_given():
    technician = TechnicianFactory(skills=["froid", "soudure"])

    services.technician_update(technician=technician, zone="Oujda")
    kept = sorted(technician.skills.values_list("name", flat=True))
    services.technician_update(technician=technician, skills=["hydraulique"])

    assert kept == ["froid", "soudure"]
    assert list(technician.skills.values_list("name", flat=True)) == ["hydraulique"]


def test_update_refuses_unknown_fields():
    technician = TechnicianFactory()

    with pytest.raises(TypeError, match="role"):
        services.technician_update(technician=technician, role=Role.ADMIN)


def test_deactivating_revokes_every_refresh_token():
    technician = TechnicianFactory()
    tokens(technician.user)
    tokens(technician.user)

    services.technician_update(technician=technician, is_active=False)

    assert OutstandingToken.objects.filter(user=technician.user).count() == 2
    assert not OutstandingToken.objects.filter(user=technician.user, blacklistedtoken__isnull=True).exists()


def test_delete_keeps_the_user_deactivated(make_intervention):
    technician = TechnicianFactory()
    tokens(technician.user)

    services.technician_delete(technician=technician)

    user = User.objects.get(pk=technician.user_id)
    assert (user.is_active, user.role) == (False, Role.TECHNICIAN)
    assert not OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True).exists()


def test_delete_is_refused_while_an_intervention_names_the_technician(make_intervention):
    technician = TechnicianFactory()
    intervention = make_intervention(technician)

    with pytest.raises(ApplicationError) as refused:
        services.technician_delete(technician=technician)

    assert (refused.value.status_code, refused.value.code) == (409, "protected")
    assert list(intervention.technicians.all()) == [technician]
