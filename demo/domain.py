"""The demo records of `seed_demo`: a dozen Moroccan clients with their sites and equipment,
technicians, interventions in every status and maintenance plans.

Everything goes through the services, so references, checks and intervention histories are the
real ones; the timestamps the services stamp with now() are then moved into the past weeks. A
fixed seed gives every machine the same data, and the demo clients' ICEs mark a database that
is already seeded, so a second run creates nothing.
"""

import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from clients.models import Client, Site
from clients.services import client_create, site_create
from equipment.choices import EquipmentStatus
from equipment.models import Equipment
from equipment.services import equipment_create
from erp_mif.accounts.models import User
from interventions import services as workflow
from interventions.choices import EventAction, IntervalUnit, InterventionPriority, InterventionType, Status
from interventions.models import Intervention, MaintenancePlan
from technicians.models import Skill, Technician
from technicians.services import technician_create

SEED = 2026


# ------------------------------------------------------------------------------
# Reference data (shared with the large data set)
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class City:
    zone: str  # the region, which is also how technicians' zones are named
    latitude: float
    longitude: float
    phone_prefix: str  # the fixed-line area code after +212


CITIES = {
    "Casablanca": City("Casablanca-Settat", 33.5731, -7.5898, "522"),
    "Rabat": City("Rabat-Salé-Kénitra", 34.0209, -6.8416, "537"),
    "Tanger": City("Tanger-Tétouan", 35.7595, -5.8340, "539"),
    "Fès": City("Fès-Meknès", 34.0331, -5.0003, "535"),
    "Marrakech": City("Marrakech-Safi", 31.6295, -7.9811, "524"),
    "Agadir": City("Souss-Massa", 30.4278, -9.5981, "528"),
}

SKILLS = ("électricité", "mécanique", "hydraulique", "froid", "automatisme")


@dataclass(frozen=True)
class EquipmentModel:
    category: str
    brand: str
    model: str
    name: str
    serial_prefix: str
    location: str


CATALOGUE = (
    EquipmentModel("compresseur", "Atlas Copco", "GA 37 VSD+", "Compresseur à vis 37 kW", "API", "Local compresseurs"),
    EquipmentModel("compresseur", "Atlas Copco", "GA 75", "Compresseur à vis 75 kW", "API", "Local compresseurs"),
    EquipmentModel("groupe électrogène", "Caterpillar", "C15", "Groupe électrogène 500 kVA", "CAT", "Local groupe"),
    EquipmentModel("groupe électrogène", "Caterpillar", "DE220E0", "Groupe électrogène 220 kVA", "CAT", "Extérieur"),
    EquipmentModel("chaudière", "Viessmann", "Vitoplex 200", "Chaudière fioul 400 kW", "VIT", "Chaufferie"),
    EquipmentModel("chaudière", "De Dietrich", "C 330 Eco", "Chaudière gaz 280 kW", "DDC", "Chaufferie"),
    EquipmentModel("climatisation", "Carrier", "30RB 162", "Groupe d'eau glacée 160 kW", "CAR", "Toiture"),
    EquipmentModel("climatisation", "Carrier", "42QHF", "Armoire de climatisation", "CAR", "Salle serveurs"),
    EquipmentModel("climatisation", "Daikin", "VRV IV", "Climatisation VRV", "DAI", "Bureaux"),
    EquipmentModel("pompe", "Grundfos", "CR 32-4", "Pompe multicellulaire", "GRF", "Station de pompage"),
    EquipmentModel("pompe", "Grundfos", "NB 65-200", "Pompe de surpression", "GRF", "Bâche à eau"),
    EquipmentModel("chariot élévateur", "Toyota", "8FBE15", "Chariot élévateur électrique 1,5 t", "TMH", "Entrepôt"),
    EquipmentModel("chariot élévateur", "Toyota", "02-8FDF25", "Chariot élévateur diesel 2,5 t", "TMH", "Quai"),
    EquipmentModel("transformateur", "Schneider Electric", "Trihal", "Transformateur sec 630 kVA", "SEF", "Poste HT"),
    EquipmentModel("transformateur", "ABB", "RESIBLOC", "Transformateur 1000 kVA", "ABB", "Poste HT"),
    EquipmentModel("onduleur", "Schneider Electric", "Galaxy VS", "Onduleur 100 kVA", "SEG", "Local TGBT"),
    EquipmentModel("variateur", "ABB", "ACS880", "Variateur de vitesse 90 kW", "ABB", "Local TGBT"),
)

FAULTS = {
    "compresseur": ("Arrêt en défaut température", "Fuite d'huile au séparateur", "Pression réseau insuffisante"),
    "groupe électrogène": ("Ne démarre pas au test hebdomadaire", "Alarme basse pression d'huile"),
    "chaudière": ("Brûleur en sécurité", "Fuite sur le circuit de chauffage"),
    "climatisation": ("Perte de puissance frigorifique", "Fuite de fluide frigorigène", "Compresseur bruyant"),
    "pompe": ("Bruit anormal et vibrations", "Garniture mécanique fuyarde"),
    "chariot élévateur": ("Batterie ne tient plus la charge", "Fuite hydraulique sur le vérin de levée"),
    "transformateur": ("Échauffement anormal", "Déclenchement de la protection"),
    "onduleur": ("Alarme batteries", "Passage intempestif sur by-pass"),
    "variateur": ("Défaut surintensité", "Ventilateur de refroidissement HS"),
}

MAINTENANCE = {
    "compresseur": "Vidange, remplacement des filtres à air et à huile, contrôle des pressions.",
    "groupe électrogène": "Vidange, filtres, contrôle batterie et liquide de refroidissement, essai en charge.",
    "chaudière": "Ramonage, réglage de la combustion, contrôle des sécurités.",
    "climatisation": "Nettoyage des batteries, contrôle d'étanchéité et des pressions, relevé des intensités.",
    "pompe": "Contrôle des vibrations et de la garniture, graissage des roulements.",
    "chariot élévateur": "Contrôle des freins, des fourches et du circuit hydraulique, entretien batterie.",
    "transformateur": "Thermographie, resserrage des connexions, nettoyage.",
    "onduleur": "Test des batteries, nettoyage, mise à jour du firmware.",
    "variateur": "Dépoussiérage, contrôle des ventilateurs et des paramètres.",
}

REPORTS = (
    "Pièce défectueuse remplacée, essais en charge concluants.",
    "Nettoyage, resserrage des connexions et réglages ; fonctionnement nominal.",
    "Réglages effectués et sécurités contrôlées ; aucune anomalie relevée.",
    "Visite réalisée selon la gamme d'entretien ; rien à signaler.",
)
HOLD_REASONS = (
    "En attente de pièce (commande fournisseur en cours).",
    "Consignation électrique à obtenir auprès du client.",
    "Client absent, accès au local refusé.",
)
CANCEL_REASONS = (
    "Doublon d'une demande existante.",
    "Annulée à la demande du client.",
    "Équipement remplacé par le client.",
)


# ------------------------------------------------------------------------------
# The demo records
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class DemoSite:
    name: str
    address: str
    latitude: str
    longitude: str


@dataclass(frozen=True)
class DemoClient:
    name: str
    city: str
    ice: str
    domain: str
    contact: str
    sites: tuple[DemoSite, ...]


# fmt: off
CLIENTS = (
    DemoClient("Chaouia Plastiques SARL", "Casablanca", "001528463000071", "chaouiaplastiques.ma", "Mohamed Benali", (
        DemoSite("Usine Sidi Maarouf", "Zone industrielle Sidi Maarouf, lot 42", "33.533120", "-7.639480"),
        DemoSite("Dépôt Aïn Sebaâ", "Route de Rabat, Aïn Sebaâ", "33.605410", "-7.533020"),
        DemoSite("Plateforme Bouskoura", "Zone logistique Ouled Saleh, Bouskoura", "33.449270", "-7.648110"),
    )),
    DemoClient("Clinique Anfa Santé SA", "Casablanca", "002145789000034", "anfasante.ma", "Fatima Zahra Kettani", (
        DemoSite("Clinique Anfa", "Boulevard d'Anfa", "33.589030", "-7.632150"),
        DemoSite("Centre d'imagerie Maârif", "Rue Ibnou Mounir, Maârif", "33.579260", "-7.640370"),
    )),
    DemoClient("Bouregreg Imprimerie SARL", "Rabat", "001937254000058", "bouregreg-imprimerie.ma", "Abdelilah Sqalli", (
        DemoSite("Atelier Technopolis", "Technopolis Rabat-Shore, Sala Al Jadida", "34.000810", "-6.735220"),
    )),
    DemoClient("Complexe Hôtelier Les Oudayas SA", "Rabat", "000218744000092", "oudayas-hotels.ma", "Nawal Bennis", (
        DemoSite("Hôtel Les Oudayas", "Avenue Mohammed V", "34.023570", "-6.835140"),
        DemoSite("Blanchisserie Hay Riad", "Avenue Annakhil, Hay Riad", "33.960240", "-6.869980"),
    )),
    DemoClient("Tanger Med Froid Logistique SA", "Tanger", "002063117000019", "tmfroid.ma", "Adil Tahiri", (
        DemoSite("Entrepôt zone franche Tanger Med", "Zone franche logistique, Ksar Sghir", "35.886020", "-5.500310"),
        DemoSite("Plateforme Gzenaya", "Zone d'activités Gzenaya", "35.728140", "-5.905270"),
    )),
    DemoClient("Détroit Textile SARL", "Tanger", "001742985000066", "detroit-textile.ma", "Samira El Fassi", (
        DemoSite("Usine Moghogha", "Zone industrielle Moghogha", "35.745330", "-5.780460"),
    )),
    DemoClient("Saïss Minoterie SA", "Fès", "001360592000047", "saiss-minoterie.ma", "Driss Bouzidi", (
        DemoSite("Minoterie Sidi Brahim", "Quartier industriel Sidi Brahim", "34.056180", "-4.980270"),
        DemoSite("Silo Aïn Chkef", "Route d'Immouzzer, Aïn Chkef", "33.980420", "-5.020150"),
    )),
    DemoClient("Tanneries Modernes de Fès SARL", "Fès", "002219836000083", "tmf-cuirs.ma", "Leila Sefrioui", (
        DemoSite("Usine Bensouda", "Zone industrielle Bensouda", "34.044090", "-5.056120"),
    )),
    DemoClient("Palmeraie Resort & Spa SA", "Marrakech", "001085473000025", "palmeraie-resort.ma", "Hicham Naciri", (
        DemoSite("Hôtel Palmeraie", "Circuit de la Palmeraie", "31.672150", "-7.958040"),
        DemoSite("Buanderie Sidi Ghanem", "Zone industrielle Sidi Ghanem", "31.661030", "-8.047120"),
    )),
    DemoClient("Menara Carrelages Industriels SARL", "Marrakech", "001654208000091", "menara-carrelages.ma",
               "Imane Rhazi", (
        DemoSite("Usine Sidi Ghanem", "Zone industrielle Sidi Ghanem, lot 118", "31.664220", "-8.044980"),
        DemoSite("Showroom Guéliz", "Avenue Mohammed VI, Guéliz", "31.637040", "-8.010230"),
    )),
    DemoClient("Souss Conserverie de Poissons SA", "Agadir", "002387641000052", "souss-conserverie.ma",
               "Brahim Ait Lahcen", (
        DemoSite("Conserverie Anza", "Zone industrielle Anza", "30.445170", "-9.655040"),
        DemoSite("Entrepôt frigorifique du port", "Port d'Agadir, quai de pêche", "30.420360", "-9.630110"),
    )),
    DemoClient("Agadir Primeurs Export SARL", "Agadir", "000974315000038", "agadir-primeurs.ma", "Zineb Amzil", (
        DemoSite("Station Aït Melloul", "Zone industrielle Aït Melloul", "30.335080", "-9.500270"),
        DemoSite("Station Tassila", "Zone industrielle Tassila", "30.390140", "-9.550320"),
    )),
)
# fmt: on


@dataclass(frozen=True)
class DemoTechnician:
    email: str
    first_name: str
    last_name: str
    phone: str
    employee_code: str
    zone: str
    skills: tuple[str, ...]


# The profile of the contract's technician account (the account itself comes from seed_accounts).
CONTRACT_TECHNICIAN_PROFILE = {"employee_code": "TEC-001", "zone": "Casablanca-Settat"}
CONTRACT_TECHNICIAN_SKILLS = ("électricité", "automatisme")
# fmt: off
TECHNICIANS = (
    DemoTechnician("mehdi.sabri@mif.ma", "Mehdi", "Sabri", "+212661428375", "TEC-002", "Casablanca-Settat",
                   ("mécanique", "hydraulique")),
    DemoTechnician("karim.alaoui@mif.ma", "Karim", "Alaoui", "+212662531948", "TEC-003", "Rabat-Salé-Kénitra",
                   ("mécanique", "électricité")),
    DemoTechnician("nadia.bennani@mif.ma", "Nadia", "Bennani", "+212663719204", "TEC-004", "Tanger-Tétouan",
                   ("froid", "électricité")),
    DemoTechnician("omar.chraibi@mif.ma", "Omar", "Chraibi", "+212664802613", "TEC-005", "Fès-Meknès",
                   ("mécanique", "automatisme")),
    DemoTechnician("rachid.amrani@mif.ma", "Rachid", "Amrani", "+212665947120", "TEC-006", "Marrakech-Safi",
                   ("froid", "hydraulique")),
    DemoTechnician("khadija.lahlou@mif.ma", "Khadija", "Lahlou", "+212666184539", "TEC-007", "Souss-Massa",
                   ("électricité", "froid")),
)
# fmt: on

EQUIPMENT_COUNT = 40
WARRANTY = timedelta(days=730)
# Equipment by position: the first ones see their warranty end within 30 days, one is retired.
WARRANTY_ENDING_SOON = range(4)
RETIRED_INDEX = 4
OUT_OF_ORDER_INDEX = 5

# How many interventions of each status; together they cover the whole workflow.
# In-progress first: they take the technicians' latest half days.
STATUS_MIX = {
    Status.IN_PROGRESS: 4,
    Status.COMPLETED: 14,
    Status.CANCELLED: 4,
    Status.ON_HOLD: 3,
    Status.SCHEDULED: 10,
    Status.NEW: 8,
}

# (every, unit, adjective) of the maintenance plans.
PLAN_INTERVALS = (
    (1, IntervalUnit.MONTH, "mensuel"),
    (3, IntervalUnit.MONTH, "trimestriel"),
    (1, IntervalUnit.YEAR, "annuel"),
    (1, IntervalUnit.WEEK, "hebdomadaire"),
    (6, IntervalUnit.MONTH, "semestriel"),
    (1, IntervalUnit.MONTH, "mensuel"),
    (3, IntervalUnit.MONTH, "trimestriel"),
    (1, IntervalUnit.YEAR, "annuel"),
)

# The half days a technician is booked on: morning and afternoon visits.
HALF_DAYS = ((time(8, 30), time(12, 30)), (time(14, 0), time(17, 30)))


def demo_data_present() -> bool:
    return Client.objects.filter(ice__in=[client.ice for client in CLIENTS]).exists()


def skills_named(names: Iterable[str]) -> list[Skill]:
    return [Skill.objects.get_or_create(name=name)[0] for name in names]


def contract_technician_profile(user: User) -> Technician:
    """The field profile of technicien@mif.ma, without which his account sees no intervention."""
    technician, created = Technician.objects.get_or_create(user=user, defaults=CONTRACT_TECHNICIAN_PROFILE)
    if created:
        technician.skills.set(skills_named(CONTRACT_TECHNICIAN_SKILLS))
    return technician


def seed_domain(*, manager: User, technician: Technician, password: str) -> dict[str, int] | None:
    """Create the demo records once; None when the database already holds them.

    `manager` opens and plans the interventions, `technician` (technicien@mif.ma's profile) works
    the Casablanca ones, and the other demo technicians sign in with `password`.
    """
    if demo_data_present():
        return None
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not secrets
    now = timezone.now()
    technicians = [technician, *_seed_technicians(password)]
    sites = _seed_clients(rng, now)
    equipment = _seed_equipment(rng, sites, now)
    live = [item for item in equipment if item.status != EquipmentStatus.RETIRED]
    teams = _Teams(rng, technicians)
    interventions = _seed_interventions(rng, live, teams, manager, now)
    plans = _seed_plans(rng, live, teams, now)
    return {
        "clients": len(CLIENTS),
        "sites": len(sites),
        "equipment": len(equipment),
        "technicians": len(technicians),
        "interventions": interventions,
        "maintenance plans": plans,
    }


# ------------------------------------------------------------------------------
# Clients, sites, equipment, technicians
# ------------------------------------------------------------------------------
def _seed_technicians(password: str) -> list[Technician]:
    # One hash for all: hashing is deliberately slow and the demo technicians share the password.
    hashed = make_password(password)
    technicians = []
    for spec in TECHNICIANS:
        technician = technician_create(
            email=spec.email,
            first_name=spec.first_name,
            last_name=spec.last_name,
            phone=spec.phone,
            employee_code=spec.employee_code,
            zone=spec.zone,
            skills=spec.skills,
        )
        technician.user.password = hashed
        technician.user.save(update_fields=["password"])
        technicians.append(technician)
    return technicians


def _seed_clients(rng: random.Random, now: datetime) -> list[Site]:
    clients, sites = [], []
    for spec in CLIENTS:
        city = CITIES[spec.city]
        client = client_create(
            name=spec.name,
            ice=spec.ice,
            email=f"contact@{spec.domain}",
            phone=f"+212{city.phone_prefix}{rng.randint(100000, 999999)}",
            address=spec.sites[0].address,
            city=spec.city,
            contact_name=spec.contact,
        )
        client.created_at = client.updated_at = now - timedelta(days=rng.randint(900, 2200))
        clients.append(client)
        sites.extend(_seed_sites(rng, client, spec.sites))
    Client.objects.bulk_update(clients, ["created_at", "updated_at"])
    Site.objects.bulk_update(sites, ["created_at", "updated_at"])
    return sites


def _seed_sites(rng: random.Random, client: Client, specs: Iterable[DemoSite]) -> Iterator[Site]:
    for spec in specs:
        site = site_create(
            client=client,
            name=spec.name,
            address=spec.address,
            city=client.city,
            latitude=Decimal(spec.latitude),
            longitude=Decimal(spec.longitude),
            contact_name=client.contact_name,
            contact_phone=f"+2126{rng.randint(10000000, 99999999)}",
        )
        site.created_at = site.updated_at = client.created_at
        yield site


def _seed_equipment(rng: random.Random, sites: list[Site], now: datetime) -> list[Equipment]:
    today = timezone.localdate(now)
    serials: set[str] = set()
    equipment = []
    for index in range(EQUIPMENT_COUNT):
        site = sites[index % len(sites)]  # round robin: every site gets some
        model = rng.choice(CATALOGUE)
        installed = today - timedelta(days=rng.randint(200, 2900))
        if index in WARRANTY_ENDING_SOON:
            installed = today + timedelta(days=rng.randint(3, 28)) - WARRANTY
        item = equipment_create(
            serial_number=_unique_serial(rng, model, installed, serials),
            name=model.name,
            client=site.client,
            site=site,
            category=model.category,
            brand=model.brand,
            model=model.model,
            status=_equipment_status(index),
            installation_date=installed,
            warranty_end=installed + WARRANTY,
            location=model.location,
            notes="Remplacé par un modèle plus récent." if index == RETIRED_INDEX else "",
        )
        item.created_at = item.updated_at = max(site.created_at, _at(installed, time(10)))
        equipment.append(item)
    Equipment.objects.bulk_update(equipment, ["created_at", "updated_at"])
    return equipment


def _unique_serial(rng: random.Random, model: EquipmentModel, installed: date, taken: set[str]) -> str:
    while True:
        serial = f"{model.serial_prefix}{installed:%y}-{rng.randint(10000, 99999)}"
        if serial not in taken:
            taken.add(serial)
            return serial


def _equipment_status(index: int) -> str:
    if index == RETIRED_INDEX:
        return EquipmentStatus.RETIRED
    if index == OUT_OF_ORDER_INDEX:
        return EquipmentStatus.OUT_OF_ORDER
    return EquipmentStatus.OPERATIONAL


# ------------------------------------------------------------------------------
# Interventions
# ------------------------------------------------------------------------------
class _Teams:
    """Who goes where: the technicians of the site's zone, and the windows each one is booked on.

    The booking book keeps every technician's windows apart, so the seed never trips the
    services' schedule-conflict check.
    """

    def __init__(self, rng: random.Random, technicians: list[Technician]):
        self.rng = rng
        self.by_zone: dict[str, list[Technician]] = defaultdict(list)
        for technician in technicians:
            self.by_zone[technician.zone].append(technician)
        self.booked: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)

    def lead(self, city: str) -> Technician:
        return self.by_zone[CITIES[city].zone][0]

    def team(self, city: str) -> list[Technician]:
        """The zone's lead technician (technicien@mif.ma in Casablanca), sometimes with a colleague."""
        lead, *others = self.by_zone[CITIES[city].zone]
        return [lead, *others[:1]] if others and self.rng.random() < 0.3 else [lead]

    def book(self, team: list[Technician], candidates: Iterable[tuple[datetime, datetime]]):
        """Book `team` on the first candidate window where all of them are free."""
        for start, end in candidates:
            if all(self._free(technician, start, end) for technician in team):
                for technician in team:
                    self.booked[technician.pk].append((start, end))
                return start, end
        raise AssertionError("candidates never run out")

    def _free(self, technician: Technician, start: datetime, end: datetime) -> bool:
        return all(
            end <= booked_start or booked_end <= start for booked_start, booked_end in self.booked[technician.pk]
        )


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=timezone.get_current_timezone())


def _half_days(rng: random.Random, day: date, step: int) -> Iterator[tuple[datetime, datetime]]:
    """Working half days from `day` on, forwards (step 1) or backwards (step -1), weekends skipped;
    morning or afternoon first at random, so that not every visit starts at 8:30."""
    while True:
        if day.weekday() < 5:
            for start, end in rng.sample(HALF_DAYS, len(HALF_DAYS)):
                yield _at(day, start), _at(day, end)
        day += timedelta(days=step)


@dataclass
class _Story:
    """When things happen to one intervention: the services replay it, then its timestamps are set."""

    created: datetime
    due: date
    window: tuple[datetime, datetime] | None = None
    started: datetime | None = None
    held: datetime | None = None
    resumed: datetime | None = None
    finished: datetime | None = None  # completed or cancelled
    labor_minutes: int | None = None


@dataclass
class _Scene:
    """What a story is drawn from: `index` ranks it among the interventions of its status."""

    rng: random.Random
    teams: _Teams
    team: list[Technician]
    index: int
    now: datetime

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)

    def minutes(self, low: int, high: int) -> timedelta:
        return timedelta(minutes=self.rng.randint(low, high))

    def during_office_hours(self, day: date) -> datetime:
        """A moment of `day` when requests come in (8:00-18:00), never in the future."""
        moment = _at(day, time(self.rng.randint(8, 17), self.rng.randint(0, 59)))
        return min(moment, self.now - self.minutes(10, 60))

    def days_before(self, day: date, low: int, high: int) -> date:
        return day - timedelta(days=self.rng.randint(low, high))

    def book_from(self, days_from_today: int, step: int) -> tuple[datetime, datetime]:
        first_day = self.today + timedelta(days=days_from_today)
        return self.teams.book(self.team, _half_days(self.rng, first_day, step))


def _new_story(scene: _Scene) -> _Story:
    created = scene.during_office_hours(scene.days_before(scene.today, 0, 12))
    # Due 4 to 14 days after the request: the oldest requests are overdue.
    return _Story(created, created.date() + timedelta(days=scene.rng.randint(4, 14)))


def _scheduled_story(scene: _Scene) -> _Story:
    window = scene.book_from(scene.rng.randint(1, 20), 1)
    due = window[0].date() + timedelta(days=scene.rng.randint(0, 3))
    return _Story(scene.during_office_hours(scene.days_before(scene.today, 0, 8)), due, window)


def _in_progress_story(scene: _Scene) -> _Story:
    """Under way on the latest half day begun an hour ago at least; every other one was paused for a part."""
    begun = (
        (start, end) for start, end in _half_days(scene.rng, scene.today, -1) if start <= scene.now - timedelta(hours=1)
    )
    window = scene.teams.book(scene.team, begun)
    started = window[0] + scene.minutes(0, 15)
    paused = scene.index % 2 == 1
    return _Story(
        scene.during_office_hours(scene.days_before(window[0].date(), 1, 5)),
        scene.today,
        window,
        started,
        held=started + timedelta(minutes=20) if paused else None,
        resumed=started + timedelta(minutes=45) if paused else None,
    )


def _on_hold_story(scene: _Scene) -> _Story:
    window = scene.book_from(-scene.rng.randint(1, 6), -1)
    started = window[0] + scene.minutes(5, 20)
    # Due on the day of the visit, on hold since: overdue.
    created = scene.during_office_hours(scene.days_before(window[0].date(), 1, 5))
    return _Story(created, window[0].date(), window, started, held=started + scene.minutes(30, 120))


def _completed_story(scene: _Scene) -> _Story:
    window = scene.book_from(-scene.rng.randint(1, 56), -1)
    started = window[0] + scene.minutes(0, 20)
    labor = scene.rng.randint(45, 180)
    return _Story(
        scene.during_office_hours(scene.days_before(window[0].date(), 1, 7)),
        window[0].date() + timedelta(days=scene.rng.randint(0, 3)),
        window,
        started,
        finished=started + timedelta(minutes=labor) + scene.minutes(5, 25),
        labor_minutes=labor,
    )


def _cancelled_story(scene: _Scene) -> _Story:
    """Called off within two days of the request; every other one had been planned for a visit."""
    created = scene.during_office_hours(scene.days_before(scene.today, 3, 20))
    window = scene.book_from(scene.rng.randint(2, 14), 1) if scene.index % 2 == 0 else None
    called_off_on = created.date() + timedelta(days=scene.rng.randint(0, 2))
    cancelled = max(created + timedelta(minutes=30), scene.during_office_hours(called_off_on))
    return _Story(created, created.date() + timedelta(days=7), window, finished=cancelled)


STORIES = {
    Status.NEW: _new_story,
    Status.SCHEDULED: _scheduled_story,
    Status.IN_PROGRESS: _in_progress_story,
    Status.ON_HOLD: _on_hold_story,
    Status.COMPLETED: _completed_story,
    Status.CANCELLED: _cancelled_story,
}


@dataclass
class _Order:
    """One intervention to create."""

    status: str
    equipment: Equipment
    team: list[Technician]
    story: _Story


def _seed_interventions(
    rng: random.Random, equipment: list[Equipment], teams: _Teams, manager: User, now: datetime
) -> int:
    by_city = defaultdict(list)
    for item in equipment:
        by_city[item.site.city].append(item)
    cities = list(CITIES)
    orders = []
    for status, count in STATUS_MIX.items():
        for index in range(count):
            city = cities[index % len(cities)]  # every status in every city, Casablanca first
            scene = _Scene(rng, teams, teams.team(city), index, now)
            orders.append(_Order(status, rng.choice(by_city[city]), scene.team, STORIES[status](scene)))
    # Oldest first, so that the references follow the creation dates.
    for order in sorted(orders, key=lambda order: order.story.created):
        _play(rng, order, manager, now)
    return len(orders)


def _play(rng: random.Random, order: _Order, manager: User, now: datetime) -> None:
    """Take the intervention through the workflow the way the manager and the technician would."""
    story, item, worker = order.story, order.equipment, order.team[0].user
    intervention = workflow.intervention_create(
        by=manager, client=item.client, site=item.site, equipment=item, due_date=story.due, **_describe(rng, item)
    )
    if story.window:
        start, end = story.window
        workflow.intervention_assign(
            intervention=intervention, by=manager, technicians=order.team, scheduled_start=start, scheduled_end=end
        )
    if story.started:
        workflow.intervention_start(intervention=intervention, by=worker)
    if story.held:
        workflow.intervention_hold(intervention=intervention, by=worker, reason=rng.choice(HOLD_REASONS))
    if story.resumed:
        workflow.intervention_resume(intervention=intervention, by=worker)
    if order.status == Status.COMPLETED:
        report = rng.choice(REPORTS)
        workflow.intervention_complete(
            intervention=intervention, by=worker, report=report, labor_minutes=story.labor_minutes
        )
    elif order.status == Status.CANCELLED:
        workflow.intervention_cancel(intervention=intervention, by=manager, reason=rng.choice(CANCEL_REASONS))
    _backdate(rng, intervention, order, now)


def _describe(rng: random.Random, item: Equipment) -> dict:
    kind = rng.choices(
        (InterventionType.CORRECTIVE, InterventionType.PREVENTIVE, InterventionType.INSPECTION), weights=(6, 3, 1)
    )[0]
    if kind == InterventionType.CORRECTIVE:
        fault = rng.choice(FAULTS[item.category])
        return {
            "type": kind,
            "title": f"{fault} - {item.name}",
            "description": f"Signalé par {item.client.contact_name} : {fault.lower()}.",
            "priority": rng.choice(
                (InterventionPriority.NORMAL, InterventionPriority.HIGH, InterventionPriority.URGENT)
            ),
        }
    if kind == InterventionType.PREVENTIVE:
        title, description = f"Visite préventive - {item.name}", MAINTENANCE[item.category]
    else:
        title, description = f"Contrôle réglementaire - {item.name}", "Vérification périodique et rapport de contrôle."
    priority = rng.choice((InterventionPriority.LOW, InterventionPriority.NORMAL))
    return {"type": kind, "title": title, "description": description, "priority": priority}


def _backdate(rng: random.Random, intervention: Intervention, order: _Order, now: datetime) -> None:
    """Move the record and its history from now() to the story's dates."""
    story = order.story
    next_step = min(moment for moment in (story.started, story.finished, now) if moment is not None)
    assigned = _planned_between(rng, story.created, next_step)
    when = {
        EventAction.CREATED: story.created,
        EventAction.ASSIGNED: assigned,
        EventAction.STARTED: story.started,
        EventAction.HELD: story.held,
        EventAction.RESUMED: story.resumed,
        EventAction.COMPLETED: story.finished,
        EventAction.CANCELLED: story.finished,
    }
    events = list(intervention.events.all())
    for event in events:
        event.at = when[event.action]
    intervention.events.bulk_update(events, ["at"])
    Intervention.objects.filter(pk=intervention.pk).update(
        created_at=story.created,
        updated_at=max(event.at for event in events),
        started_at=story.started,
        completed_at=story.finished if order.status == Status.COMPLETED else None,
        cancelled_at=story.finished if order.status == Status.CANCELLED else None,
    )


def _planned_between(rng: random.Random, requested: datetime, next_step: datetime) -> datetime:
    """When the manager planned the visit: office hours (8:00-18:00) after the request, before what came next."""
    first_day, last_day = timezone.localdate(requested), timezone.localdate(next_step)
    day = first_day + timedelta(days=rng.randint(0, max((last_day - first_day).days, 0)))
    moment = _at(day, time(rng.randint(8, 17), rng.randint(0, 59)))
    return max(requested + timedelta(minutes=5), min(moment, next_step - timedelta(minutes=10)))


# ------------------------------------------------------------------------------
# Maintenance plans
# ------------------------------------------------------------------------------
def _seed_plans(rng: random.Random, equipment: list[Equipment], teams: _Teams, now: datetime) -> int:
    today = timezone.localdate(now)
    plans = []
    for (every, unit, adjective), item in zip(PLAN_INTERVALS, rng.sample(equipment, len(PLAN_INTERVALS)), strict=True):
        weekly = unit == IntervalUnit.WEEK
        plan = workflow.maintenance_plan_create(
            equipment=item,
            default_technician=teams.lead(item.site.city),
            title=f"Entretien {adjective} - {item.name} ({item.site.name})",
            description=MAINTENANCE[item.category],
            interval_value=every,
            interval_unit=unit,
            next_due_date=today + timedelta(days=rng.randint(1, 6) if weekly else rng.randint(3, 45)),
            lead_days=2 if weekly else 7,
        )
        plan.created_at = plan.updated_at = now - timedelta(days=rng.randint(30, 400))
        plans.append(plan)
    MaintenancePlan.objects.bulk_update(plans, ["created_at", "updated_at"])
    return len(plans)
