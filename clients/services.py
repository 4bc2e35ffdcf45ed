"""Writes of clients and sites."""

from django.db import transaction
from django.utils.translation import gettext as _

from erp_mif.core.errors import invalid
from erp_mif.core.references import next_number
from erp_mif.core.writes import (
    apply_changes,
    changed_references,
    delete_unreferenced,
    lock_references,
    save_unique,
)

from .models import Client, Site

REFERENCE_PREFIX = "CLI"
REFERENCE_COUNTER = "client"


# ------------------------------------------------------------------------------
# Clients
# ------------------------------------------------------------------------------
def format_reference(number: int) -> str:
    """CLI-00001: five digits at least, more once the counter outgrows them."""
    return f"{REFERENCE_PREFIX}-{number:05d}"


@transaction.atomic
def client_create(*, name: str, **fields) -> Client:
    """A new client with the next reference; a failed create gives its number back (rolled back)."""
    client = Client(name=name, **fields)
    client.reference = format_reference(next_number(REFERENCE_COUNTER))
    save_unique(client, unique_fields=["ice"])
    return client


@transaction.atomic
def client_update(*, client: Client, **changes) -> Client:
    apply_changes(client, changes)
    save_unique(client, unique_fields=["ice"])
    return client


def client_delete(*, client: Client) -> None:
    delete_unreferenced(client)


# ------------------------------------------------------------------------------
# Sites
# ------------------------------------------------------------------------------
@transaction.atomic
def site_create(*, client: Client, name: str, **fields) -> Site:
    """A new site of `client`; an inactive client may still get sites."""
    lock_references(client=client)
    return Site.objects.create(client=client, name=name, **fields)


def site_check_client_change(*, site: Site, client: Client) -> None:
    """A site stays with its client once equipment or interventions are there: they are that client's."""
    moving = site.pk is not None and client.pk != site.client_id
    if moving and (site.equipment.exists() or site.interventions.exists()):
        raise invalid({"client": [_("This site has equipment or interventions: it cannot move to another client.")]})


@transaction.atomic
def site_update(*, site: Site, **changes) -> Site:
    if moves := changed_references(site, changes, "client"):
        lock_references(**moves)
        site_check_client_change(site=site, client=changes["client"])
    apply_changes(site, changes)
    site.save()
    return site


def site_delete(*, site: Site) -> None:
    delete_unreferenced(site)
