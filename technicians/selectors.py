"""Reads of technicians as the API shows them.

What depends on their interventions (open work, free time) comes from `interventions.selectors`,
composed by the interfaces.
"""

from django.db.models import Exists, F, OuterRef, QuerySet

from .models import Skill, Technician


def technician_list() -> QuerySet[Technician]:
    """Technicians as the API shows them: user joined, skills prefetched.

    `last_name` is an alias of the user's, so that `?ordering=last_name` can name it.
    """
    return Technician.objects.select_related("user").prefetch_related("skills").alias(last_name=F("user__last_name"))


def technicians_with_skill(queryset: QuerySet[Technician], name: str) -> QuerySet[Technician]:
    """Technicians having the skill `name`, whatever its case."""
    return queryset.filter(Exists(Skill.objects.filter(technicians=OuterRef("pk"), name__iexact=name)))
