"""Authentication endpoints: login with lockout, refresh, logout, me, change-password, password reset."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from erp_mif.accounts.choices import Role
from erp_mif.accounts.models import LoginFailure, User
from erp_mif.accounts.services import RESET_LINK_TASK, password_reset_send
from erp_mif.settings import base as base_settings
from notifications.choices import OutboxStatus
from notifications.models import OutboxEmail
from notifications.tasks import flush_outbox
from tests.accounts.factories import PASSWORD, UserFactory
from tests.helpers import LOGIN_URL, assert_envelope, bearer_client, login, tokens

REFRESH_URL = "/api/v1/auth/refresh/"
LOGOUT_URL = "/api/v1/auth/logout/"
ME_URL = "/api/v1/auth/me/"
CHANGE_PASSWORD_URL = "/api/v1/auth/change-password/"
RESET_URL = "/api/v1/auth/password-reset/"
RESET_CONFIRM_URL = "/api/v1/auth/password-reset/confirm/"
NEW_PASSWORD = "N0uveau-M0t-de-Passe!"
USER_FIELDS = {
    "id",
    "email",
    "first_name",
    "last_name",
    "full_name",
    "role",
    "phone",
    "is_active",
    "last_login",
    "date_joined",
}


def _refresh(client, refresh: str):
    return client.post(REFRESH_URL, {"refresh": refresh}, format="json")


@pytest.fixture
def user():
    return UserFactory(email="karim@mif.ma", role=Role.MANAGER, first_name="Karim", last_name="Alaoui")


# ------------------------------------------------------------------------------
# Login
# ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_login_returns_tokens_and_the_user(api_client, user):
    response = login(api_client, user.email)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh", "user"}
    assert set(body["user"]) == USER_FIELDS
    assert body["user"]["email"] == "karim@mif.ma"
    assert body["user"]["role"] == "manager"
    assert body["user"]["last_login"] is not None
    assert bearer_client(access=body["access"]).get(ME_URL).json()["id"] == user.pk
    assert _refresh(api_client, body["refresh"]).status_code == 200


@pytest.mark.django_db
def test_login_records_last_login(api_client, user):
    assert user.last_login is None

    login(api_client, user.email)

    user.refresh_from_db()
    assert user.last_login is not None


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["KARIM@MIF.MA", "Karim@Mif.Ma", "  karim@mif.ma  "])
def test_login_email_is_case_insensitive(api_client, user, email):
    assert login(api_client, email).status_code == 200


@pytest.mark.django_db
def test_login_with_a_wrong_password_is_invalid_credentials(api_client, user):
    response = login(api_client, user.email, "wrong-password")

    body = assert_envelope(response, 401, "invalid_credentials")
    assert "access" not in body


@pytest.mark.django_db
def test_login_of_an_unknown_email_is_invalid_credentials(api_client):
    assert_envelope(login(api_client, "nobody@mif.ma"), 401, "invalid_credentials")


@pytest.mark.django_db
def test_login_of_an_inactive_user_is_invalid_credentials(api_client):
    inactive = UserFactory(is_active=False)

    assert_envelope(login(api_client, inactive.email), 401, "invalid_credentials")


@pytest.mark.django_db
def test_login_without_a_usable_password_is_invalid_credentials(api_client):
    user = UserFactory()
    user.set_unusable_password()
    user.save()

    assert_envelope(login(api_client, user.email, ""), 400, "validation_error")
    assert_envelope(login(api_client, user.email, "!"), 401, "invalid_credentials")


@pytest.mark.django_db
def test_login_needs_email_and_password(api_client):
    body = assert_envelope(api_client.post(LOGIN_URL, {}, format="json"), 400, "validation_error")

    assert set(body["errors"]) == {"email", "password"}


@pytest.mark.django_db
def test_login_ignores_a_stale_authorization_header(api_client, user):
    assert login(api_client, user.email, HTTP_AUTHORIZATION="Bearer expired-garbage").status_code == 200


# ------------------------------------------------------------------------------
# Lockout
# ------------------------------------------------------------------------------
def _fail(client, email, times, **extra):
    for _ in range(times):
        assert login(client, email, "wrong-password", **extra).status_code == 401


@pytest.mark.django_db
def test_five_failures_for_an_email_lock_it_even_with_the_right_password(api_client, user):
    _fail(api_client, user.email, 5)

    response = login(api_client, user.email)

    assert_envelope(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 15 * 60 + 1


@pytest.mark.django_db
def test_email_lockout_holds_from_another_ip(api_client, user):
    _fail(api_client, user.email, 5, REMOTE_ADDR="10.0.0.1")

    assert login(api_client, user.email, REMOTE_ADDR="10.0.0.2").status_code == 429


@pytest.mark.django_db
def test_email_lockout_ignores_the_case(api_client, user):
    _fail(api_client, "KARIM@mif.ma", 5, REMOTE_ADDR="10.0.0.1")

    assert login(api_client, "karim@MIF.ma", REMOTE_ADDR="10.0.0.2").status_code == 429


@pytest.mark.django_db
def test_four_failures_do_not_lock(api_client, user):
    _fail(api_client, user.email, 4)

    assert login(api_client, user.email).status_code == 200


@pytest.mark.django_db
def test_five_failures_from_one_ip_over_different_emails_lock_the_ip(api_client, user):
    for n in range(5):
        assert login(api_client, f"guess{n}@mif.ma", "wrong", REMOTE_ADDR="10.0.0.9").status_code == 401

    locked = login(api_client, user.email, REMOTE_ADDR="10.0.0.9")
    other_ip = login(api_client, user.email, REMOTE_ADDR="10.0.0.10")

    assert_envelope(locked, 429, "throttled")
    assert "Retry-After" in locked
    assert other_ip.status_code == 200


@pytest.mark.django_db
def test_lockout_ends_after_the_window(api_client, user):
    _fail(api_client, user.email, 5)
    assert login(api_client, user.email).status_code == 429

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert login(api_client, user.email).status_code == 200


@pytest.mark.django_db
def test_lockout_still_holds_just_before_the_window_ends(api_client, user):
    _fail(api_client, user.email, 5)

    with time_machine.travel(timezone.now() + timedelta(minutes=14)):
        response = login(api_client, user.email)

    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 61


@pytest.mark.django_db
def test_attempts_while_locked_out_do_not_extend_the_lockout(api_client, user):
    _fail(api_client, user.email, 5)
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        assert login(api_client, user.email, "wrong").status_code == 429

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert login(api_client, user.email).status_code == 200


@pytest.mark.django_db
def test_a_success_resets_the_count(api_client, user):
    _fail(api_client, user.email, 4)
    assert login(api_client, user.email).status_code == 200
    assert not LoginFailure.objects.filter(email=user.email).exists()

    _fail(api_client, user.email, 4)

    assert login(api_client, user.email).status_code == 200


# ------------------------------------------------------------------------------
# Refresh
# ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_refresh_rotates_the_pair(api_client, user):
    first = tokens(user)

    response = _refresh(api_client, first["refresh"])

    assert response.status_code == 200
    pair = response.json()
    assert set(pair) == {"access", "refresh"}
    assert pair["refresh"] != first["refresh"]
    assert bearer_client(access=pair["access"]).get(ME_URL).status_code == 200
    assert_envelope(_refresh(api_client, first["refresh"]), 401, "token_not_valid")
    assert _refresh(api_client, pair["refresh"]).status_code == 200


@pytest.mark.django_db
def test_refresh_of_a_deleted_user_is_token_not_valid(api_client, user):
    refresh = tokens(user)["refresh"]
    user.delete()

    assert_envelope(_refresh(api_client, refresh), 401, "token_not_valid")


@pytest.mark.django_db
def test_refresh_of_a_deactivated_user_is_token_not_valid(api_client, user):
    refresh = tokens(user)["refresh"]
    user.is_active = False
    user.save()

    assert_envelope(_refresh(api_client, refresh), 401, "token_not_valid")


@pytest.mark.django_db
@pytest.mark.parametrize("garbage", ["garbage", "a.b.c", "x" * 500])
def test_refresh_of_garbage_is_token_not_valid(api_client, garbage):
    response = _refresh(api_client, garbage)

    assert_envelope(response, 401, "token_not_valid")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_refresh_with_an_access_token_is_token_not_valid(api_client, user):
    assert_envelope(_refresh(api_client, tokens(user)["access"]), 401, "token_not_valid")


@pytest.mark.django_db
def test_expired_refresh_is_token_not_valid(api_client, user):
    refresh = tokens(user)["refresh"]

    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert_envelope(_refresh(api_client, refresh), 401, "token_not_valid")


@pytest.mark.django_db
def test_refresh_needs_the_token(api_client):
    body = assert_envelope(api_client.post(REFRESH_URL, {}, format="json"), 400, "validation_error")

    assert "refresh" in body["errors"]


# ------------------------------------------------------------------------------
# Logout
# ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_logout_needs_authentication(api_client, user):
    response = api_client.post(LOGOUT_URL, {"refresh": tokens(user)["refresh"]}, format="json")

    assert_envelope(response, 401, "not_authenticated")


@pytest.mark.django_db
def test_logout_blacklists_the_refresh_token(api_client, user):
    pair = tokens(user)

    response = bearer_client(access=pair["access"]).post(LOGOUT_URL, {"refresh": pair["refresh"]}, format="json")

    assert response.status_code == 204
    assert_envelope(_refresh(api_client, pair["refresh"]), 401, "token_not_valid")


@pytest.mark.django_db
def test_logout_with_someone_elses_refresh_is_refused(api_client, user):
    other = tokens(UserFactory())

    response = bearer_client(user).post(LOGOUT_URL, {"refresh": other["refresh"]}, format="json")

    assert_envelope(response, 401, "token_not_valid")
    assert _refresh(api_client, other["refresh"]).status_code == 200


@pytest.mark.django_db
def test_logout_with_garbage_is_token_not_valid(user):
    response = bearer_client(user).post(LOGOUT_URL, {"refresh": "garbage"}, format="json")

    assert_envelope(response, 401, "token_not_valid")


# ------------------------------------------------------------------------------
# Me
# ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_me_returns_the_caller(user):
    response = bearer_client(user).get(ME_URL)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == USER_FIELDS
    assert body["id"] == user.pk
    assert body["full_name"] == "Karim Alaoui"
    assert "ETag" in response


@pytest.mark.django_db
def test_me_needs_authentication(api_client):
    assert_envelope(api_client.get(ME_URL), 401, "not_authenticated")


@pytest.mark.django_db
def test_me_update_changes_name_and_phone(user):
    response = bearer_client(user).patch(
        ME_URL, {"first_name": "Karima", "last_name": "Bennani", "phone": "+212 6 00 00 00 00"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["full_name"] == "Karima Bennani"
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.phone) == ("Karima", "Bennani", "+212 6 00 00 00 00")


@pytest.mark.django_db
def test_me_update_ignores_protected_fields(user):
    joined = user.date_joined

    response = bearer_client(user).patch(
        ME_URL,
        {
            "first_name": "Karima",
            "role": "admin",
            "email": "boss@mif.ma",
            "is_active": False,
            "id": 9999,
            "date_joined": "2000-01-01T00:00:00Z",
            "password": "Pwn3d-Passw0rd!",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert user.first_name == "Karima"
    assert user.role == Role.MANAGER
    assert not user.is_superuser
    assert user.email == "karim@mif.ma"
    assert user.is_active
    assert user.date_joined == joined
    assert user.check_password(PASSWORD)
    assert User.objects.filter(pk=9999).count() == 0
    assert response.json()["role"] == "manager"


@pytest.mark.django_db
def test_me_update_validates_lengths(user):
    body = assert_envelope(
        bearer_client(user).patch(ME_URL, {"phone": "0" * 33}, format="json"), 400, "validation_error"
    )

    assert "phone" in body["errors"]


# ------------------------------------------------------------------------------
# Change password
# ------------------------------------------------------------------------------
def _change(client, current=PASSWORD, new=NEW_PASSWORD):
    return client.post(CHANGE_PASSWORD_URL, {"current_password": current, "new_password": new}, format="json")


@pytest.mark.django_db
def test_change_password_needs_authentication(api_client):
    assert_envelope(_change(api_client), 401, "not_authenticated")


@pytest.mark.django_db
def test_change_password_with_a_wrong_current_password(user):
    body = assert_envelope(_change(bearer_client(user), current="not-it"), 400, "validation_error")

    assert "current_password" in body["errors"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["short", "12345678901", "password123", "karim@mif.ma"])
def test_change_password_refuses_a_weak_one(user, weak):
    body = assert_envelope(_change(bearer_client(user), new=weak), 400, "validation_error")

    assert body["errors"]["new_password"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_change_password_revokes_the_refresh_tokens(api_client, user):
    first, second = tokens(user), tokens(user)

    response = _change(bearer_client(access=first["access"]))

    assert response.status_code == 204
    assert_envelope(_refresh(api_client, first["refresh"]), 401, "token_not_valid")
    assert_envelope(_refresh(api_client, second["refresh"]), 401, "token_not_valid")
    assert login(api_client, user.email, PASSWORD).status_code == 401
    assert login(api_client, user.email, NEW_PASSWORD).status_code == 200


# ------------------------------------------------------------------------------
# Password reset
# ------------------------------------------------------------------------------
def _request_reset(client, email, capture):
    with capture(execute=True):
        response = client.post(RESET_URL, {"email": email}, format="json")
    assert response.status_code == 204
    return response


def _link_from(message) -> tuple[str, str]:
    match = re.search(r"https://app\.mif\.ma/reset-password\?uid=([\w-]+)&token=([\w-]+)", message.body)
    assert match, message.body
    return match.group(1), match.group(2)


def _confirm(client, uid, token, new_password=NEW_PASSWORD):
    return client.post(RESET_CONFIRM_URL, {"uid": uid, "token": token, "new_password": new_password}, format="json")


@pytest.mark.django_db
def test_reset_of_an_unknown_email_sends_nothing(api_client, django_capture_on_commit_callbacks):
    _request_reset(api_client, "nobody@mif.ma", django_capture_on_commit_callbacks)

    assert mail.outbox == []


@pytest.mark.django_db
def test_reset_of_an_inactive_account_sends_nothing(api_client, django_capture_on_commit_callbacks):
    inactive = UserFactory(is_active=False)

    _request_reset(api_client, inactive.email, django_capture_on_commit_callbacks)

    assert mail.outbox == []


@pytest.mark.django_db
def test_reset_of_an_active_account_sends_one_email_with_the_link(
    api_client, user, settings, django_capture_on_commit_callbacks
):
    _request_reset(api_client, "KARIM@mif.ma", django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert f"{settings.FRONTEND_URL}/reset-password?uid=" in message.body
    uid, token = _link_from(message)
    html = message.alternatives[0][0]
    assert f"{settings.FRONTEND_URL}/reset-password?uid={uid}&amp;token={token}" in html


@pytest.mark.django_db
def test_reset_email_is_plain_text_that_keeps_names_intact(api_client, django_capture_on_commit_callbacks):
    UserFactory(email="obrien@mif.ma", first_name="Seán", last_name="O'Brien")

    _request_reset(api_client, "obrien@mif.ma", django_capture_on_commit_callbacks)

    body = mail.outbox[0].body
    assert "O'Brien" in body
    assert "&amp;" not in body
    assert "&#x27;" not in body


@pytest.mark.django_db
def test_reset_answers_the_same_whatever_the_email(api_client, user, django_capture_on_commit_callbacks):
    known = _request_reset(api_client, user.email, django_capture_on_commit_callbacks)
    unknown = _request_reset(api_client, "nobody@mif.ma", django_capture_on_commit_callbacks)

    assert known.content == unknown.content == b""


@pytest.mark.django_db
def test_the_reset_throttle_counts_in_the_cache_every_worker_shares(api_client, settings):
    """Five requests, then a sixth from another worker (a fresh cache handle): still refused."""
    settings.CACHES = base_settings.CACHES  # what runs outside the tests: the database's cache table
    call_command("createcachetable")
    for _ in range(5):
        assert api_client.post(RESET_URL, {"email": "nobody@mif.ma"}, format="json").status_code == 204

    with connection.cursor() as cursor:  # in the database, where every worker reads it
        cursor.execute(f"SELECT COUNT(*) FROM {base_settings.CACHES['default']['LOCATION']}")  # noqa: S608
        assert cursor.fetchone() == (1,)
    assert_envelope(api_client.post(RESET_URL, {"email": "nobody@mif.ma"}, format="json"), 429, "throttled")


@pytest.mark.django_db
def test_reset_does_the_same_work_whether_the_account_exists_or_not(api_client, user, monkeypatch):
    """No timing tells an existing account: the request reads nothing and queues one task either way."""
    queued = []
    monkeypatch.setattr("erp_mif.accounts.services.async_task", lambda *args: queued.append(args))
    answers = []
    for email in (user.email, "nobody@mif.ma"):
        with CaptureQueriesContext(connection) as queries:
            answers.append(api_client.post(RESET_URL, {"email": email}, format="json"))
        assert len(queries) == 0

    assert [answer.status_code for answer in answers] == [204, 204]
    assert [task for task, *_ in queued] == [RESET_LINK_TASK, RESET_LINK_TASK]


@pytest.mark.django_db
def test_reset_email_is_written_in_the_language_it_was_asked_in(user, mailoutbox, django_capture_on_commit_callbacks):
    """The worker runs in the business language (French): the task carries the request's."""
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        password_reset_send(user.email, "en")

    [message] = mailoutbox
    assert message.subject == "MIF Maroc: reset your password"


@pytest.mark.django_db
def test_reset_with_smtp_down_answers_204_and_the_email_waits_in_the_outbox(
    api_client, user, smtp, django_capture_on_commit_callbacks, mailoutbox
):
    smtp.down()
    _request_reset(api_client, user.email, django_capture_on_commit_callbacks)

    email = OutboxEmail.objects.get(recipient=user.email)
    assert (email.status, email.attempts) == (OutboxStatus.PENDING, 1)
    assert mailoutbox == []
    smtp.up()
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert flush_outbox()["sent"] == 1
    [message] = mailoutbox
    assert _link_from(message)


@pytest.mark.django_db
def test_reset_confirm_sets_the_password_once(api_client, user, django_capture_on_commit_callbacks):
    _request_reset(api_client, user.email, django_capture_on_commit_callbacks)
    uid, token = _link_from(mail.outbox[0])

    assert _confirm(api_client, uid, token).status_code == 204
    assert login(api_client, user.email, NEW_PASSWORD).status_code == 200

    again = _confirm(api_client, uid, token, "Encore-Un-Autre-M0t!")
    body = assert_envelope(again, 400, "validation_error")
    assert "token" in body["errors"]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_reset_confirm_revokes_the_refresh_tokens(api_client, user, django_capture_on_commit_callbacks):
    refresh = tokens(user)["refresh"]
    _request_reset(api_client, user.email, django_capture_on_commit_callbacks)

    assert _confirm(api_client, *_link_from(mail.outbox[0])).status_code == 204

    assert_envelope(_refresh(api_client, refresh), 401, "token_not_valid")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("uid", "token"),
    [("MQ", "bad-token"), ("!!!", "bad-token"), ("OTk5OTk", "bad-token"), ("", "")],
    ids=["bad-token", "bad-uid", "unknown-user", "empty"],
)
def test_reset_confirm_with_a_bad_link_is_refused(api_client, user, uid, token):
    response = _confirm(api_client, uid, token)

    assert_envelope(response, 400, "validation_error")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_reset_confirm_refuses_a_weak_password_and_keeps_the_link(api_client, user, django_capture_on_commit_callbacks):
    _request_reset(api_client, user.email, django_capture_on_commit_callbacks)
    uid, token = _link_from(mail.outbox[0])

    body = assert_envelope(_confirm(api_client, uid, token, "123"), 400, "validation_error")

    assert body["errors"]["new_password"]
    assert _confirm(api_client, uid, token).status_code == 204


@pytest.mark.django_db
def test_reset_link_expires_after_24_hours(api_client, user, django_capture_on_commit_callbacks):
    _request_reset(api_client, user.email, django_capture_on_commit_callbacks)
    uid, token = _link_from(mail.outbox[0])

    # Django's token clock is naive local time, which time_machine may shift by the UTC offset: 26 h is past 24 h.
    with time_machine.travel(timezone.now() + timedelta(hours=26)):
        assert _confirm(api_client, uid, token).status_code == 400


@pytest.mark.django_db
def test_password_reset_is_throttled(api_client):
    for _ in range(5):
        assert api_client.post(RESET_URL, {"email": "x@mif.ma"}, format="json").status_code == 204

    assert_envelope(api_client.post(RESET_URL, {"email": "x@mif.ma"}, format="json"), 429, "throttled")


@pytest.mark.django_db
def test_outstanding_tokens_are_tracked_per_user(user):
    tokens(user)
    tokens(user)

    assert OutstandingToken.objects.filter(user=user).count() == 2
