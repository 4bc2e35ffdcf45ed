from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.test import Client as BrowserClient
from django.utils import timezone

from equipment.choices import EquipmentStatus
from erp_mif.accounts.choices import Role
from interventions import services, tasks
from interventions.choices import InterventionType, Status
from interventions.models import Intervention
from notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.equipment.factories import EquipmentFactory
from tests.interventions.factories import MaintenancePlanFactory
from tests.technicians.factories import TechnicianFactory

pytestmark = pytest.mark.django_db

# Noon in Casablanca on a fixed day, so "tomorrow" and "today" are unambiguous.
NOW = datetime(2027, 1, 15, 12, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def staff(db):
    return [UserFactory(role=Role.MANAGER), UserFactory(role=Role.ADMIN)]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


# ------------------------------------------------------------------------------
# Month arithmetic of plans
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("due", "value", "unit", "due_day", "expected"),
    [
        (date(2027, 1, 31), 1, "month", 31, date(2027, 2, 28)),
        (date(2027, 2, 28), 1, "month", 31, date(2027, 3, 31)),
        (date(2027, 11, 30), 3, "month", 30, date(2028, 2, 29)),
        (date(2028, 2, 29), 1, "year", 29, date(2029, 2, 28)),
        (date(2031, 2, 28), 1, "year", 29, date(2032, 2, 29)),
        (date(2027, 12, 15), 2, "month", 15, date(2028, 2, 15)),
        (date(2027, 1, 31), 2, "week", 31, date(2027, 2, 14)),
        (date(2027, 12, 31), 1, "day", 31, date(2028, 1, 1)),
    ],
)
def test_plan_steps_keep_the_day_of_month_where_it_exists(due, value, unit, due_day, expected):
    assert services.plan_step(due, value=value, unit=unit, due_day=due_day) == expected


# ------------------------------------------------------------------------------
# preventive
# ------------------------------------------------------------------------------
def test_preventive_opens_one_intervention_per_due_date_and_advances_the_plan(frozen, staff):
    technician = TechnicianFactory()
    plan = services.maintenance_plan_create(
        equipment=EquipmentFactory(),
        title="Vidange",
        interval_value=1,
        interval_unit="month",
        next_due_date=date(2026, 11, 30),
        lead_days=7,
        default_technician=technician,
    )

    counts = tasks.generate_preventive()

    created = Intervention.objects.filter(maintenance_plan=plan).order_by("due_date")
    # Nov 30 and Dec 30 are owed; Jan 30 minus 7 days of lead is still after Jan 15, so the plan waits there.
    assert [i.due_date for i in created] == [date(2026, 11, 30), date(2026, 12, 30)]
    assert counts["interventions"] == 2
    assert all(i.type == InterventionType.PREVENTIVE and i.created_by is None for i in created)
    assert all(list(i.technicians.all()) == [technician] for i in created)
    assert created[0].events.get().user is None  # the history says "system"
    plan.refresh_from_db()
    assert plan.next_due_date == date(2027, 1, 30)
    assert plan.last_generated_at is not None
    assert Notification.objects.filter(kind="maintenance_due").count() == 2 * len(staff)


def test_preventive_twice_creates_nothing_twice(frozen, staff):
    MaintenancePlanFactory(next_due_date=date(2027, 1, 20), lead_days=7)

    first, second = tasks.generate_preventive(), tasks.generate_preventive()

    assert first["interventions"] == 1
    assert second["interventions"] == 0
    assert Intervention.objects.count() == 1
    assert Notification.objects.filter(kind="maintenance_due").count() == len(staff)


def test_preventive_keeps_the_day_of_month_across_short_months(staff):
    plan = services.maintenance_plan_create(
        equipment=EquipmentFactory(),
        title="Contrôle",
        interval_value=1,
        interval_unit="month",
        next_due_date=date(2027, 1, 31),
        lead_days=0,
    )
    for day in (date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)):
        with time_machine.travel(_at(day, 12), tick=False):
            tasks.generate_preventive()

    due_dates = sorted(Intervention.objects.filter(maintenance_plan=plan).values_list("due_date", flat=True))
    assert due_dates == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]


def test_preventive_ignores_plans_not_yet_in_their_lead_time_and_inactive_ones(frozen):
    MaintenancePlanFactory(next_due_date=date(2027, 1, 25), lead_days=7)  # Jan 18 > Jan 15
    MaintenancePlanFactory(next_due_date=date(2027, 1, 1), is_active=False)

    assert tasks.generate_preventive()["interventions"] == 0
    assert not Intervention.objects.exists()


def test_preventive_skips_a_plan_of_retired_equipment_without_failing_the_others(frozen):
    MaintenancePlanFactory(next_due_date=date(2027, 1, 10), equipment=EquipmentFactory(status=EquipmentStatus.RETIRED))
    live = MaintenancePlanFactory(next_due_date=date(2027, 1, 10))

    counts = tasks.generate_preventive()

    assert counts["plans_skipped"] == 1
    assert list(Intervention.objects.values_list("maintenance_plan", flat=True)) == [live.pk]


def test_a_plan_whose_notice_fails_rolls_back_alone_and_the_run_is_recorded_as_failed(frozen, staff, monkeypatch):
    broken = MaintenancePlanFactory(next_due_date=date(2027, 1, 10))
    served = MaintenancePlanFactory(next_due_date=date(2027, 1, 11))
    notify_maintenance_due = tasks.notices.notify_maintenance_due

    def fails_for_the_first_plan(*, intervention, plan, recipients):
        if plan.pk == broken.pk:
            raise RuntimeError("template missing")
        return notify_maintenance_due(intervention=intervention, plan=plan, recipients=recipients)

    monkeypatch.setattr(tasks.notices, "notify_maintenance_due", fails_for_the_first_plan)

    with pytest.raises(RuntimeError, match="1 preventive plan"):
        tasks.generate_preventive()

    assert list(Intervention.objects.values_list("maintenance_plan", flat=True)) == [served.pk]
    broken.refresh_from_db()
    assert broken.next_due_date == date(2027, 1, 10)  # untouched: the next run tries it again


def test_a_plan_never_yields_two_interventions_for_one_due_date(frozen):
    plan = MaintenancePlanFactory(next_due_date=date(2027, 1, 10))
    tasks.generate_preventive()
    plan.refresh_from_db()
    plan.next_due_date = date(2027, 1, 10)  # moved back by hand onto a date already served
    plan.save()

    tasks.generate_preventive()

    assert Intervention.objects.filter(maintenance_plan=plan, due_date=date(2027, 1, 10)).count() == 1


# ------------------------------------------------------------------------------
# reminders and overdue
# ------------------------------------------------------------------------------
def test_reminders_go_to_the_technicians_of_tomorrows_scheduled_interventions_once(frozen, make_intervention):
    tomorrow = NOW.date() + timedelta(days=1)
    first, second = TechnicianFactory(), TechnicianFactory()
    due = make_intervention(
        status="scheduled", technicians=[first, second], window=(_at(tomorrow, 9), _at(tomorrow, 11))
    )
    day_after = tomorrow + timedelta(days=1)
    make_intervention(status="scheduled", window=(_at(day_after, 9), _at(day_after, 10)))
    make_intervention(status="in_progress", window=(_at(tomorrow, 13), _at(tomorrow, 14)))

    counts = tasks.send_reminders()
    again = tasks.send_reminders()

    reminders = Notification.objects.filter(kind="intervention_reminder")
    assert {n.user_id for n in reminders} == {first.user_id, second.user_id}
    assert all(n.data == {"intervention": due.pk} for n in reminders)
    assert all(n.title == f"Demain : {due.reference}" for n in reminders)  # French, like every message
    assert (counts["notifications"], again["notifications"]) == (2, 0)


def test_reminders_use_the_casablanca_calendar_day(make_intervention):
    technician = TechnicianFactory()
    # 23:30 on Jan 15 in Casablanca: tomorrow (Jan 16) starts at 00:00 local, whatever UTC says.
    late = timezone.make_aware(datetime(2027, 1, 15, 23, 30))
    make_intervention(
        status="scheduled",
        technicians=[technician],
        window=(_at(date(2027, 1, 16), 0) + timedelta(minutes=30), _at(date(2027, 1, 16), 2)),
    )
    with time_machine.travel(late, tick=False):
        assert tasks.send_reminders()["notifications"] == 1


def test_overdue_notifies_managers_and_admins_once_per_due_date(frozen, staff, manager, make_intervention):
    staff = [*staff, manager]  # the manager who opened the interventions is told too
    late = make_intervention(due_date=NOW.date() - timedelta(days=1))
    make_intervention(due_date=NOW.date() - timedelta(days=1), status="completed")
    UserFactory(role=Role.MANAGER, is_active=False)

    tasks.notify_overdue()
    tasks.notify_overdue()

    notes = Notification.objects.filter(kind="intervention_overdue")
    assert sorted(n.user_id for n in notes) == sorted(user.pk for user in staff)
    assert {n.data["intervention"] for n in notes} == {late.pk}

    services.intervention_update(intervention=late, by=staff[0], due_date=NOW.date() - timedelta(days=2))
    tasks.notify_overdue()
    assert Notification.objects.filter(kind="intervention_overdue").count() == 2 * len(staff)


def test_no_job_touches_closed_interventions(frozen, staff, make_intervention):
    make_intervention(status="cancelled", due_date=NOW.date() - timedelta(days=3))

    assert tasks.notify_overdue() == {"interventions": 0, "notifications": 0}
    assert Intervention.objects.get().status == Status.CANCELLED


def test_editing_a_plan_without_moving_its_date_keeps_the_day_it_aims_at(make_client, staff):
    plan = services.maintenance_plan_create(
        equipment=EquipmentFactory(),
        title="Contrôle",
        interval_value=1,
        interval_unit="month",
        next_due_date=date(2027, 1, 31),
        lead_days=0,
    )
    with time_machine.travel(_at(date(2027, 1, 31), 12), tick=False):
        tasks.generate_preventive()  # now due Feb 28
    payload = {
        "equipment": plan.equipment_id,
        "title": "Contrôle mensuel",
        "interval_value": 1,
        "interval_unit": "month",
        "next_due_date": "2027-02-28",
    }
    assert (
        make_client(Role.MANAGER).put(f"/api/v1/maintenance-plans/{plan.pk}/", payload, format="json").status_code
        == 200
    )

    with time_machine.travel(_at(date(2027, 2, 28), 12), tick=False):
        tasks.generate_preventive()

    plan.refresh_from_db()
    assert plan.next_due_date == date(2027, 3, 31)


def test_a_plan_made_in_the_back_office_keeps_its_day_of_month(staff):
    browser = BrowserClient()
    browser.force_login(staff[0])
    equipment = EquipmentFactory()
    response = browser.post(
        "/admin/interventions/maintenanceplan/add/",
        {
            "equipment": equipment.pk,
            "title": "Révision",
            "interval_value": 1,
            "interval_unit": "month",
            "next_due_date": "2027-01-31",
            "lead_days": 0,
            "priority": "normal",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]

    with time_machine.travel(_at(date(2027, 1, 31), 12), tick=False):
        tasks.generate_preventive()
    with time_machine.travel(_at(date(2027, 2, 28), 12), tick=False):
        tasks.generate_preventive()

    assert equipment.maintenance_plans.get().next_due_date == date(2027, 3, 31)


def test_a_repeated_overdue_run_does_not_revisit_announced_work(
    frozen, staff, make_intervention, django_assert_max_num_queries
):
    for _ in range(5):
        make_intervention(due_date=NOW.date() - timedelta(days=1))
    tasks.notify_overdue()

    with django_assert_max_num_queries(3):  # overdue work, recipients, notices already sent
        assert tasks.notify_overdue()["notifications"] == 0
