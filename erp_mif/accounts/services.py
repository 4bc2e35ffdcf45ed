"""Account rules: login with lockout, tokens, passwords, and user administration."""

import logging

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_q.tasks import async_task
from rest_framework import exceptions
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from erp_mif.core.emails import normalise_email
from erp_mif.core.errors import ApplicationError, invalid
from erp_mif.core.writes import hold_named_lock, locked, save_unique
from notifications.services import email_enqueue

from .choices import Role
from .models import LoginFailure, User

logger = logging.getLogger(__name__)

RESET_LINK_TASK = "erp_mif.accounts.services.password_reset_send"


# ------------------------------------------------------------------------------
# Login and tokens
# ------------------------------------------------------------------------------
class LockedOut(Exception):  # noqa: N818 - a state, like Django's PermissionDenied
    """Too many failed logins for this email or from this IP: `wait` seconds until the next try counts."""

    def __init__(self, wait: float):
        self.wait = max(1, int(wait) + 1)


def _lockout_remaining(attempt: LoginFailure) -> float | None:
    """Seconds until `attempt` would have been allowed, or None when it is.

    `attempt` is already counted: it is refused when, with it, the window holds more than `limit`
    attempts for its email or its IP; it would have been allowed once the oldest of those left the window.
    """
    since = attempt.created_at - settings.LOGIN_FAILURE_WINDOW
    limit = settings.LOGIN_FAILURE_LIMIT
    remaining = []
    for lookup in ({"email": attempt.email}, {"ip_address": attempt.ip_address} if attempt.ip_address else None):
        if lookup is None:
            continue
        times = list(
            LoginFailure.objects.filter(created_at__gt=since, **lookup)
            .order_by("-created_at", "-pk")
            .values_list("created_at", flat=True)[: limit + 1]
        )
        if len(times) > limit:
            remaining.append((times[-1] + settings.LOGIN_FAILURE_WINDOW - timezone.now()).total_seconds())
    return max(remaining) if remaining else None


def credentials_check(*, email: str, password: str, ip_address: str | None, request=None) -> User | None:
    """The active user whose email and password these are, or None; the one brute-force lockout of the
    API's login and the back office's: 5 failures per email or per IP in 15 minutes lock both out.

    The attempt is counted before the password is looked at (a row committed at once: the login views
    run in no transaction), so parallel guesses cannot slip more than the limit past the count. While
    locked out even the right password is refused, and the refused attempt is not counted (hammering
    does not extend the lockout). A success clears the failures of that email only: a valid account
    must not clear the count of an IP spraying others. An inactive user is refused like a wrong password.
    """
    email = normalise_email(email)
    if len(email) > User._meta.get_field("email").max_length:
        return None  # no account has it (and the back office's form lets any length through)
    attempt = LoginFailure.objects.create(email=email, ip_address=ip_address)
    wait = _lockout_remaining(attempt)
    if wait is not None:
        attempt.delete()
        logger.warning("login locked out", extra={"ip_address": ip_address})
        raise LockedOut(wait)
    user = authenticate(request, email=attempt.email, password=password)
    if user is None:
        logger.info("login failed", extra={"ip_address": ip_address})
        return None
    LoginFailure.objects.filter(email=attempt.email).delete()
    return user


def tokens_for(user: User) -> dict[str, str]:
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def user_login(*, email: str, password: str, ip_address: str | None, request=None) -> tuple[User, dict[str, str]]:
    """A token pair for these credentials (see `credentials_check`): 401 when wrong, 429 when locked out."""
    try:
        user = credentials_check(email=email, password=password, ip_address=ip_address, request=request)
    except LockedOut as exc:
        raise exceptions.Throttled(wait=exc.wait) from exc
    if user is None:
        raise ApplicationError("invalid_credentials", status_code=401)
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    return user, tokens_for(user)


def _refresh_token(raw: str) -> RefreshToken:
    try:
        return RefreshToken(raw)
    except TokenError as exc:
        raise exceptions.AuthenticationFailed(_("Token is invalid or expired."), "token_not_valid") from exc


def token_refresh(*, refresh: str) -> dict[str, str]:
    """Rotate a refresh token: the old one is blacklisted, even against a concurrent second use."""
    token = _refresh_token(refresh)
    with transaction.atomic():
        # order_by("pk"): the model's default ordering joins the (nullable) user, which PostgreSQL cannot lock.
        outstanding = OutstandingToken.objects.select_for_update().filter(jti=token["jti"]).order_by("pk").first()
        user = User.objects.filter(pk=token.get(api_settings.USER_ID_CLAIM), is_active=True).first()
        if outstanding is None or user is None or BlacklistedToken.objects.filter(token=outstanding).exists():
            raise exceptions.AuthenticationFailed(_("Token is invalid or expired."), "token_not_valid")
        BlacklistedToken.objects.create(token=outstanding)
        return tokens_for(user)


def token_revoke(*, refresh: str, user: User) -> None:
    """Log out: the refresh token, which must be the caller's, can no longer be used."""
    token = _refresh_token(refresh)
    if str(token.get(api_settings.USER_ID_CLAIM)) != str(user.pk):
        raise exceptions.AuthenticationFailed(_("Token is invalid or expired."), "token_not_valid")
    token.blacklist()


def tokens_revoke_all(*, user: User) -> int:
    """Blacklist every refresh token of `user` still usable; returns how many."""
    live = OutstandingToken.objects.filter(user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True)
    revoked = BlacklistedToken.objects.bulk_create([BlacklistedToken(token=token) for token in live])
    return len(revoked)


# ------------------------------------------------------------------------------
# Passwords
# ------------------------------------------------------------------------------
def _set_password(*, user: User, new_password: str, field: str) -> None:
    try:
        validate_password(new_password, user)
    except DjangoValidationError as exc:
        raise invalid({field: list(exc.messages)}) from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])
    tokens_revoke_all(user=user)


@transaction.atomic
def user_change_password(*, user: User, current_password: str, new_password: str) -> None:
    """Change one's own password; every refresh token of the user is revoked."""
    if not user.check_password(current_password):
        raise invalid({"current_password": [_("The current password is incorrect.")]})
    _set_password(user=user, new_password=new_password, field="new_password")


def password_reset_request(*, email: str) -> None:
    """Ask for a reset link for `email`. The answer says nothing about whether the account exists, and takes
    the same time either way: the request only hands the work to the worker (`password_reset_send`)."""
    try:
        async_task(RESET_LINK_TASK, normalise_email(email), translation.get_language())
    except Exception:
        # The caller is told nothing either way; whoever asked can ask again.
        logger.error("password reset not queued", exc_info=True)


@transaction.atomic
def password_reset_send(email: str, language: str) -> None:
    """The worker's half of a reset: the active account `email`, if there is one, gets its link by email, in
    the language it was asked in, through the outbox (an SMTP outage delays it)."""
    user = User.objects.filter(email=email, is_active=True).first()
    if user is None:
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    context = {
        "user": user,
        "link": f"{settings.FRONTEND_URL}/reset-password?uid={uid}&token={token}",
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    with translation.override(language):
        email_enqueue(
            recipient=user.email,
            subject=_("MIF Maroc: reset your password"),
            body_text=render_to_string("accounts/password_reset.txt", context),
            body_html=render_to_string("accounts/password_reset.html", context),
        )


@transaction.atomic
def password_reset_confirm(*, uid: str, token: str, new_password: str) -> None:
    """Set a new password from an emailed link; the link works once (it is bound to the old hash)."""
    try:
        user = User.objects.select_for_update().get(pk=int(force_str(urlsafe_base64_decode(uid))), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        raise invalid({"token": [_("This reset link is invalid or has expired.")]})
    _set_password(user=user, new_password=new_password, field="new_password")


# ------------------------------------------------------------------------------
# User administration
# ------------------------------------------------------------------------------
def user_is_last_active_admin(*, user: User) -> bool:
    return (
        user.role == Role.ADMIN
        and user.is_active
        and not User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=user.pk).exists()
    )


def user_check_changes(*, user: User | None, role: str, is_active: bool) -> None:
    """Refuse what no one may do to an account, in the API and the admin alike.

    Technician accounts come and go with their technician profile (/technicians/), and the last
    active admin can be neither deactivated nor demoted: someone must hold the keys.
    """
    old_role = user.role if user is not None else None
    if (role == Role.TECHNICIAN) != (old_role == Role.TECHNICIAN):
        raise invalid({"role": [_("Technician accounts are managed through /technicians/.")]})
    if user is not None and (role != Role.ADMIN or not is_active) and user_is_last_active_admin(user=user):
        raise ApplicationError(
            "protected", _("The last active administrator must stay an active administrator."), status_code=409
        )


@transaction.atomic
def user_create(*, email: str, role: str, password: str | None = None, **fields) -> User:
    user_check_changes(user=None, role=role, is_active=True)
    user = User(email=email, role=role, **fields)
    if password:
        try:
            validate_password(password, user)
        except DjangoValidationError as exc:
            raise invalid({"password": list(exc.messages)}) from exc
        user.set_password(password)
    else:
        # No password yet: the user sets one through the reset link.
        user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def user_update(*, user: User, password: str | None = None, **fields) -> User:
    user = locked(user)
    _serialise_admin_changes()
    user_check_changes(user=user, role=fields.get("role", user.role), is_active=fields.get("is_active", user.is_active))
    for name, value in fields.items():
        setattr(user, name, value)
    # An email another account holds once normalised (a twin left by migration 0002) is a 400, not a 500.
    save_unique(user, unique_fields=["email"])
    if password:
        _set_password(user=user, new_password=password, field="password")
    if not user.is_active:
        tokens_revoke_all(user=user)
    return user


@transaction.atomic
def user_delete(*, user: User) -> None:
    user = locked(user)
    _serialise_admin_changes()
    if user_is_last_active_admin(user=user):
        raise ApplicationError("protected", _("The last active administrator cannot be deleted."), status_code=409)
    user.delete()


def _serialise_admin_changes() -> None:
    """One change of a user at a time past this point, so the last-admin check sees the others' committed
    results: two admins demoting each other at once cannot both succeed. Taken after the user's own row
    lock, in every path, so the two locks are always taken in the same order."""
    hold_named_lock("accounts.user_changes")
