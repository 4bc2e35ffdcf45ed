"""Human references (CLI-00001, INT-2026-00001): race-free counters that never hand out a number twice."""

from django.db import transaction

from .models import ReferenceCounter


def next_number(counter: str) -> int:
    """The next value of `counter`, under a row lock held until the caller's transaction ends.

    Concurrent creates queue on the lock, so two records never get the same number; a rolled-back
    create rolls its number back with it, so no committed number is ever skipped or reused.
    """
    with transaction.atomic():
        row, _ = ReferenceCounter.objects.select_for_update().get_or_create(name=counter)
        row.value += 1
        row.save(update_fields=["value"])
        return row.value


def advance_to(counter: str, value: int) -> None:
    """Move a counter past numbers handed out in bulk (demo seeding), never backwards."""
    with transaction.atomic():
        row, _ = ReferenceCounter.objects.select_for_update().get_or_create(name=counter)
        if value > row.value:
            row.value = value
            row.save(update_fields=["value"])
