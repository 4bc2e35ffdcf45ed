"""/api/v1/technicians/: the contract's technician.* endpoints (schedule apart), seen from the client."""

import itertools
from datetime import UTC, datetime

import pytest
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from erp_mif.accounts.choices import Role
from erp_mif.accounts.models import User
from interventions.choices import InterventionStatus
from technicians.models import Skill, Technician
from tests.accounts.factories import UserFactory
from tests.helpers import assert_envelope, bearer_client, login, result_ids, tokens
from tests.rbac import Endpoint, call, crud_endpoints, rbac_cases
from tests.technicians.factories import SkillFactory, TechnicianFactory

URL = "/api/v1/technicians/"
DETAIL = URL + "{pk}/"

pytestmark = pytest.mark.django_db

_emails = (f"nouveau{n}@mif.ma" for n in itertools.count())


def new_technician_body(**fields) -> dict:
    return {"email": next(_emails), "first_name": "Yassine", "last_name": "Amrani", **fields}


def on_june_10(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, 10, hour, minute, tzinfo=UTC)


@pytest.fixture
def admin(make_client):
    return make_client(Role.ADMIN)


# ------------------------------------------------------------------------------
# RBAC
# ------------------------------------------------------------------------------
ENDPOINTS = {
    **crud_endpoints(URL),
    "schedule": Endpoint("get", DETAIL + "schedule/?from=2026-06-01T00:00:00Z&to=2026-06-08T00:00:00Z", 200),
}
RBAC_CASES = list(rbac_cases("technician", ENDPOINTS))


@pytest.mark.parametrize(("role", "action", "expected"), RBAC_CASES)
def test_technician_rbac(role, action, expected, make_client, api_client):
    client = make_client(role) if role else api_client
    # A technician's record is his own, the only one whose schedule he may read.
    technician = TechnicianFactory(user=client.user) if role == Role.TECHNICIAN else TechnicianFactory()

    response = call(client, ENDPOINTS[action], pk=technician.pk, body=new_technician_body)

    assert response.status_code == expected, response.content


# ------------------------------------------------------------------------------
# Create
# ------------------------------------------------------------------------------
def test_create_makes_a_technician_user_who_must_set_his_password(admin, api_client):
    response = admin.post(
        URL,
        new_technician_body(email="Y.Amrani@MIF.ma", phone="+212600000001", employee_code="T-001", zone="Rabat"),
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    user = User.objects.get(pk=body["user"])
    assert user.role == Role.TECHNICIAN
    assert user.email == "y.amrani@mif.ma"
    assert not user.has_usable_password()
    assert {field: body[field] for field in CREATED_FIELDS} == CREATED_FIELDS
    assert response["ETag"]
    assert_envelope(login(api_client, "y.amrani@mif.ma", "any-password"), 401, "invalid_credentials")


CREATED_FIELDS = {
    "email": "y.amrani@mif.ma",
    "first_name": "Yassine",
    "last_name": "Amrani",
    "full_name": "Yassine Amrani",
    "phone": "+212600000001",
    "employee_code": "T-001",
    "skills": [],
    "zone": "Rabat",
    "is_active": True,
    "open_interventions_count": 0,
}


def test_create_refuses_an_email_any_user_already_has(admin):
    UserFactory(email="pris@mif.ma", role=Role.VIEWER)

    response = admin.post(URL, new_technician_body(email="Pris@mif.ma"), format="json")

    body = assert_envelope(response, 400, "validation_error")
    assert set(body["errors"]) == {"email"}
    assert not Technician.objects.exists()


@pytest.mark.parametrize("missing", ["email", "first_name", "last_name"])
def test_create_requires_the_identity(admin, missing):
    body = new_technician_body()
    del body[missing]

    response = admin.post(URL, body, format="json")

    assert set(assert_envelope(response, 400, "validation_error")["errors"]) == {missing}


def test_create_reuses_known_skills_and_creates_the_others(admin):
    froid = SkillFactory(name="Froid")

    response = admin.post(
        URL, new_technician_body(skills=["hydraulique", "froid", "Hydraulique", " hydraulique "]), format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["skills"] == ["Froid", "hydraulique"]
    assert Skill.objects.get(name__iexact="froid") == froid
    assert Skill.objects.count() == 2


def test_an_employee_code_belongs_to_one_technician(admin):
    TechnicianFactory(employee_code="T-007")
    other = TechnicianFactory()

    created = admin.post(URL, new_technician_body(employee_code="T-007"), format="json")
    updated = admin.patch(DETAIL.format(pk=other.pk), {"employee_code": "T-007"}, format="json")

    assert set(assert_envelope(created, 400, "validation_error")["errors"]) == {"employee_code"}
    assert set(assert_envelope(updated, 400, "validation_error")["errors"]) == {"employee_code"}
    assert User.objects.filter(role=Role.TECHNICIAN).count() == 2, "the refused create left a user behind"


def test_many_technicians_may_have_no_employee_code(admin):
    TechnicianFactory(employee_code="")

    response = admin.post(URL, new_technician_body(employee_code=""), format="json")

    assert response.status_code == 201, response.content


# ------------------------------------------------------------------------------
# Read
# ------------------------------------------------------------------------------
def test_retrieve_flattens_the_user(admin):
    technician = TechnicianFactory(user__first_name="Salma", user__last_name="Idrissi", skills=["soudure", "froid"])

    response = admin.get(DETAIL.format(pk=technician.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["user"] == technician.user_id
    assert body["full_name"] == "Salma Idrissi"
    assert body["email"] == technician.user.email
    assert body["skills"] == ["froid", "soudure"]


def test_open_interventions_count_counts_open_statuses_only(admin, make_intervention):
    technician = TechnicianFactory()
    for status in InterventionStatus.values:
        make_intervention(technician, status=status)
    make_intervention(TechnicianFactory(), status=InterventionStatus.NEW)

    response = admin.get(DETAIL.format(pk=technician.pk))

    assert response.json()["open_interventions_count"] == 4  # new, scheduled, in progress, on hold


# ------------------------------------------------------------------------------
# Update
# ------------------------------------------------------------------------------
def test_patch_changes_the_user_and_the_profile(admin):
    technician = TechnicianFactory(skills=["froid"], zone="Rabat")

    response = admin.patch(
        DETAIL.format(pk=technician.pk),
        {
            "email": "Nouvel.Email@mif.ma",
            "first_name": "Karim",
            "last_name": "Bennani",
            "phone": "0522000000",
            "skills": ["Soudure", "froid"],
            "zone": "Tanger",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    technician.refresh_from_db()
    user = technician.user
    assert (user.email, user.first_name, user.last_name, user.phone) == (
        "nouvel.email@mif.ma",
        "Karim",
        "Bennani",
        "0522000000",
    )
    assert technician.zone == "Tanger"
    assert sorted(technician.skills.values_list("name", flat=True)) == ["Soudure", "froid"]
    assert response.json()["skills"] == ["Soudure", "froid"]
    assert response.json()["full_name"] == "Karim Bennani"


def test_put_replaces_the_writable_fields(admin):
    technician = TechnicianFactory(skills=["froid"], zone="Rabat", user__phone="0600", user__is_active=False)

    response = admin.put(DETAIL.format(pk=technician.pk), new_technician_body(email="put@mif.ma"), format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["email"], body["first_name"], body["last_name"]) == ("put@mif.ma", "Yassine", "Amrani")
    # Optional fields left out of a PUT keep their value (the contract marks none of them required).
    assert (body["phone"], body["zone"], body["skills"], body["is_active"]) == ("0600", "Rabat", ["froid"], False)


def test_patch_refuses_an_email_another_user_has(admin):
    technician = TechnicianFactory()
    UserFactory(email="pris@mif.ma")

    response = admin.patch(DETAIL.format(pk=technician.pk), {"email": "pris@mif.ma"}, format="json")

    assert set(assert_envelope(response, 400, "validation_error")["errors"]) == {"email"}
    technician.user.refresh_from_db()
    assert technician.user.email != "pris@mif.ma"


def test_patch_may_keep_the_technicians_own_email(admin):
    technician = TechnicianFactory()

    response = admin.patch(DETAIL.format(pk=technician.pk), {"email": technician.user.email}, format="json")

    assert response.status_code == 200, response.content


def test_read_only_fields_are_ignored(admin, make_intervention):
    technician = TechnicianFactory()
    other_user = UserFactory()
    before = admin.get(DETAIL.format(pk=technician.pk)).json()

    response = admin.patch(
        DETAIL.format(pk=technician.pk),
        {
            "id": 999,
            "user": other_user.pk,
            "full_name": "Quelqu'un d'autre",
            "open_interventions_count": 42,
            "created_at": "2000-01-01T00:00:00Z",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    after = response.json()
    for field in ("id", "user", "full_name", "open_interventions_count", "created_at"):
        assert after[field] == before[field], field


def test_deactivating_a_technician_shuts_him_out(admin, api_client):
    technician = TechnicianFactory()
    own = tokens(technician.user)
    as_technician = bearer_client(access=own["access"])
    assert as_technician.get(URL).status_code == 200

    response = admin.patch(DETAIL.format(pk=technician.pk), {"is_active": False}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    assert_envelope(as_technician.get(URL), 401, "token_not_valid")
    assert_envelope(api_client.post("/api/v1/auth/refresh/", {"refresh": own["refresh"]}), 401, "token_not_valid")
    assert not OutstandingToken.objects.filter(user=technician.user, blacklistedtoken__isnull=True).exists()


def test_reactivating_a_technician_lets_him_back_in(admin):
    technician = TechnicianFactory(user__is_active=False)

    response = admin.patch(DETAIL.format(pk=technician.pk), {"is_active": True}, format="json")

    assert response.status_code == 200, response.content
    assert bearer_client(technician.user).get(URL).status_code == 200


# ------------------------------------------------------------------------------
# Delete
# ------------------------------------------------------------------------------
@pytest.mark.parametrize("status", [InterventionStatus.NEW, InterventionStatus.COMPLETED])
def test_delete_is_refused_while_an_intervention_names_him(admin, make_intervention, status):
    technician = TechnicianFactory()
    make_intervention(technician, status=status)

    response = admin.delete(DETAIL.format(pk=technician.pk))

    assert_envelope(response, 409, "protected")
    assert Technician.objects.filter(pk=technician.pk).exists()
    technician.user.refresh_from_db()
    assert technician.user.is_active


def test_delete_removes_the_profile_and_deactivates_the_user(admin):
    technician = TechnicianFactory()

    response = admin.delete(DETAIL.format(pk=technician.pk))

    assert response.status_code == 204
    assert not Technician.objects.filter(pk=technician.pk).exists()
    user = User.objects.get(pk=technician.user_id)
    assert not user.is_active
    assert_envelope(bearer_client(user).get(URL), 401, "token_not_valid")


# ------------------------------------------------------------------------------
# Filters, search, ordering
# ------------------------------------------------------------------------------
def test_filter_by_zone_is_exact(admin):
    rabat = TechnicianFactory(zone="Rabat")
    TechnicianFactory(zone="Rabat-Salé")

    assert result_ids(admin.get(URL, {"zone": "Rabat"})) == [rabat.pk]


def test_filter_by_skill_ignores_case(admin):
    welder = TechnicianFactory(skills=["Soudure", "froid"])
    TechnicianFactory(skills=["froid"])
    TechnicianFactory()

    assert result_ids(admin.get(URL, {"skill": "soudure"})) == [welder.pk]


def test_filter_by_is_active_reads_the_users_flag(admin):
    active = TechnicianFactory()
    inactive = TechnicianFactory(user__is_active=False)

    assert result_ids(admin.get(URL, {"is_active": "true"})) == [active.pk]
    assert result_ids(admin.get(URL, {"is_active": "false"})) == [inactive.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"is_active": "peut-être"}, "is_active"),
        ({"available_from": "demain", "available_to": "2026-06-10T10:00:00Z"}, "available_from"),
        ({"available_from": "2026-02-30T10:00:00", "available_to": "2026-06-10T10:00:00Z"}, "available_from"),
        ({"available_from": "2026-06-10T08:00:00Z", "available_to": "9999-12-31T23:59:00-12:00"}, "available_to"),
        ({"available_from": "2026-06-10T08:00:00Z"}, "available_to"),
        ({"available_to": "2026-06-10T08:00:00Z"}, "available_to"),
        ({"available_from": "2026-06-10T08:00:00Z", "available_to": "2026-06-10T08:00:00Z"}, "available_to"),
        ({"available_from": "2026-06-10T09:00:00Z", "available_to": "2026-06-10T08:00:00Z"}, "available_to"),
    ],
)
def test_malformed_filters_are_a_validation_error(admin, query, field):
    TechnicianFactory()

    response = admin.get(URL, query)

    assert set(assert_envelope(response, 400, "validation_error")["errors"]) == {field}


AVAILABILITY_WINDOWS = [
    # (from, to) against a booking from 10:00 to 12:00: windows are half-open, [from, to)
    pytest.param((8, 0), (10, 0), True, id="ends-when-the-booking-starts"),
    pytest.param((12, 0), (14, 0), True, id="starts-when-the-booking-ends"),
    pytest.param((9, 0), (10, 1), False, id="overlaps-the-start"),
    pytest.param((11, 59), (13, 0), False, id="overlaps-the-end"),
    pytest.param((10, 30), (11, 0), False, id="inside"),
    pytest.param((9, 0), (13, 0), False, id="around"),
]


@pytest.mark.parametrize(("start", "end", "available"), AVAILABILITY_WINDOWS)
def test_availability_excludes_overlapping_bookings(admin, make_intervention, start, end, available):
    booked = TechnicianFactory()
    free = TechnicianFactory()
    make_intervention(booked, start=on_june_10(10), end=on_june_10(12))
    window = {"available_from": on_june_10(*start).isoformat(), "available_to": on_june_10(*end).isoformat()}

    ids = result_ids(admin.get(URL, window))

    assert free.pk in ids
    assert (booked.pk in ids) is available


@pytest.mark.parametrize(
    ("status", "books"),
    [
        (InterventionStatus.NEW, False),
        (InterventionStatus.SCHEDULED, True),
        (InterventionStatus.IN_PROGRESS, True),
        (InterventionStatus.ON_HOLD, True),
        (InterventionStatus.COMPLETED, False),
        (InterventionStatus.CANCELLED, False),
    ],
)
def test_only_booking_statuses_make_a_technician_unavailable(admin, make_intervention, status, books):
    technician = TechnicianFactory()
    make_intervention(technician, status=status, start=on_june_10(10), end=on_june_10(12))
    window = {"available_from": on_june_10(10).isoformat(), "available_to": on_june_10(12).isoformat()}

    assert (technician.pk in result_ids(admin.get(URL, window))) is not books


def test_availability_reads_a_datetime_without_offset_in_casablanca_time(admin, make_intervention):
    technician = TechnicianFactory()
    # 10:00-11:00 UTC is 11:00-12:00 in Casablanca in June (UTC+1).
    make_intervention(technician, start=on_june_10(10), end=on_june_10(11))

    local = admin.get(URL, {"available_from": "2026-06-10T11:00:00", "available_to": "2026-06-10T12:00:00"})
    utc = admin.get(URL, {"available_from": "2026-06-10T11:00:00Z", "available_to": "2026-06-10T12:00:00Z"})

    assert technician.pk not in result_ids(local)
    assert technician.pk in result_ids(utc)


def test_filters_combine(admin, make_intervention):
    wanted = TechnicianFactory(zone="Agadir", skills=["froid"])
    TechnicianFactory(zone="Agadir", skills=["soudure"])
    TechnicianFactory(zone="Fès", skills=["froid"])
    make_intervention(TechnicianFactory(zone="Agadir", skills=["froid"]), start=on_june_10(9), end=on_june_10(17))

    response = admin.get(
        URL,
        {
            "zone": "Agadir",
            "skill": "FROID",
            "is_active": "1",
            "available_from": on_june_10(8).isoformat(),
            "available_to": on_june_10(18).isoformat(),
        },
    )

    assert result_ids(response) == [wanted.pk]


@pytest.mark.parametrize(
    ("factory_fields", "term"),
    [
        ({"user__first_name": "Zineb"}, "zIneB"),
        ({"user__last_name": "Tazi"}, "taz"),
        ({"user__email": "khalid.x@mif.ma"}, "KHALID.X"),
        ({"employee_code": "EMP-9876"}, "9876"),
        ({"zone": "Ouarzazate"}, "ouarza"),
    ],
)
def test_search_covers_names_email_code_and_zone(admin, factory_fields, term):
    found = TechnicianFactory(**factory_fields)
    TechnicianFactory(user__first_name="Ali", user__last_name="Alaoui", employee_code="A-1", zone="Rabat")

    assert result_ids(admin.get(URL, {"search": term})) == [found.pk]


def test_newest_technicians_come_first_by_default(admin):
    first, second, third = (TechnicianFactory() for _ in range(3))

    assert result_ids(admin.get(URL)) == [third.pk, second.pk, first.pk]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("last_name", ["Alami", "Berrada", "Chraibi"]),
        ("-last_name", ["Chraibi", "Berrada", "Alami"]),
        ("employee_code", ["Berrada", "Chraibi", "Alami"]),
        ("-employee_code", ["Alami", "Chraibi", "Berrada"]),
        ("created_at", ["Chraibi", "Alami", "Berrada"]),
        ("-created_at", ["Berrada", "Alami", "Chraibi"]),
        ("zone", ["Berrada", "Alami", "Chraibi"]),  # not an ordering field: ignored, newest first
    ],
)
def test_ordering_by_the_contracts_fields(admin, ordering, expected):
    TechnicianFactory(user__last_name="Chraibi", employee_code="B", zone="C")
    TechnicianFactory(user__last_name="Alami", employee_code="C", zone="A")
    TechnicianFactory(user__last_name="Berrada", employee_code="A", zone="B")

    response = admin.get(URL, {"ordering": ordering})

    assert [row["last_name"] for row in response.json()["results"]] == expected
