"""The one form an email is stored and compared in, wherever a user is made, changed or looked up.

NFKC folds compatibility look-alikes (full-width letters, the long s U+017F) into their plain letters
and casefold() folds the case, so "u\u017fer@" and "USER@" are user@; what is still not ASCII (the
dotless i U+0131 of "adm\u0131n@") is refused: at a glance, no one can tell it from its ASCII twin.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalise_email(value: str) -> str:
    return unicodedata.normalize("NFKC", value).casefold().strip()


def validate_ascii_email(value: str) -> None:
    if not normalise_email(value).isascii():
        raise ValidationError(_("Use an email address written in plain ASCII letters."), code="invalid")
