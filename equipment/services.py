"""Writes of equipment: a serial number is unique, and a site is one of the equipment's client."""

from django.db import transaction
from django.utils.translation import gettext as _

from clients.models import Client, Site
from erp_mif.core.errors import invalid
from erp_mif.core.writes import (
    apply_changes,
    changed_references,
    delete_unreferenced,
    lock_references,
    save_unique,
)

from .models import Equipment

UNIQUE_FIELDS = ["serial_number"]


def equipment_check_site(*, client: Client, site: Site | None) -> None:
    if site is not None and site.client_id != client.pk:
        raise invalid({"site": [_("This site belongs to another client.")]})


@transaction.atomic
def equipment_create(*, serial_number: str, name: str, client: Client, site: Site | None = None, **fields) -> Equipment:
    lock_references(site=site, client=client)
    equipment_check_site(client=client, site=site)
    equipment = Equipment(serial_number=serial_number, name=name, client=client, site=site, **fields)
    save_unique(equipment, unique_fields=UNIQUE_FIELDS)
    return equipment


@transaction.atomic
def equipment_update(*, equipment: Equipment, **changes) -> Equipment:
    lock_references(**changed_references(equipment, changes, "site", "client"))
    apply_changes(equipment, changes)
    equipment_check_site(client=equipment.client, site=equipment.site)
    save_unique(equipment, unique_fields=UNIQUE_FIELDS)
    return equipment


def equipment_delete(*, equipment: Equipment) -> None:
    delete_unreferenced(equipment)
