"""Write helpers every app's services share.

The serializers check what they can (formats, ranges, uniqueness) before a service runs; these
helpers close the gaps left by concurrent requests, where the database has the last word: its
IntegrityErrors become the same 400 or 409 answers as the checks they slipped past.
"""

from collections.abc import Iterable

from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from .errors import ApplicationError, invalid


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


def lock_references(**references: models.Model | None) -> None:
    """Lock and re-read the rows a write is about to point at; one that is gone is a 400 on its field.

    Deleting a row and pointing a new row at it can race (PROTECT only sees committed rows), and so
    can moving a site and placing equipment there. Holding the lock makes the other write wait for
    this one, and the re-read lets this one check the rows as they are now, not as first read.
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
    concurrent request after that check is caught by the (deferred) foreign key when the delete
    commits, which is inside this call when no outer transaction is open, as in the API's destroy.
    """
    try:
        instance.delete()
    except IntegrityError as exc:
        raise ApplicationError("protected", status_code=409) from exc
