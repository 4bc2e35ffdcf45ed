"""Technician rules: a technician is a user with role technician plus a field profile, made and unmade together."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from erp_mif.accounts.choices import Role
from erp_mif.accounts.models import User
from erp_mif.accounts.services import tokens_revoke_all
from erp_mif.core.errors import ApplicationError
from erp_mif.core.writes import locked, save_unique

from .models import Skill, Technician

# What `technician_update` may change, and where it lives: the user or the profile.
USER_FIELDS = frozenset({"email", "first_name", "last_name", "phone", "is_active"})
PROFILE_FIELDS = frozenset({"employee_code", "zone"})

EMAIL_IN_USE = _("A user with this email already exists.")
EMPLOYEE_CODE_IN_USE = _("A technician with this employee code already exists.")


def _save_user(user: User) -> None:
    save_unique(user, unique_fields=["email"], messages={"email": EMAIL_IN_USE})
    if not user.is_active:
        # An inactive technician is locked out now, not when his refresh token expires.
        tokens_revoke_all(user=user)


def _skills_named(names: Iterable[str]) -> list[Skill]:
    """The skills with these names, created when unknown.

    Names differing only by case or surrounding spaces are one skill, spelt as first written.
    """
    spelling_by_key: dict[str, str] = {}
    for name in filter(None, (name.strip() for name in names)):
        spelling_by_key.setdefault(name.casefold(), name)
    return [_skill_named(name) for name in spelling_by_key.values()]


def _skill_named(name: str) -> Skill:
    existing = Skill.objects.filter(name__iexact=name).first()
    # get_or_create, not create: another request may add the same new skill at the same time.
    return existing or Skill.objects.get_or_create(name=name)[0]


def _save_profile(technician: Technician, skills: Iterable[str] | None) -> None:
    save_unique(technician, unique_fields=["employee_code"], messages={"employee_code": EMPLOYEE_CODE_IN_USE})
    if skills is not None:
        technician.skills.set(_skills_named(skills))


@transaction.atomic
def technician_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    phone: str = "",
    employee_code: str = "",
    skills: Iterable[str] = (),
    zone: str = "",
    is_active: bool = True,
) -> Technician:
    """A technician and his user (role technician), who has no password yet: he sets one with the reset link."""
    user = User(
        email=email,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        is_active=is_active,
        role=Role.TECHNICIAN,
    )
    user.set_unusable_password()
    _save_user(user)
    technician = Technician(user=user, employee_code=employee_code, zone=zone)
    _save_profile(technician, skills)
    return technician


@transaction.atomic
def technician_update(*, technician: Technician, skills: Iterable[str] | None = None, **fields) -> Technician:
    """Change the profile and its user's `USER_FIELDS`; `skills`, when given, replaces the whole list.

    Deactivating revokes the user's refresh tokens (and his access tokens stop working with the flag).
    """
    if unknown := set(fields) - USER_FIELDS - PROFILE_FIELDS:
        raise TypeError(f"technician_update() got unknown fields {sorted(unknown)}")
    technician = locked(technician, Technician.objects.select_related("user"), of=("self", "user"))
    for name, value in fields.items():
        setattr(technician.user if name in USER_FIELDS else technician, name, value)
    _save_user(technician.user)
    _save_profile(technician, skills)
    return technician


@transaction.atomic
def technician_delete(*, technician: Technician) -> None:
    """Delete the profile and deactivate its user, kept for the history he appears in.

    Refused (409 protected) while any intervention names the technician: deactivate him instead.
    The row lock makes a concurrent assignment wait, then fail on the deleted row.
    """
    technician = locked(technician, Technician.objects.select_related("user"), of=("self", "user"))
    if technician.interventions.exists():
        raise ApplicationError("protected", status_code=409)
    user = technician.user
    technician.delete()
    user.is_active = False
    _save_user(user)
