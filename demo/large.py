"""The benchmark data set of `seed_demo --size large`: thousands of clients, tens of thousands of
equipment and hundreds of thousands of interventions, inserted with bulk_create in batches.

No services here: they check and record one row at a time, far too slow for 500,000 rows. The rows
are built consistent instead: references numbered after their counters (which end advanced past
them), statuses matching their timestamps, records created after what they point at. Rows are
generated lazily and inserted batch by batch, so memory stays flat whatever the size.
"""

import bisect
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.db import connection, models, reset_queries, transaction
from django.utils import timezone

from clients.models import Client, Site
from clients.services import REFERENCE_COUNTER as CLIENT_COUNTER
from clients.services import format_reference
from equipment.choices import EquipmentStatus
from equipment.models import Equipment
from erp_mif.accounts.choices import Role
from erp_mif.accounts.models import User
from erp_mif.core.models import ReferenceCounter
from erp_mif.core.references import advance_to
from interventions.choices import OPEN_STATUSES, EventAction, InterventionPriority, InterventionType, Status
from interventions.models import Intervention, InterventionEvent, MaintenancePlan
from interventions.services import format_reference as format_intervention_reference
from interventions.services import reference_counter as intervention_counter
from technicians.models import Technician

from .domain import (
    CANCEL_REASONS,
    CATALOGUE,
    CITIES,
    FAULTS,
    HOLD_REASONS,
    MAINTENANCE,
    PLAN_INTERVALS,
    REPORTS,
    SKILLS,
    City,
    EquipmentModel,
    skills_named,
)

SEED = 500_000
# The bench technicians' emails: finding one means the large data set is already there.
BENCH_EMAIL_DOMAIN = "bench.mif.ma"

DAY = 86_400.0
HOUR = 3_600.0
# Clients and equipment arrive over six years; interventions cover the last three.
CLIENT_HISTORY_DAYS = 6 * 365
INTERVENTION_HISTORY_DAYS = 3 * 365
# Younger interventions may still be open; older ones are nearly all closed.
RECENT_DAYS = 45

LARGE_CITIES = {
    **CITIES,
    "Mohammedia": City("Casablanca-Settat", 33.6866, -7.3830, "523"),
    "El Jadida": City("Casablanca-Settat", 33.2316, -8.5007, "523"),
    "Kénitra": City("Rabat-Salé-Kénitra", 34.2610, -6.5802, "537"),
    "Tétouan": City("Tanger-Tétouan", 35.5785, -5.3684, "539"),
    "Meknès": City("Fès-Meknès", 33.8935, -5.5473, "535"),
    "Safi": City("Marrakech-Safi", 32.2994, -9.2372, "524"),
    "Oujda": City("Oriental", 34.6814, -1.9086, "536"),
    "Béni Mellal": City("Béni Mellal-Khénifra", 32.3373, -6.3498, "523"),
    "Laâyoune": City("Laâyoune-Sakia El Hamra", 27.1253, -13.1625, "528"),
}
# Where the clients are: Casablanca weighs most, as it does in Moroccan industry.
CITY_WEIGHTS = (30, 10, 10, 7, 8, 7, 5, 3, 4, 3, 4, 2, 3, 2, 2)
CITY_NAMES = tuple(LARGE_CITIES)

COMPANY_NAMES = (
    "Atlas", "Sebou", "Chaouia", "Souss", "Rif", "Oum Errabia", "Tensift", "Moulouya", "Saïss", "Draa",
    "Anfa", "Bouregreg", "Al Amal", "Al Massira", "Nour", "Mogador", "Tafilalet", "Ifrane", "Zagora", "Tadla",
)  # fmt: skip
ACTIVITIES = (
    "Plastiques", "Agro-Industries", "Logistique", "Textile", "Emballages", "Métallurgie", "Conserverie",
    "Minoterie", "Imprimerie", "Froid Industriel", "Carrelages", "Câblerie", "Laiterie", "Hôtellerie",
    "Clinique", "Automobile", "Chimie", "Pharma", "Papeterie", "Menuiserie Industrielle",
)  # fmt: skip
LEGAL_FORMS = ("SARL", "SA", "SARL AU")
SITE_KINDS = ("Usine", "Entrepôt", "Siège", "Dépôt", "Atelier", "Agence", "Plateforme")
STREETS = (
    "Boulevard Mohammed V", "Avenue Hassan II", "Zone industrielle", "Route nationale 1", "Boulevard Zerktouni",
    "Avenue des FAR", "Quartier industriel", "Parc d'activités",
)  # fmt: skip
FIRST_NAMES = (
    "Mohamed", "Youssef", "Hamza", "Karim", "Omar", "Rachid", "Mehdi", "Adil", "Hicham", "Driss", "Brahim",
    "Othmane", "Ayoub", "Fatima Zahra", "Khadija", "Nadia", "Salma", "Imane", "Zineb", "Leila", "Samira", "Nawal",
)  # fmt: skip
LAST_NAMES = (
    "Alaoui", "Bennani", "Benjelloun", "Chraibi", "El Idrissi", "Tazi", "Berrada", "Lahlou", "Amrani", "Sabri",
    "Kettani", "Sqalli", "Bennis", "Tahiri", "El Fassi", "Bouzidi", "Sefrioui", "Naciri", "Rhazi", "Filali",
    "Cherkaoui", "Hajji", "Skalli", "Ait Lahcen",
)  # fmt: skip

EQUIPMENT_STATUSES = (
    EquipmentStatus.OPERATIONAL,
    EquipmentStatus.UNDER_MAINTENANCE,
    EquipmentStatus.OUT_OF_ORDER,
    EquipmentStatus.RETIRED,
)
EQUIPMENT_STATUS_WEIGHTS = (90, 4, 3, 3)
# Statuses and their weights, for interventions older than RECENT_DAYS (a few forgotten ones stay
# open: the overdue backlog) and for recent ones.
OLD_STATUSES = (Status.COMPLETED, Status.CANCELLED, Status.ON_HOLD, Status.NEW)
OLD_WEIGHTS = (93, 5, 1, 1)
RECENT_STATUSES = (Status.NEW, Status.SCHEDULED, Status.IN_PROGRESS, Status.ON_HOLD, Status.COMPLETED, Status.CANCELLED)
RECENT_WEIGHTS = (20, 30, 8, 5, 32, 5)
# Statuses that went through an assignment, hence have technicians.
ASSIGNED_STATUSES = frozenset({Status.SCHEDULED, Status.IN_PROGRESS, Status.ON_HOLD, Status.COMPLETED})
TYPES = (InterventionType.CORRECTIVE, InterventionType.PREVENTIVE, InterventionType.INSPECTION)
TYPE_WEIGHTS = (6, 3, 1)
PRIORITIES = tuple(InterventionPriority)
PRIORITY_WEIGHTS = (15, 55, 22, 8)


def large_data_present() -> bool:
    return User.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}").exists()


def seed_large(
    *,
    clients: int = 2_000,
    equipment: int = 50_000,
    interventions: int = 500_000,
    technicians: int = 100,
    plans: int = 3_000,
    created_by: User | None = None,
    batch_size: int = 2_000,
    log: Callable[[str], None] = lambda message: None,
) -> dict[str, int] | None:
    """Bulk-insert the benchmark data set in one transaction; None when the database already holds it.

    The interventions are `created_by` that user (the demo manager); `log` receives the progress.
    """
    if large_data_present():
        return None
    seeder = _Seeder(random.Random(SEED), timezone.now(), batch_size, log)  # noqa: S311 - reproducible, not secret
    with (
        transaction.atomic(),
        _explicit_timestamps(Client, Site, Equipment, Technician, MaintenancePlan, Intervention, InterventionEvent),
    ):
        seeder.clients(clients)
        seeder.equipment(equipment)
        seeder.technicians(technicians)
        seeder.interventions(interventions, created_by)
        seeder.plans(plans)
        seeder.numbers.advance_counters()
    seeder.log(f"committed ({seeder.elapsed():.1f} s)")
    seeder.analyze()
    return seeder.counts


@contextmanager
def _explicit_timestamps(*model_classes: type[models.Model]):
    """Let bulk_create keep the rows' own created_at/updated_at instead of stamping them all with now().

    auto_now and auto_now_add are switched off on the fields for the duration, process-wide: only
    for a command like this one, never inside a server handling requests.
    """
    stamped = [
        model_field
        for model in model_classes
        for model_field in model._meta.concrete_fields
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False)
    ]
    flags = [(model_field, model_field.auto_now, model_field.auto_now_add) for model_field in stamped]
    for model_field in stamped:
        model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in flags:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


def _batches(rows: Iterable, size: int) -> Iterator[list]:
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


def _spread(rng: random.Random, count: int, start: float, end: float) -> Iterator[float]:
    """`count` timestamps between start and end, ascending, a random moment in each equal slice."""
    step = (end - start) / count
    for index in range(count):
        yield start + (index + rng.random()) * step


def _moment(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


class _Numbers:
    """Reference numbers after each counter's current value; the counters are advanced at the end,
    so the next record created through a service continues after the bulk ones."""

    def __init__(self):
        self.last: dict[str, int] = {}

    def next(self, counter: str) -> int:
        if counter not in self.last:
            current = ReferenceCounter.objects.filter(name=counter).values_list("value", flat=True).first()
            self.last[counter] = current or 0
        self.last[counter] += 1
        return self.last[counter]

    def advance_counters(self) -> None:
        for counter, value in self.last.items():
            advance_to(counter, value)


@dataclass
class _Owners:
    """The inserted rows later rows point at, kept as plain columns: a few values per row, no objects.

    `created` holds ascending POSIX timestamps, so the rows that existed at a moment are a prefix.
    """

    ids: list[int] = field(default_factory=list)
    created: list[float] = field(default_factory=list)

    def existing_at(self, moment: float) -> int:
        return max(1, bisect.bisect_right(self.created, moment))


class _Seeder:
    """Builds and inserts the data set step by step; each step keeps, as plain columns, what the next ones
    point at (ids, creation times, cities), and every draw comes from one seeded generator."""

    def __init__(self, rng: random.Random, now: datetime, batch_size: int, log: Callable[[str], None]):
        self.rng, self.now, self.batch_size, self.log = rng, now, batch_size, log
        self.timestamp = now.timestamp()
        # When the first clients arrived; the bench technicians have been there since.
        self.history_start = now - timedelta(days=CLIENT_HISTORY_DAYS)
        self.numbers = _Numbers()
        self.counts: dict[str, int] = {}
        self.started = time.monotonic()
        self.client_rows = _Owners()
        self.client_city: list[str] = []
        self.client_sites: list[list[int]] = []
        # Cumulative client sizes: a few big accounts own most of the equipment, as in real life.
        self.client_weights: list[float] = []
        self.equipment_rows = _Owners()
        self.equipment_client: list[int] = []  # index into the client columns
        self.equipment_site: list[int] = []
        self.equipment_model: list[int] = []  # index into CATALOGUE
        self.equipment_retired: list[bool] = []
        self.technicians_by_zone: dict[str, list[int]] = defaultdict(list)
        self.all_technicians: list[int] = []

    # --------------------------------------------------------------------------
    def insert(self, model: type[models.Model], rows: Iterable[models.Model], label: str, total: int):
        """bulk_create `rows` batch by batch, yielding each inserted batch (primary keys set), with progress."""
        done, step = 0, max(1, total // 10)
        for batch in _batches(rows, self.batch_size):
            inserted = model.objects.bulk_create(batch)
            # With DEBUG on, Django keeps the SQL of its last 9,000 queries: megabytes per bulk INSERT.
            reset_queries()
            if (done + len(inserted)) // step > done // step or done + len(inserted) == total:
                self.log(f"{label}: {done + len(inserted):,}/{total:,} ({self.elapsed():.1f} s)")
            done += len(inserted)
            yield inserted
        self.counts[label] = done

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def analyze(self) -> None:
        # Fresh planner statistics and visibility maps, as autovacuum leaves a production database: the
        # benchmarks run right after see the real table sizes and can answer counts from the indexes.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # VACUUM cannot run inside a transaction (a test's): statistics alone there.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        self.log(f"done in {self.elapsed():.1f} s")

    # --------------------------------------------------------------------------
    # Clients and sites
    # --------------------------------------------------------------------------
    def clients(self, count: int) -> None:
        start = self.history_start.timestamp()
        rows = (self.client(moment) for moment in _spread(self.rng, count, start, self.timestamp - 30 * DAY))
        for batch in self.insert(Client, rows, "clients", count):
            for client in batch:
                self.client_rows.ids.append(client.pk)
                self.client_rows.created.append(client.created_at.timestamp())
                self.client_city.append(client.city)
        sizes = (min(self.rng.paretovariate(1.2), 50.0) for _ in range(count))
        self.client_weights = list(_cumulative(sizes))
        self.sites()

    def client(self, moment: float) -> Client:
        number = self.numbers.next(CLIENT_COUNTER)
        city = self.rng.choices(CITY_NAMES, weights=CITY_WEIGHTS)[0]
        created = _moment(moment)
        return Client(
            reference=format_reference(number),
            name=f"{self.rng.choice(COMPANY_NAMES)} {self.rng.choice(ACTIVITIES)} {self.rng.choice(LEGAL_FORMS)}",
            # 15 digits starting with 9: unique by the reference number, never one of the demo ICEs.
            ice=f"9{number:014d}",
            email=f"contact@client{number}.ma",
            phone=f"+212{LARGE_CITIES[city].phone_prefix}{self.rng.randint(100000, 999999)}",
            address=f"{self.rng.randint(1, 250)}, {self.rng.choice(STREETS)}",
            city=city,
            contact_name=" ".join(_person(self.rng)),
            created_at=created,
            updated_at=created,
        )

    def sites(self) -> None:
        counts = [self.rng.choice((1, 1, 2, 2, 3)) for _ in self.client_rows.ids]
        rows = (self.site(index, number) for index, count in enumerate(counts) for number in range(count))
        self.client_sites = [[] for _ in counts]
        for batch in self.insert(Site, rows, "sites", sum(counts)):
            for site in batch:
                self.client_sites[site.client_index].append(site.pk)

    def site(self, client_index: int, number: int) -> Site:
        city_name = self.client_city[client_index]
        city = LARGE_CITIES[city_name]
        created = _moment(self.client_rows.created[client_index])
        site = Site(
            client_id=self.client_rows.ids[client_index],
            name=f"{self.rng.choice(SITE_KINDS)} {city_name} {number + 1}",
            address=f"{self.rng.randint(1, 250)}, {self.rng.choice(STREETS)}",
            city=city_name,
            latitude=Decimal(f"{city.latitude + self.rng.uniform(-0.08, 0.08):.6f}"),
            longitude=Decimal(f"{city.longitude + self.rng.uniform(-0.08, 0.08):.6f}"),
            contact_name=" ".join(_person(self.rng)),
            contact_phone=f"+2126{self.rng.randint(10000000, 99999999)}",
            created_at=created,
            updated_at=created,
        )
        site.client_index = client_index  # to file the new id under its client once inserted
        return site

    def existing_client(self, moment: float) -> int:
        """A client already created at `moment`, the big ones more often."""
        existing = self.client_rows.existing_at(moment)
        return bisect.bisect_right(self.client_weights, self.rng.random() * self.client_weights[existing - 1])

    # --------------------------------------------------------------------------
    # Equipment
    # --------------------------------------------------------------------------
    def equipment(self, count: int) -> None:
        start = self.client_rows.created[0] + DAY
        rows = (
            self.equipment_row(index, moment)
            for index, moment in enumerate(_spread(self.rng, count, start, self.timestamp - DAY))
        )
        for batch in self.insert(Equipment, rows, "equipment", count):
            for item in batch:
                self.equipment_rows.ids.append(item.pk)
                self.equipment_rows.created.append(item.created_at.timestamp())
                self.equipment_retired.append(item.status == EquipmentStatus.RETIRED)

    def equipment_row(self, index: int, moment: float) -> Equipment:
        client_index = self.existing_client(moment)
        model_index = self.rng.randrange(len(CATALOGUE))
        model = CATALOGUE[model_index]
        site_id = self.rng.choice(self.client_sites[client_index])
        self.equipment_client.append(client_index)
        self.equipment_site.append(site_id)
        self.equipment_model.append(model_index)
        created = _moment(moment)
        installed = timezone.localdate(created)
        return Equipment(
            serial_number=f"{model.serial_prefix}-{index + 1:06d}",
            name=model.name,
            category=model.category,
            brand=model.brand,
            model=model.model,
            client_id=self.client_rows.ids[client_index],
            site_id=site_id,
            status=self.rng.choices(EQUIPMENT_STATUSES, weights=EQUIPMENT_STATUS_WEIGHTS)[0],
            installation_date=installed,
            warranty_end=installed + timedelta(days=365 * self.rng.randint(1, 3)),
            location=model.location,
            created_at=created,
            updated_at=created,
        )

    # --------------------------------------------------------------------------
    # Technicians
    # --------------------------------------------------------------------------
    def technicians(self, count: int) -> None:
        users = User.objects.bulk_create(self.technician_user(number) for number in range(1, count + 1))
        profiles = Technician.objects.bulk_create(
            self.technician_profile(number, user) for number, user in enumerate(users, start=1)
        )
        skills = skills_named(SKILLS)
        Technician.skills.through.objects.bulk_create(
            Technician.skills.through(technician_id=profile.pk, skill_id=skill.pk)
            for profile in profiles
            for skill in self.rng.sample(skills, self.rng.randint(1, 3))
        )
        # Existing profiles (technicien@mif.ma's) get work too, so their accounts have a workload to list.
        for technician_id, zone in Technician.objects.filter(user__is_active=True).values_list("pk", "zone"):
            self.technicians_by_zone[zone].append(technician_id)
        self.all_technicians = [pk for zone in self.technicians_by_zone.values() for pk in zone]
        self.counts["technicians"] = len(profiles)
        self.log(f"technicians: {len(profiles):,} ({self.elapsed():.1f} s)")

    def technician_user(self, number: int) -> User:
        first_name, last_name = _person(self.rng)
        return User(
            date_joined=self.history_start,
            email=f"technicien{number:03d}@{BENCH_EMAIL_DOMAIN}",
            first_name=first_name,
            last_name=last_name,
            phone=f"+2126{self.rng.randint(10000000, 99999999)}",
            role=Role.TECHNICIAN,
            # bulk_create skips User.save, which derives these two from the role.
            is_staff=False,
            is_superuser=False,
            password=make_password(None),  # unusable: bench technicians never sign in
        )

    def technician_profile(self, number: int, user: User) -> Technician:
        zone = LARGE_CITIES[self.rng.choices(CITY_NAMES, weights=CITY_WEIGHTS)[0]].zone
        return Technician(
            user=user,
            employee_code=f"BCH-{number:04d}",
            zone=zone,
            created_at=self.history_start,
            updated_at=self.history_start,
        )

    def team_for(self, city: str) -> list[int]:
        """One technician of the city's zone (anyone's when the zone has none), sometimes two."""
        candidates = self.technicians_by_zone.get(LARGE_CITIES[city].zone) or self.all_technicians
        size = 2 if len(candidates) > 1 and self.rng.random() < 0.2 else 1
        return self.rng.sample(candidates, size)

    # --------------------------------------------------------------------------
    # Interventions
    # --------------------------------------------------------------------------
    def interventions(self, count: int, created_by: User | None) -> None:
        start = self.timestamp - INTERVENTION_HISTORY_DAYS * DAY
        author = created_by.pk if created_by else None
        rows = (self.intervention(moment, author) for moment in _spread(self.rng, count, start, self.timestamp))
        booking = Intervention.technicians.through
        assignments = events = 0
        for batch in self.insert(Intervention, rows, "interventions", count):
            bookings = booking.objects.bulk_create(
                booking(intervention_id=intervention.pk, technician_id=technician)
                for intervention in batch
                for technician in intervention.team
            )
            # One "created" event each, so that no history is empty; the later steps are not replayed.
            created = InterventionEvent.objects.bulk_create(
                InterventionEvent(
                    intervention_id=intervention.pk,
                    at=intervention.created_at,
                    user_id=author,
                    action=EventAction.CREATED,
                    changes={"status": [None, Status.NEW]},
                )
                for intervention in batch
            )
            assignments, events = assignments + len(bookings), events + len(created)
        self.counts["technician assignments"], self.counts["events"] = assignments, events

    def intervention(self, moment: float, author: int | None) -> Intervention:
        status = self.status(moment)
        equipment_index = self.rng.randrange(self.equipment_rows.existing_at(moment))
        client_index = self.equipment_client[equipment_index]
        # Retired equipment takes no new work: an open intervention on it concerns the site instead.
        on_equipment = not (self.equipment_retired[equipment_index] and status in OPEN_STATUSES)
        created = _moment(moment)
        year = timezone.localtime(created).year
        workflow = self.workflow(status, moment)
        intervention = Intervention(
            reference=format_intervention_reference(year, self.numbers.next(intervention_counter(year))),
            **self.subject(CATALOGUE[self.equipment_model[equipment_index]] if on_equipment else None),
            priority=self.rng.choices(PRIORITIES, weights=PRIORITY_WEIGHTS)[0],
            status=status,
            client_id=self.client_rows.ids[client_index],
            site_id=self.equipment_site[equipment_index],
            equipment_id=self.equipment_rows.ids[equipment_index] if on_equipment else None,
            due_date=timezone.localdate(created + timedelta(days=self.rng.randint(2, 30))),
            created_by_id=author,
            created_at=created,
            updated_at=max((value for value in workflow.values() if isinstance(value, datetime)), default=created),
            **workflow,
        )
        # The technicians to book once the row has its id.
        intervention.team = self.team_for(self.client_city[client_index]) if status in ASSIGNED_STATUSES else []
        return intervention

    def status(self, moment: float) -> str:
        if self.timestamp - moment < RECENT_DAYS * DAY:
            return self.rng.choices(RECENT_STATUSES, weights=RECENT_WEIGHTS)[0]
        return self.rng.choices(OLD_STATUSES, weights=OLD_WEIGHTS)[0]

    def subject(self, model: EquipmentModel | None) -> dict:
        kind = self.rng.choices(TYPES, weights=TYPE_WEIGHTS)[0]
        if model is None:
            return {"type": kind, "title": "Diagnostic sur site", "description": "Diagnostic de l'installation."}
        if kind == InterventionType.CORRECTIVE:
            fault = self.rng.choice(FAULTS[model.category])
            return {
                "type": kind,
                "title": f"{fault} - {model.name}",
                "description": f"Signalé par le client : {fault.lower()}.",
            }
        title = "Visite préventive" if kind == InterventionType.PREVENTIVE else "Contrôle réglementaire"
        return {"type": kind, "title": f"{title} - {model.name}", "description": MAINTENANCE[model.category]}

    def workflow(self, status: str, created: float) -> dict:
        """The workflow fields of an intervention of `status` opened at `created`: all between then and now."""
        rng, now = self.rng, self.timestamp
        if status == Status.NEW:
            return {}
        if status == Status.CANCELLED:
            cancelled = created + (now - created) * rng.uniform(0, 0.3)
            return {"cancelled_at": _moment(cancelled), "cancel_reason": rng.choice(CANCEL_REASONS)}
        if status == Status.SCHEDULED:
            return _window(max(created, now) + rng.uniform(HOUR, 21 * DAY), rng)
        if status == Status.IN_PROGRESS:
            started = now - rng.uniform(0, min(now - created, 3 * DAY))
            return {**_window(max(created, started - rng.uniform(0, HOUR)), rng), "started_at": _moment(started)}
        if status == Status.ON_HOLD:
            started = created + (now - created) * rng.uniform(0.1, 0.9)
            return {
                **_window(max(created, started - rng.uniform(0, HOUR)), rng),
                "started_at": _moment(started),
                "hold_reason": rng.choice(HOLD_REASONS),
            }
        started = created + rng.uniform(0, min((now - created) / 2, 10 * DAY))
        worked = min(rng.uniform(0.5 * HOUR, 8 * HOUR), now - started)
        return {
            **_window(max(created, started - rng.uniform(0, HOUR)), rng),
            "started_at": _moment(started),
            "completed_at": _moment(started + worked),
            "report": rng.choice(REPORTS),
            "labor_minutes": int(worked * 0.9 / 60),
        }

    # --------------------------------------------------------------------------
    # Maintenance plans
    # --------------------------------------------------------------------------
    def plans(self, count: int) -> None:
        live = [index for index, retired in enumerate(self.equipment_retired) if not retired]
        today = timezone.localdate(self.now)
        rows = (self.plan(self.rng.choice(live), today) for _ in range(count if live else 0))
        for _inserted in self.insert(MaintenancePlan, rows, "maintenance plans", count):
            pass  # nothing points at plans: no ids to keep

    def plan(self, equipment_index: int, today: date) -> MaintenancePlan:
        model = CATALOGUE[self.equipment_model[equipment_index]]
        every, unit, adjective = self.rng.choice(PLAN_INTERVALS)
        since = self.equipment_rows.created[equipment_index]
        created = _moment(since + (self.timestamp - since) * self.rng.random())
        client_index = self.equipment_client[equipment_index]
        return MaintenancePlan(
            equipment_id=self.equipment_rows.ids[equipment_index],
            title=f"Entretien {adjective} - {model.name}",
            description=MAINTENANCE[model.category],
            interval_value=every,
            interval_unit=unit,
            # Due ahead only: plans overdue would make the daily job open thousands of interventions at once.
            next_due_date=today + timedelta(days=self.rng.randint(1, 365)),
            default_technician_id=self.team_for(self.client_city[client_index])[0],
            created_at=created,
            updated_at=created,
        )


def _window(start: float, rng: random.Random) -> dict:
    return {"scheduled_start": _moment(start), "scheduled_end": _moment(start + rng.uniform(2 * HOUR, 8 * HOUR))}


def _cumulative(values: Iterable[float]) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total
