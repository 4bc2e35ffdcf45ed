import re
from collections import defaultdict
from datetime import timedelta
from functools import partial
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from clients.models import Client, Site
from clients.services import client_create
from demo.domain import CITIES, TECHNICIANS
from demo.large import seed_large
from demo.management.commands import seed_demo
from equipment.choices import EquipmentStatus
from equipment.models import Equipment
from erp_mif.accounts.choices import Role
from erp_mif.accounts.models import User
from erp_mif.core.references import next_number
from interventions.choices import BOOKING_STATUSES, OPEN_STATUSES, EventAction, IntervalUnit, InterventionStatus
from interventions.models import Intervention, InterventionEvent, MaintenancePlan
from technicians.models import Technician

pytestmark = pytest.mark.django_db

CONTRACT_ACCOUNTS = {
    "admin@mif.ma": Role.ADMIN,
    "manager@mif.ma": Role.MANAGER,
    "technicien@mif.ma": Role.TECHNICIAN,
    "user@mif.ma": Role.VIEWER,
}
TINY = {"clients": 20, "equipment": 50, "interventions": 200, "technicians": 5, "plans": 10, "batch_size": 64}
SEEDED_MODELS = (Client, Site, Equipment, User, Technician, Intervention, InterventionEvent, MaintenancePlan)


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo():
    seed()


# ------------------------------------------------------------------------------
# Accounts, password, production guard
# ------------------------------------------------------------------------------
def test_seed_demo_creates_the_contract_accounts_with_the_given_password():
    seed("--password", "Another-Pa55!")

    for email, role in CONTRACT_ACCOUNTS.items():
        user = User.objects.get(email=email)
        assert user.role == role
        assert user.check_password("Another-Pa55!")
    assert User.objects.get(email=TECHNICIANS[0].email).check_password("Another-Pa55!")


def test_seed_demo_reads_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "From-The-Env-42")
    call_command("seed_demo", stdout=StringIO())

    assert User.objects.get(email="admin@mif.ma").check_password("From-The-Env-42")


def test_seed_demo_refuses_production_settings_unless_forced(settings):
    settings.ENVIRONMENT = "production"

    with pytest.raises(CommandError):
        seed()
    assert not User.objects.exists()

    seed("--force")
    assert User.objects.filter(email__in=CONTRACT_ACCOUNTS).count() == len(CONTRACT_ACCOUNTS)


# ------------------------------------------------------------------------------
# Demo size
# ------------------------------------------------------------------------------
def test_seed_demo_twice_creates_nothing_twice():
    seed()
    before = {model: model.objects.count() for model in SEEDED_MODELS}

    output = seed()

    assert {model: model.objects.count() for model in SEEDED_MODELS} == before
    assert User.objects.filter(email__in=CONTRACT_ACCOUNTS).count() == len(CONTRACT_ACCOUNTS)
    assert "already present" in output


def test_demo_clients_are_in_the_six_cities_with_unique_15_digit_ices(demo):
    clients = list(Client.objects.prefetch_related("sites"))

    assert {client.city for client in clients} == set(CITIES)
    assert all(re.fullmatch(r"\d{15}", client.ice) for client in clients)
    assert len({client.ice for client in clients}) == len(clients)
    assert all(re.fullmatch(r"CLI-\d{5}", client.reference) for client in clients)
    assert all(re.fullmatch(r"\+212\d{9}", client.phone) for client in clients)
    for client in clients:
        city = CITIES[client.city]
        assert 1 <= len(client.sites.all()) <= 3
        for site in client.sites.all():
            assert abs(float(site.latitude) - city.latitude) < 0.5
            assert abs(float(site.longitude) - city.longitude) < 0.5


def test_demo_equipment_mixes_categories_and_brands_with_warranties_ending_soon_and_one_retired(demo):
    today = timezone.localdate()

    assert Equipment.objects.count() >= 30
    assert Equipment.objects.values("category").distinct().count() >= 6
    assert {"Atlas Copco", "Caterpillar", "Grundfos"} <= set(Equipment.objects.values_list("brand", flat=True))
    assert Equipment.objects.filter(warranty_end__range=(today, today + timedelta(days=30))).exists()
    assert Equipment.objects.filter(status=EquipmentStatus.RETIRED).count() == 1
    assert not Equipment.objects.exclude(site__client=F("client")).exists()


def test_demo_interventions_cover_every_status_with_their_workflow_history(demo):
    interventions = Intervention.objects.all()

    assert set(interventions.values_list("status", flat=True)) == set(InterventionStatus)
    assert all(
        re.fullmatch(r"INT-\d{4}-\d{5}", reference) for reference in interventions.values_list("reference", flat=True)
    )
    assert not interventions.exclude(events__action=EventAction.CREATED).exists()
    completed = interventions.filter(status=InterventionStatus.COMPLETED)
    assert not completed.exclude(events__action=EventAction.COMPLETED).exists()
    assert not completed.filter(Q(started_at=None) | Q(completed_at__lt=F("started_at"))).exists()
    # Spread over the past weeks, and some still open past their due date.
    assert interventions.filter(created_at__lt=timezone.now() - timedelta(days=21)).exists()
    assert interventions.filter(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate()).exists()
    assert not InterventionEvent.objects.filter(at__gt=timezone.now()).exists()


def test_demo_bookings_never_overlap_for_a_technician(demo):
    windows = defaultdict(list)
    booked = Intervention.objects.filter(status__in=BOOKING_STATUSES).prefetch_related("technicians")
    for intervention in booked:
        for technician in intervention.technicians.all():
            windows[technician.pk].append((intervention.scheduled_start, intervention.scheduled_end))

    assert windows
    for technician_windows in windows.values():
        ordered = sorted(technician_windows)
        assert all(end <= next_start for (_, end), (next_start, _) in pairwise(ordered))


def test_the_contract_technician_has_a_profile_and_assigned_interventions(demo):
    technician = Technician.objects.get(user__email="technicien@mif.ma")

    assert technician.zone == "Casablanca-Settat"
    assert technician.skills.exists()
    assert technician.interventions.count() >= 3
    assert technician.interventions.filter(status=InterventionStatus.SCHEDULED).exists()
    assert Technician.objects.count() >= 6


def test_demo_maintenance_plans_have_intervals_and_default_technicians(demo):
    plans = MaintenancePlan.objects.all()

    assert plans.count() >= 6
    assert {IntervalUnit.WEEK, IntervalUnit.MONTH, IntervalUnit.YEAR} <= set(
        plans.values_list("interval_unit", flat=True)
    )
    assert plans.filter(interval_unit=IntervalUnit.MONTH, interval_value=3).exists()
    assert not plans.filter(default_technician=None).exists()
    assert not plans.filter(equipment__status=EquipmentStatus.RETIRED).exists()


# ------------------------------------------------------------------------------
# Large size, on a tiny scale
# ------------------------------------------------------------------------------
def test_large_seed_numbers_after_the_counters_and_leaves_them_advanced():
    client_create(name="Déjà là")

    counts = seed_large(**TINY)

    assert counts["clients"] == Client.objects.count() - 1 == TINY["clients"]
    assert counts["interventions"] == Intervention.objects.count() == TINY["interventions"]
    references = list(Intervention.objects.values_list("reference", flat=True))
    assert len(set(references)) == len(references)
    assert client_create(name="Après").reference == f"CLI-{TINY['clients'] + 2:05d}"
    last_by_year = defaultdict(int)
    for reference in references:
        _, year, number = reference.split("-")
        last_by_year[year] = max(last_by_year[year], int(number))
    assert len(last_by_year) > 1  # three years of history
    for year, last in last_by_year.items():
        assert next_number(f"intervention-{year}") == last + 1


def test_large_seed_statuses_match_their_timestamps():
    seed_large(**TINY)
    interventions = Intervention.objects.all()
    assigned = interventions.filter(status__in=BOOKING_STATUSES | {InterventionStatus.COMPLETED})

    assert interventions.values("status").distinct().count() >= 4
    assert (
        not interventions.filter(status=InterventionStatus.COMPLETED)
        .filter(Q(started_at=None) | Q(completed_at=None) | Q(completed_at__lt=F("started_at")))
        .exists()
    )
    assert not interventions.filter(status=InterventionStatus.CANCELLED, cancelled_at=None).exists()
    assert not interventions.filter(status__in=OPEN_STATUSES).exclude(completed_at=None).exists()
    assert not interventions.filter(status=InterventionStatus.NEW).exclude(started_at=None).exists()
    assert not assigned.filter(Q(technicians=None) | Q(scheduled_start=None)).exists()
    assert not interventions.filter(Q(started_at__lt=F("created_at")) | Q(created_at__gt=timezone.now())).exists()
    assert not interventions.exclude(equipment=None).exclude(equipment__client=F("client")).exists()


def test_large_seed_rows_keep_their_own_dates_and_later_rows_get_now_again():
    seed_large(**TINY)

    assert Client.objects.filter(created_at__lt=timezone.now() - timedelta(days=365)).exists()
    assert Client.objects.aggregate(days=Count("created_at__date", distinct=True))["days"] > 1
    assert client_create(name="Nouveau").created_at > timezone.now() - timedelta(minutes=1)


def test_large_seed_runs_once():
    seed_large(**TINY)

    assert seed_large(**TINY) is None
    assert Intervention.objects.count() == TINY["interventions"]


def test_seed_demo_size_large_gives_the_contract_technician_a_share_of_the_work(monkeypatch):
    monkeypatch.setattr(seed_demo, "seed_large", partial(seed_large, **TINY))

    output = seed("--size", "large")

    assert "large data ready" in output
    assert not Client.objects.filter(ice__startswith="00").exists()  # no demo clients
    technician = Technician.objects.get(user__email="technicien@mif.ma")
    assert Technician.objects.count() == TINY["technicians"] + 1
    assert technician.interventions.exists()
