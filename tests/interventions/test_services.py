import re
from datetime import timedelta

import pytest
from django.utils import timezone

from equipment.choices import EquipmentStatus
from erp_mif.core.errors import ApplicationError
from interventions import services
from interventions.choices import TRANSITIONS, EventAction, Status
from interventions.models import Intervention, InterventionEvent
from tests.clients.factories import ClientFactory, SiteFactory
from tests.equipment.factories import EquipmentFactory
from tests.technicians.factories import TechnicianFactory

pytestmark = pytest.mark.django_db

ACTION_INPUTS = {
    "start": {},
    "hold": {"reason": "Attente pièce"},
    "resume": {},
    "complete": {"report": "Remplacement du filtre", "labor_minutes": 45},
    "cancel": {"reason": "Doublon"},
}


def _run(action, intervention, by):
    return getattr(services, f"intervention_{action}")(intervention=intervention, by=by, **ACTION_INPUTS[action])


# ------------------------------------------------------------------------------
# Create
# ------------------------------------------------------------------------------
def test_create_gives_yearly_references_in_sequence(manager, client_record):
    first = services.intervention_create(by=manager, client=client_record, title="A")
    second = services.intervention_create(by=manager, client=client_record, title="B")

    year = timezone.localdate().year
    assert re.fullmatch(rf"INT-{year}-\d{{5,}}", first.reference)
    assert int(second.reference.rsplit("-", 1)[1]) == int(first.reference.rsplit("-", 1)[1]) + 1


def test_create_records_the_author_and_a_created_event(manager, client_record):
    intervention = services.intervention_create(by=manager, client=client_record, title="Panne")

    assert intervention.status == Status.NEW
    assert intervention.created_by == manager
    event = intervention.events.get()
    assert (event.action, event.user) == (EventAction.CREATED, manager)


def test_create_with_technicians_and_window_is_scheduled_and_notifies_them(
    manager, client_record, technician, window, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks() as callbacks:
        intervention = services.intervention_create(
            by=manager,
            client=client_record,
            title="Révision",
            technicians=[technician],
            scheduled_start=window[0],
            scheduled_end=window[1],
        )

    assert intervention.status == Status.SCHEDULED
    assert list(intervention.technicians.all()) == [technician]
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("setup", "field"),
    [
        (lambda c: {"client": ClientFactory(is_active=False)}, "client"),
        (lambda c: {"site": SiteFactory()}, "site"),
        (lambda c: {"equipment": EquipmentFactory()}, "equipment"),
        (lambda c: {"equipment": EquipmentFactory(client=c, status=EquipmentStatus.RETIRED)}, "equipment"),
        (lambda c: {"technicians": [TechnicianFactory(user__is_active=False)]}, "technicians"),
    ],
    ids=["inactive-client", "foreign-site", "foreign-equipment", "retired-equipment", "inactive-technician"],
)
def test_create_refuses_invalid_relations_and_creates_nothing(manager, client_record, setup, field):
    fields = {"client": client_record, "title": "X", **setup(client_record)}

    with pytest.raises(ApplicationError) as refused:
        services.intervention_create(by=manager, **fields)

    assert refused.value.status_code == 400
    assert field in refused.value.errors
    assert not Intervention.objects.exists()


def test_create_refuses_an_end_before_the_start(manager, client_record, window):
    with pytest.raises(ApplicationError) as refused:
        services.intervention_create(
            by=manager, client=client_record, title="X", scheduled_start=window[1], scheduled_end=window[0]
        )
    assert "scheduled_end" in refused.value.errors


# ------------------------------------------------------------------------------
# The transition table, exhaustively
# ------------------------------------------------------------------------------
ALL_STATUSES = [status.value for status in Status]
CASES = [(action, status, status in TRANSITIONS[action][0]) for action in ACTION_INPUTS for status in ALL_STATUSES]


@pytest.mark.parametrize(("action", "status", "allowed"), CASES, ids=[f"{a}-from-{s}" for a, s, _ in CASES])
def test_every_transition_is_allowed_or_refused_as_the_table_says(make_intervention, manager, action, status, allowed):
    intervention = make_intervention(status=status)
    events_before = intervention.events.count()

    if allowed:
        moved = _run(action, intervention, manager)
        assert moved.status == TRANSITIONS[action][1]
        assert intervention.events.count() == events_before + 1
        assert intervention.events.last().changes["status"] == [status, TRANSITIONS[action][1]]
    else:
        with pytest.raises(ApplicationError) as refused:
            _run(action, intervention, manager)
        assert refused.value.code == "invalid_transition"
        intervention.refresh_from_db()
        assert intervention.status == status
        assert intervention.events.count() == events_before


def test_actions_stamp_their_fields(make_intervention, manager):
    intervention = make_intervention(status="scheduled")
    intervention = services.intervention_start(intervention=intervention, by=manager)
    assert intervention.started_at is not None
    intervention = services.intervention_hold(intervention=intervention, by=manager, reason="Pièce")
    intervention = services.intervention_resume(intervention=intervention, by=manager)
    assert intervention.hold_reason == "Pièce"  # kept after resume
    intervention = services.intervention_complete(
        intervention=intervention, by=manager, report="Fait", labor_minutes=90
    )
    assert (intervention.report, intervention.labor_minutes) == ("Fait", 90)
    assert intervention.completed_at is not None


def test_complete_notifies_after_commit_only(make_intervention, manager, django_capture_on_commit_callbacks):
    intervention = make_intervention(status="in_progress")
    with django_capture_on_commit_callbacks() as callbacks:
        services.intervention_complete(intervention=intervention, by=manager, report="OK")
    assert len(callbacks) == 1


def test_cancel_keeps_the_reason(make_intervention, manager):
    intervention = services.intervention_cancel(intervention=make_intervention(), by=manager, reason="Doublon")
    assert intervention.cancel_reason == "Doublon"
    assert intervention.cancelled_at is not None


# ------------------------------------------------------------------------------
# Assignment and schedule conflicts
# ------------------------------------------------------------------------------
def _assign(intervention, by, technicians, start, end):
    return services.intervention_assign(
        intervention=intervention, by=by, technicians=technicians, scheduled_start=start, scheduled_end=end
    )


def test_assign_refuses_an_overlapping_booking_naming_the_reference(make_intervention, manager, technician, window):
    booked = make_intervention(status="scheduled", technicians=[technician], window=window)
    other = make_intervention()

    with pytest.raises(ApplicationError) as refused:
        _assign(other, manager, [technician], window[0] + timedelta(minutes=30), window[1] + timedelta(hours=1))

    assert refused.value.code == "schedule_conflict"
    assert booked.reference in " ".join(refused.value.errors["technicians"])
    other.refresh_from_db()
    assert other.status == Status.NEW
    assert not other.technicians.exists()


def test_assign_accepts_touching_windows(make_intervention, manager, technician, window):
    make_intervention(status="scheduled", technicians=[technician], window=window)
    other = make_intervention()

    assigned = _assign(other, manager, [technician], window[1], window[1] + timedelta(hours=1))

    assert assigned.status == Status.SCHEDULED


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_closed_interventions_do_not_book_the_technician(make_intervention, manager, technician, window, status):
    make_intervention(status=status, technicians=[technician], window=window)

    assert _assign(make_intervention(), manager, [technician], *window).status == Status.SCHEDULED


@pytest.mark.parametrize("status", ["in_progress", "on_hold"])
def test_running_interventions_book_the_technician(make_intervention, manager, technician, window, status):
    make_intervention(status=status, technicians=[technician], window=window)

    with pytest.raises(ApplicationError) as refused:
        _assign(make_intervention(), manager, [technician], *window)
    assert refused.value.code == "schedule_conflict"


def test_reassigning_an_intervention_does_not_conflict_with_itself(make_intervention, manager, technician, window):
    intervention = make_intervention(status="scheduled", technicians=[technician], window=window)

    again = _assign(intervention, manager, [technician], window[0], window[1] + timedelta(hours=1))

    assert again.scheduled_end == window[1] + timedelta(hours=1)


def test_assign_replaces_the_list_and_notifies_added_and_removed(
    make_intervention, manager, window, django_capture_on_commit_callbacks
):
    first, second = TechnicianFactory(), TechnicianFactory()
    intervention = make_intervention(status="scheduled", technicians=[first], window=window)

    with django_capture_on_commit_callbacks() as callbacks:
        _assign(intervention, manager, [second], *window)

    assert list(intervention.technicians.all()) == [second]
    assert len(callbacks) == 2  # assigned to second, unassigned from first
    assert intervention.events.last().changes["technicians"] == [[first.pk], [second.pk]]


# ------------------------------------------------------------------------------
# Update and delete
# ------------------------------------------------------------------------------
def test_update_records_what_changed(make_intervention, manager):
    intervention = make_intervention()

    services.intervention_update(intervention=intervention, by=manager, title="Nouveau titre")

    event = intervention.events.last()
    assert event.action == EventAction.UPDATED
    assert event.changes == {"title": [intervention.title, "Nouveau titre"]}


def test_update_with_technicians_and_window_schedules_a_new_intervention(
    make_intervention, manager, technician, window
):
    intervention = make_intervention()

    updated = services.intervention_update(
        intervention=intervention,
        by=manager,
        technicians=[technician],
        scheduled_start=window[0],
        scheduled_end=window[1],
    )

    assert updated.status == Status.SCHEDULED


def test_update_runs_the_conflict_check(make_intervention, manager, technician, window):
    make_intervention(status="scheduled", technicians=[technician], window=window)
    intervention = make_intervention()

    with pytest.raises(ApplicationError) as refused:
        services.intervention_update(
            intervention=intervention,
            by=manager,
            technicians=[technician],
            scheduled_start=window[0],
            scheduled_end=window[1],
        )
    assert refused.value.code == "schedule_conflict"


def test_update_refuses_technician_changes_once_started(make_intervention, manager):
    intervention = make_intervention(status="in_progress")

    with pytest.raises(ApplicationError) as refused:
        services.intervention_update(intervention=intervention, by=manager, technicians=[TechnicianFactory()])
    assert refused.value.code == "invalid_transition"


def test_a_scheduled_intervention_keeps_its_technicians(make_intervention, manager):
    with pytest.raises(ApplicationError) as refused:
        services.intervention_update(intervention=make_intervention(status="scheduled"), by=manager, technicians=[])
    assert refused.value.status_code == 400


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_closed_interventions_cannot_be_edited(make_intervention, manager, status):
    with pytest.raises(ApplicationError) as refused:
        services.intervention_update(intervention=make_intervention(status=status), by=manager, title="X")
    assert refused.value.code == "invalid_transition"


@pytest.mark.parametrize(("status", "deletable"), [(s, s in ("new", "cancelled")) for s in ALL_STATUSES])
def test_only_new_or_cancelled_interventions_can_be_deleted(make_intervention, status, deletable):
    intervention = make_intervention(status=status)

    if deletable:
        services.intervention_delete(intervention=intervention)
        assert not Intervention.objects.filter(pk=intervention.pk).exists()
        assert not InterventionEvent.objects.filter(intervention_id=intervention.pk).exists()
    else:
        with pytest.raises(ApplicationError) as refused:
            services.intervention_delete(intervention=intervention)
        assert refused.value.code == "protected"
        assert Intervention.objects.filter(pk=intervention.pk).exists()
