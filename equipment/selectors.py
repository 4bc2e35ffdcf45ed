"""Reads of equipment as the API shows it, and what the clients' pages show of it."""

from django.db.models import Count, QuerySet, Value
from django.db.models.functions import Coalesce

from clients.models import Client
from erp_mif.core.queries import per_row_aggregate

from .models import Equipment


def equipment_list() -> QuerySet[Equipment]:
    """Equipment with its client and site joined, for their names."""
    return Equipment.objects.select_related("client", "site")


def with_equipment_count(clients: QuerySet[Client]) -> QuerySet[Client]:
    """`clients` with `equipment_count`: all their equipment, whatever its status."""
    equipment_count = per_row_aggregate(Equipment.objects.all(), "client", Count("pk"))
    return clients.annotate(equipment_count=Coalesce(equipment_count, Value(0)))
