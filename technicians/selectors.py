"""Reads of technicians that need thought: counts and availability, computed in the query."""

from datetime import datetime

from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from interventions.choices import BOOKING_STATUSES, OPEN_STATUSES
from interventions.models import Intervention

from .models import Skill, Technician

Assignment = Intervention.technicians.through


def _open_interventions_count() -> Coalesce:
    """How many open interventions name the technician of the outer row, as one correlated subquery."""
    counts = (
        Assignment.objects.filter(technician=OuterRef("pk"), intervention__status__in=OPEN_STATUSES)
        .order_by()
        .values("technician")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counts), Value(0))


def technician_list() -> QuerySet[Technician]:
    """Technicians as the API shows them: user joined, skills prefetched, open interventions counted.

    `last_name` is an alias of the user's, so that `?ordering=last_name` can name it.
    """
    return (
        Technician.objects.select_related("user")
        .prefetch_related("skills")
        .annotate(open_interventions_count=_open_interventions_count())
        .alias(last_name=F("user__last_name"))
    )


def technicians_with_skill(queryset: QuerySet[Technician], name: str) -> QuerySet[Technician]:
    """Technicians having the skill `name`, whatever its case."""
    return queryset.filter(Exists(Skill.objects.filter(technicians=OuterRef("pk"), name__iexact=name)))


def technicians_free_between(queryset: QuerySet[Technician], *, start: datetime, end: datetime) -> QuerySet[Technician]:
    """Technicians with no booking intervention whose [scheduled_start, scheduled_end) overlaps [start, end).

    Half-open windows: one ending at 10:00 and another starting at 10:00 do not overlap.
    """
    bookings = Assignment.objects.filter(
        technician=OuterRef("pk"),
        intervention__status__in=BOOKING_STATUSES,
        intervention__scheduled_start__lt=end,
        intervention__scheduled_end__gt=start,
    )
    return queryset.filter(~Exists(bookings))
