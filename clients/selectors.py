"""Reads of clients and sites as the API and the admin show them, computed in one query per page."""

from django.db.models import Count, QuerySet, Value
from django.db.models.functions import Coalesce

from equipment.models import Equipment
from erp_mif.core.queries import per_row_aggregate

from .models import Client, Site


def with_equipment_count(clients: QuerySet[Client]) -> QuerySet[Client]:
    """`clients` with `equipment_count`: all their equipment, whatever its status."""
    equipment_count = per_row_aggregate(Equipment.objects.all(), "client", Count("pk"))
    return clients.annotate(equipment_count=Coalesce(equipment_count, Value(0)))


def client_list() -> QuerySet[Client]:
    return with_equipment_count(Client.objects.all())


def site_list() -> QuerySet[Site]:
    """Sites with their client joined, for `client_name`."""
    return Site.objects.select_related("client")
