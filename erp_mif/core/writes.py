"""Write helpers every app's services share.

The serializers check what they can (formats, ranges, uniqueness) before a service runs; these
helpers close the gaps left by concurrent requests, where the database has the last word: its
IntegrityErrors become the same 400 or 409 answers as the checks they slipped past.
"""

from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, connection, models, transaction
from django.utils.translation import gettext as _

from .errors import ApplicationError, invalid

Row = TypeVar("Row", bound=models.Model)
# Set on an instance read under its row lock; the first service handed it trusts the lock (see `locked`).
_LOCKED_IN = "_row_lock"


def is_taken(instance: models.Model, field: str, value) -> bool:
    """Another record than `instance` has `value` in the unique `field`.

    An empty value means "not set" (a client's ICE is unique only when set): it is never taken.
    """
    if value in (None, ""):
        return False
    return type(instance)._default_manager.exclude(pk=instance.pk).filter(**{field: value}).exists()


def unique_message(instance: models.Model, field: str) -> str:
    """Django's own "… with this … already exists.", for the API and the admin alike."""
    return instance.unique_error_message(type(instance), [field]).messages[0]


def save_unique(
    instance: models.Model, *, unique_fields: Iterable[str], messages: dict[str, str] | None = None
) -> None:
    """Save `instance`; a unique value taken meanwhile by a concurrent request is a 400 on its field.

    Two requests can both pass the serializer's uniqueness check; the database constraint then
    refuses the second one. The savepoint keeps the transaction usable to find which field clashed.
    `messages` words a field's refusal when Django's own "… with this … already exists." will not do.
    """
    messages = messages or {}
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        taken = [field for field in unique_fields if is_taken(instance, field, getattr(instance, field))]
        if not taken:
            raise
        raise invalid({field: [messages.get(field) or unique_message(instance, field)] for field in taken}) from exc


def apply_changes(instance: models.Model, changes: dict) -> None:
    for field, value in changes.items():
        setattr(instance, field, value)


def changed_references(instance: models.Model, changes: dict, *fields: str) -> dict[str, models.Model | None]:
    """{field: new target} for the foreign keys among `fields` that `changes` points elsewhere."""
    return {
        field: changes[field]
        for field in fields
        if field in changes and getattr(changes[field], "pk", None) != getattr(instance, f"{field}_id")
    }


def lock_references(**references: models.Model | None) -> None:
    """Lock and re-read the rows a write is about to point at; one that is gone is a 400 on its field.

    Deleting a row and pointing a new row at it can race (PROTECT only sees committed rows), and so
    can moving a site and placing equipment there. Holding the lock makes the other write wait for
    this one, and the re-read lets this one check the rows as they are now, not as first read.
    The rows are locked in the order given: name children before parents (site before client), the
    order every write takes them in (the API's views lock the row written, then what it points at),
    so that two writes never wait for each other's locks.
    """
    gone = {}
    for field, target in references.items():
        if target is None:
            continue
        try:
            target.refresh_from_db(from_queryset=type(target)._default_manager.select_for_update(no_key=True))
        except ObjectDoesNotExist:
            gone[field] = [_("This record no longer exists.")]
    if gone:
        raise invalid(gone)


def delete_unreferenced(instance: models.Model) -> None:
    """Delete `instance`, or answer 409 protected while other records point at it; nothing is deleted then.

    PROTECT raises ProtectedError for the rows it sees (the API maps it to 409); a row committed by a
    concurrent request after that check breaks a foreign key, which PostgreSQL checks at commit
    (deferred): checking it here, in a savepoint, turns it into the same 409 inside any enclosing
    transaction, such as the API's one per write request. SQLite runs one writer at a time: no such race.
    """
    try:
        with transaction.atomic():
            instance.delete()
            if connection.vendor == "postgresql":
                connection.check_constraints()
    except IntegrityError as exc:
        raise ApplicationError("protected", status_code=409) from exc


# ------------------------------------------------------------------------------
# Row locks: one read per write
# ------------------------------------------------------------------------------
class _Lock:
    """What `mark_locked` notes on an instance: which rows were locked, and in which transaction.

    It registers itself as a (no-op) commit callback: Django drops the transaction's callbacks when it
    commits or rolls back, and a savepoint's when that rolls back (with the locks taken inside it), so
    the lock is known held exactly while the callback is still pending.
    """

    def __init__(self, of: tuple[str, ...]):
        self.of = frozenset(of)
        transaction.on_commit(self)

    def __call__(self) -> None:
        """Nothing to do at commit: the lock ends with the transaction."""

    def covers(self, of: tuple[str, ...]) -> bool:
        return set(of) <= self.of and any(entry[1] is self for entry in connection.run_on_commit)


def mark_locked(instance: Row, *, of: tuple[str, ...] = ("self",)) -> Row:
    """Note that `instance` was just read with select_for_update(of=`of`) in the current transaction.

    The API's write views read the addressed row once, locked, check If-Match against it, and hand it
    to a service: the service then uses it as it is instead of reading the row a second time.
    """
    instance.__dict__[_LOCKED_IN] = _Lock(of)
    return instance


def locked(instance: Row, queryset: models.QuerySet | None = None, *, of: tuple[str, ...] = ("self",)) -> Row:
    """`instance` under its row lock, held until the caller's transaction ends: the first thing a service
    that changes a row its users can race on does.

    An instance marked by `mark_locked` in this same transaction, with at least the rows `of` names, is
    returned as it is, once: the read and the locks are the caller's. Any other (from the admin, a job, a
    test, or handed on a second time) is read again through `queryset` (default: the model's manager),
    locking the rows `of` names.
    """
    lock = instance.__dict__.pop(_LOCKED_IN, None)
    if lock is not None and lock.covers(of):
        return instance
    rows = queryset if queryset is not None else type(instance)._default_manager.all()
    return rows.select_for_update(of=of).get(pk=instance.pk)


def hold_named_lock(name: str) -> None:
    """Serialise the transactions that take the lock `name` until each ends (commit or rollback).

    For a rule over many rows ("one active admin at least") that no single row lock covers. PostgreSQL
    holds an advisory lock; SQLite runs one writing transaction at a time already (IMMEDIATE mode).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])
