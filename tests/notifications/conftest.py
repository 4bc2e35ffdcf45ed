import io
import json
import logging
import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend

# The work orders whose workflow sends the notifications come from the interventions' fixtures.
from tests.interventions.conftest import client_record, make_intervention, manager, technician, window  # noqa: F401

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
