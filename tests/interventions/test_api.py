from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from erp_mif.accounts.choices import Role
from interventions.choices import MAX_TECHNICIANS, Status
from interventions.models import Intervention
from tests.clients.factories import ClientFactory
from tests.equipment.factories import EquipmentFactory
from tests.helpers import assert_envelope, csv_rows
from tests.rbac import Endpoint, call, crud_endpoints, rbac_cases
from tests.technicians.factories import TechnicianFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/interventions/"
DETAIL = URL + "{pk}/"

ENDPOINTS = {
    **crud_endpoints(URL),
    "assign": Endpoint("post", DETAIL + "assign/", 200),
    "start": Endpoint("post", DETAIL + "start/", 200),
    "hold": Endpoint("post", DETAIL + "hold/", 200),
    "resume": Endpoint("post", DETAIL + "resume/", 200),
    "complete": Endpoint("post", DETAIL + "complete/", 200),
    "cancel": Endpoint("post", DETAIL + "cancel/", 200),
    "history": Endpoint("get", DETAIL + "history/", 200),
    "export": Endpoint("get", URL + "export/", 200),
}
# The status each action needs to succeed.
STARTING_STATUS = {"start": "scheduled", "hold": "in_progress", "resume": "on_hold", "complete": "in_progress"}


def _caller(make_client, api_client, role):
    if role is None:
        return api_client, None
    client = make_client(role)
    profile = TechnicianFactory(user=client.user) if role == Role.TECHNICIAN else None
    return client, profile


@pytest.mark.parametrize(("role", "action", "expected"), rbac_cases("intervention", ENDPOINTS))
def test_intervention_rbac(role, action, expected, make_client, api_client, make_intervention, window):
    client, profile = _caller(make_client, api_client, role)
    intervention = make_intervention(
        status=STARTING_STATUS.get(action, "new"), technicians=[profile or TechnicianFactory()]
    )
    if profile and intervention.status == Status.NEW:
        intervention.technicians.add(profile)
    bodies = {
        "create": lambda: {"title": "Fuite", "client": ClientFactory().pk},
        "update": lambda: {"title": "Fuite", "client": intervention.client_id},
        "partial_update": lambda: {"title": "Fuite d'huile"},
        "assign": lambda: {
            "technicians": [TechnicianFactory().pk],
            "scheduled_start": window[0].isoformat(),
            "scheduled_end": window[1].isoformat(),
        },
        "hold": lambda: {"reason": "Attente pièce"},
        "complete": lambda: {"report": "Réparé", "labor_minutes": 30},
        "cancel": lambda: {"reason": "Doublon"},
    }

    response = call(client, ENDPOINTS[action], pk=intervention.pk, body=bodies.get(action))

    assert response.status_code == expected, response.content


@pytest.mark.parametrize("action", ["start", "history"])
def test_a_technician_gets_404_on_interventions_of_others(make_client, make_intervention, action):
    client = make_client(Role.TECHNICIAN)
    TechnicianFactory(user=client.user)
    foreign = make_intervention(status="scheduled")

    response = call(client, ENDPOINTS[action], pk=foreign.pk)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_technician_lists_only_his_interventions(make_client, make_intervention):
    client = make_client(Role.TECHNICIAN)
    mine = make_intervention(status="scheduled", technicians=[TechnicianFactory(user=client.user)])
    make_intervention(status="scheduled")

    response = client.get(URL)

    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


def test_create_returns_the_contract_representation(make_client, technician, window):
    client_record = ClientFactory()
    equipment = EquipmentFactory(client=client_record)
    response = make_client(Role.MANAGER).post(
        URL,
        {
            "title": "Compresseur bruyant",
            "client": client_record.pk,
            "equipment": equipment.pk,
            "priority": "urgent",
            "technicians": [technician.pk],
            "scheduled_start": window[0].isoformat(),
            "scheduled_end": window[1].isoformat(),
            "due_date": str(timezone.localdate()),
            # read-only fields are ignored
            "status": "completed",
            "reference": "HACK-1",
            "created_by": 999,
            "completed_at": timezone.now().isoformat(),
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "scheduled"
    assert body["reference"].startswith("INT-")
    assert body["completed_at"] is None
    assert body["client_name"] == client_record.name
    assert body["equipment_name"] == equipment.name
    assert body["technician_names"] == [technician.user.full_name]
    assert body["is_overdue"] is False
    assert response["ETag"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": ""}, "title"),
        ({"client": "abc"}, "client"),
        ({"client": 999999}, "client"),
        ({"priority": "asap"}, "priority"),
        ({"scheduled_start": "not a date"}, "scheduled_start"),
        ({"due_date": "2026-02-30"}, "due_date"),
        ({"technicians": ["x"]}, "technicians"),
        ({"scheduled_start": "2030-01-01T10:00:00Z", "scheduled_end": "2030-01-01T09:00:00Z"}, "scheduled_end"),
    ],
)
def test_create_reports_bad_input_per_field(make_client, payload, field):
    body = {"title": "Fuite", "client": ClientFactory().pk, **payload}

    response = make_client(Role.MANAGER).post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert field in response.json()["errors"]
    assert not Intervention.objects.exists()


def test_create_refuses_another_clients_site(make_client):
    from tests.clients.factories import SiteFactory

    response = make_client(Role.MANAGER).post(
        URL, {"title": "X", "client": ClientFactory().pk, "site": SiteFactory().pk}, format="json"
    )

    assert response.status_code == 400
    assert "site" in response.json()["errors"]


def test_patch_ignores_read_only_fields(make_client, make_intervention):
    intervention = make_intervention()

    response = make_client(Role.MANAGER).patch(
        DETAIL.format(pk=intervention.pk),
        {"status": "completed", "reference": "X", "created_by": None, "completed_at": "2020-01-01T00:00:00Z"},
        format="json",
    )

    assert response.status_code == 200
    intervention.refresh_from_db()
    assert intervention.status == Status.NEW
    assert intervention.completed_at is None


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_put_on_a_closed_intervention_is_an_invalid_transition(make_client, make_intervention, status):
    intervention = make_intervention(status=status)

    response = make_client(Role.MANAGER).put(
        DETAIL.format(pk=intervention.pk), {"title": "X", "client": intervention.client_id}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_illegal_action_is_409_and_changes_nothing(make_client, make_intervention):
    intervention = make_intervention()

    response = make_client(Role.MANAGER).post(DETAIL.format(pk=intervention.pk) + "start/")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    intervention.refresh_from_db()
    assert intervention.status == Status.NEW


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("hold", {}, "reason"),
        ("hold", {"reason": ""}, "reason"),
        ("complete", {}, "report"),
        ("complete", {"report": "ok", "labor_minutes": -5}, "labor_minutes"),
        ("complete", {"report": "ok", "labor_minutes": "long"}, "labor_minutes"),
    ],
)
def test_action_inputs_are_validated(make_client, make_intervention, action, body, field):
    intervention = make_intervention(status="in_progress")

    response = make_client(Role.MANAGER).post(DETAIL.format(pk=intervention.pk) + f"{action}/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    intervention.refresh_from_db()
    assert intervention.status == Status.IN_PROGRESS


def test_assign_conflict_is_409_naming_the_clash(make_client, make_intervention, technician, window):
    booked = make_intervention(status="scheduled", technicians=[technician], window=window)
    other = make_intervention()

    response = make_client(Role.MANAGER).post(
        DETAIL.format(pk=other.pk) + "assign/",
        {"technicians": [technician.pk], "scheduled_start": window[0], "scheduled_end": window[1]},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "schedule_conflict"
    assert booked.reference in " ".join(response.json()["errors"]["technicians"])


def test_assign_needs_at_least_one_technician(make_client, make_intervention, window):
    response = make_client(Role.MANAGER).post(
        DETAIL.format(pk=make_intervention().pk) + "assign/",
        {"technicians": [], "scheduled_start": window[0], "scheduled_end": window[1]},
        format="json",
    )

    assert response.status_code == 400
    assert "technicians" in response.json()["errors"]


def test_history_lists_who_did_what_oldest_first(make_client, make_intervention, manager):
    intervention = make_intervention(status="in_progress")
    intervention.events.create(action="updated", user=None, changes={"title": ["a", "b"]})

    response = make_client(Role.VIEWER).get(DETAIL.format(pk=intervention.pk) + "history/")

    assert response.status_code == 200
    events = response.json()
    assert [event["action"] for event in events] == ["created", "assigned", "started", "updated"]
    assert events[0]["user"] == manager.pk
    assert events[0]["user_name"] == manager.full_name
    assert events[-1]["user_name"] == "system"
    assert events[-1]["changes"] == {"title": ["a", "b"]}


# ------------------------------------------------------------------------------
# Filters, search, ordering, export
# ------------------------------------------------------------------------------
def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_status_filter_is_repeatable(make_client, make_intervention):
    new, scheduled, _completed = (make_intervention(status=s) for s in ("new", "scheduled", "completed"))

    assert _ids(make_client(Role.VIEWER).get(URL + "?status=new&status=scheduled")) == {new.pk, scheduled.pk}


def test_overdue_filter_and_flag(make_client, make_intervention):
    yesterday = timezone.localdate() - timedelta(days=1)
    late = make_intervention(due_date=yesterday)
    make_intervention(due_date=yesterday, status="completed")
    make_intervention(due_date=timezone.localdate())

    response = make_client(Role.VIEWER).get(URL + "?overdue=true")

    assert _ids(response) == {late.pk}
    assert response.json()["results"][0]["is_overdue"] is True


def test_scheduled_window_filter_selects_overlaps(make_client, make_intervention, window):
    start, end = window
    inside = make_intervention(status="scheduled", window=(start, end))
    make_intervention(status="scheduled", window=(end, end + timedelta(hours=1)))  # touches only

    response = make_client(Role.VIEWER).get(
        URL, {"scheduled_from": (start - timedelta(hours=1)).isoformat(), "scheduled_to": end.isoformat()}
    )

    assert _ids(response) == {inside.pk}


def test_technician_filter(make_client, make_intervention, technician):
    mine = make_intervention(status="scheduled", technicians=[technician])
    make_intervention(status="scheduled")

    assert _ids(make_client(Role.VIEWER).get(URL, {"technician": technician.pk})) == {mine.pk}


def test_search_over_reference_title_client_and_serial(make_client, make_intervention):
    equipment = EquipmentFactory(serial_number="SN-ZETA-42")
    by_serial = make_intervention(client=equipment.client, equipment=equipment)
    by_title = make_intervention(title="Chaudière en panne")
    client = make_client(Role.VIEWER)

    assert _ids(client.get(URL, {"search": "zeta-42"})) == {by_serial.pk}
    assert _ids(client.get(URL, {"search": "CHAUDI"})) == {by_title.pk}
    assert _ids(client.get(URL, {"search": by_title.reference})) == {by_title.pk}


def test_priority_orders_by_rank(make_client, make_intervention):
    for priority in ("normal", "urgent", "low", "high"):
        make_intervention(priority=priority)

    response = make_client(Role.VIEWER).get(URL, {"ordering": "-priority"})

    assert [row["priority"] for row in response.json()["results"]] == ["urgent", "high", "normal", "low"]


def test_invalid_filter_values_are_400_not_500(make_client):
    client = make_client(Role.VIEWER)

    for query in ({"client": "abc"}, {"status": "lost"}, {"scheduled_from": "tomorrow"}, {"overdue": "maybe"}):
        response = client.get(URL, query)
        assert response.status_code == 400, query
        assert response.json()["code"] == "validation_error"


def test_export_streams_the_filtered_list_as_csv(make_client, make_intervention):
    make_intervention(title="=HYPERLINK(evil)", priority="urgent")
    make_intervention(title="Ignorée", priority="low")

    response = make_client(Role.VIEWER).get(URL + "export/", {"priority": "urgent"})

    header, *rows = csv_rows(response)
    assert response["Content-Disposition"].startswith('attachment; filename="interventions-')
    assert [dict(zip(header, row, strict=True))["title"] for row in rows] == ["'=HYPERLINK(evil)"]


# ------------------------------------------------------------------------------
# Dashboard
# ------------------------------------------------------------------------------
def test_dashboard_gives_every_status_and_the_figures(make_client, make_intervention, django_assert_max_num_queries):
    make_intervention(due_date=timezone.localdate() - timedelta(days=2))
    make_intervention(status="completed", type="corrective")

    with django_assert_max_num_queries(8):
        response = make_client(Role.VIEWER).get("/api/v1/dashboard/")

    assert response.status_code == 200
    body = response.json()
    assert set(body["interventions"]["by_status"]) == {s.value for s in Status}
    assert body["interventions"]["overdue"] == 1
    assert body["interventions"]["completed_last_30_days"] == 1
    assert body["mean_time_to_repair_hours"] is not None
    assert set(body["equipment"]["by_status"]) == {"operational", "under_maintenance", "out_of_order", "retired"}


def test_dashboard_of_a_technician_covers_his_own_work(make_client, make_intervention):
    client = make_client(Role.TECHNICIAN)
    profile = TechnicianFactory(user=client.user)
    make_intervention(status="scheduled", technicians=[profile])
    make_intervention(status="scheduled")

    body = client.get("/api/v1/dashboard/").json()

    assert body["interventions"]["by_status"]["scheduled"] == 1
    assert [row["id"] for row in body["technicians"]] == [profile.pk]


def test_assign_refuses_an_end_before_the_start(make_client, make_intervention, technician, window):
    intervention = make_intervention()

    response = make_client(Role.MANAGER).post(
        DETAIL.format(pk=intervention.pk) + "assign/",
        {"technicians": [technician.pk], "scheduled_start": window[1], "scheduled_end": window[0]},
        format="json",
    )

    assert response.status_code == 400
    assert "scheduled_end" in response.json()["errors"]
    intervention.refresh_from_db()
    assert intervention.status == Status.NEW


# ------------------------------------------------------------------------------
# Arrays are bounded and read in one query
# ------------------------------------------------------------------------------
@pytest.mark.parametrize("count", [MAX_TECHNICIANS + 1, 30_000])
def test_more_technicians_than_an_intervention_takes_are_refused_before_any_lookup(
    make_client, client_record, count, django_assert_max_num_queries
):
    body = {"title": "Trop de monde", "client": client_record.pk, "technicians": list(range(1, count + 1))}
    api = make_client("manager")

    with django_assert_max_num_queries(1):  # the client's lookup; no technician is read
        response = api.post("/api/v1/interventions/", body, format="json")

    error = assert_envelope(response, 400, "validation_error")
    assert set(error["errors"]) == {"technicians"}


def test_the_technicians_of_a_write_are_read_in_one_query(make_client, make_intervention, django_assert_num_queries):
    technicians = TechnicianFactory.create_batch(MAX_TECHNICIANS)
    intervention = make_intervention()
    url = f"/api/v1/interventions/{intervention.pk}/"
    api = make_client("manager")
    few = CaptureQueriesContext(connection)
    with few:
        assert api.patch(url, {"technicians": [technicians[0].pk]}, format="json").status_code == 200
    many = CaptureQueriesContext(connection)
    with many:
        ids = [technician.pk for technician in technicians]
        assert api.patch(url, {"technicians": ids}, format="json").status_code == 200

    assert len(many) == len(few)  # read, locked, set and told in bulk, whatever their number
    assert intervention.technicians.count() == MAX_TECHNICIANS


def test_an_unknown_technician_is_named_in_the_error(make_client, client_record):
    technician = TechnicianFactory()
    body = {"title": "T", "client": client_record.pk, "technicians": [technician.pk, 999_999]}

    error = assert_envelope(
        make_client("manager").post("/api/v1/interventions/", body, format="json"), 400, "validation_error"
    )

    assert "999999" in error["errors"]["technicians"][0]


# ------------------------------------------------------------------------------
# Datetimes: a sane range in, RFC 3339 offsets out
# ------------------------------------------------------------------------------
@pytest.mark.parametrize("start", ["1900-01-01T08:00:00Z", "1999-12-31T23:00:00Z", "2100-01-01T00:00:00Z"])
def test_a_datetime_outside_2000_to_2099_is_refused(make_client, client_record, start):
    body = {"title": "Hors limites", "client": client_record.pk, "scheduled_start": start}

    error = assert_envelope(make_client("manager").post(URL, body, format="json"), 400, "validation_error")

    assert set(error["errors"]) == {"scheduled_start"}


def test_a_datetime_stored_before_the_range_renders_with_a_whole_minute_offset(make_client, make_intervention):
    """Casablanca's offset before 1913 was -00:30:20 (local mean time): RFC 3339 has whole minutes only."""
    intervention = make_intervention()
    Intervention.objects.filter(pk=intervention.pk).update(due_date=None)
    Intervention.objects.filter(pk=intervention.pk).update(
        scheduled_start=datetime(1900, 1, 1, 8, tzinfo=UTC), scheduled_end=datetime(1900, 1, 1, 9, tzinfo=UTC)
    )

    body = make_client("manager").get(f"{URL}{intervention.pk}/").json()

    assert body["scheduled_start"] == "1900-01-01T08:00:00Z"


# ------------------------------------------------------------------------------
# Filters the planner can serve fast
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query",
    [{"status": ["new", "scheduled"]}, {"priority": "high", "type": "corrective"}, {"technician": "1"}],
)
def test_filtering_the_list_sorts_no_distinct_rows(make_client, query):
    """A DISTINCT over every column made the count of 500,000 rows 5 to 12 times slower."""
    with CaptureQueriesContext(connection) as queries:
        assert make_client("viewer").get(URL, query).status_code == 200

    assert not [query["sql"] for query in queries if "DISTINCT" in query["sql"]]


def test_filtering_by_technician_lists_each_of_his_interventions_once(make_client, make_intervention):
    technician, colleague = TechnicianFactory(), TechnicianFactory()
    shared = make_intervention(status="scheduled", technicians=[technician, colleague])
    make_intervention(status="scheduled", technicians=[colleague])

    response = make_client("viewer").get(URL, {"technician": technician.pk})

    assert [row["id"] for row in response.json()["results"]] == [shared.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_the_database_compiles_no_statement_just_in_time():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


@pytest.mark.parametrize("technicians", [["x"], [1.5], [2**63], [10**30], [[1]], "1,2", {"id": 1}])
def test_malformed_technician_lists_are_a_400_with_a_list_of_messages(make_client, client_record, technicians):
    body = {"title": "T", "client": client_record.pk, "technicians": technicians}

    error = assert_envelope(make_client("manager").post(URL, body, format="json"), 400, "validation_error")

    assert isinstance(error["errors"]["technicians"], list)
    assert all(isinstance(message, str) for message in error["errors"]["technicians"])


def test_priority_ordering_follows_the_rank_the_database_stores_even_for_bulk_rows(make_client, client_record):
    Intervention.objects.bulk_create(
        Intervention(reference=f"INT-2026-9{rank}", title=priority, priority=priority, client=client_record)
        for rank, priority in enumerate(["normal", "urgent", "low", "high"])
    )

    response = make_client("viewer").get(URL, {"ordering": "-priority"})

    assert [row["priority"] for row in response.json()["results"]] == ["urgent", "high", "normal", "low"]
    assert list(Intervention.objects.order_by("priority_rank").values_list("priority_rank", flat=True)) == [0, 1, 2, 3]


def test_dashboard_counts_each_technicians_open_work_and_todays_bookings(make_client, make_intervention):
    busy, idle = TechnicianFactory(user__last_name="Alami"), TechnicianFactory(user__last_name="Berrada")
    today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    make_intervention(status="scheduled", technicians=[busy], window=(today, today + timedelta(hours=1)))
    make_intervention(status="in_progress", technicians=[busy])
    make_intervention(status="completed", technicians=[busy])
    make_intervention(status="completed", technicians=[idle])

    rows = make_client(Role.VIEWER).get("/api/v1/dashboard/").json()["technicians"]

    counts = {row["id"]: (row["open_interventions"], row["scheduled_today"]) for row in rows}
    assert counts[busy.pk] == (2, 1)
    assert counts[idle.pk] == (0, 0)
