"""Reads of clients and sites as the API and the admin show them.

What a client's page shows of the apps above (its equipment count) comes from their selectors
(`equipment.selectors.with_equipment_count`), composed by the interfaces.
"""

from django.db.models import QuerySet

from .models import Client, Site


def client_list() -> QuerySet[Client]:
    return Client.objects.all()


def site_list() -> QuerySet[Site]:
    """Sites with their client joined, for `client_name`."""
    return Site.objects.select_related("client")
