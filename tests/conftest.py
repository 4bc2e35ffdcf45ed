import io
import json
import logging
import smtplib

import pytest
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from rest_framework.test import APIClient

from tests.accounts.factories import UserFactory


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def make_client(api_client):
    """An API client signed in as a new user of the given role (or as `user`)."""

    def _make(role="admin", user=None, **fields):
        user = user or UserFactory(role=role, **fields)
        client = APIClient()
        client.force_authenticate(user)
        client.user = user
        return client

    return _make


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters live in the cache, which outlives a test: each test starts with none."""
    cache.clear()


LOCMEM_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


class SmtpDownBackend(BaseEmailBackend):
    """A mail server that hangs up, as one does when it is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class SmtpSwitch:
    def __init__(self, settings):
        self._settings = settings

    def down(self) -> None:
        self._settings.EMAIL_BACKEND = f"{__name__}.SmtpDownBackend"

    def up(self) -> None:
        self._settings.EMAIL_BACKEND = LOCMEM_BACKEND


@pytest.fixture
def smtp(settings):
    """`smtp.down()` / `smtp.up()`: the mail server goes away and comes back (the in-memory outbox)."""
    return SmtpSwitch(settings)


@pytest.fixture
def log_lines():
    """`log_lines()`: the JSON lines logged during the test, formatted and filtered as the console handler does."""
    root = logging.getLogger()
    console = next(handler for handler in root.handlers if handler.get_name() == "console")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(console.formatter)
    for log_filter in console.filters:
        handler.addFilter(log_filter)
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    finally:
        root.removeHandler(handler)
