"""/api/v1/notifications/: the generated resource tests (tests/resources.py)."""

from notifications.models import Notification
from tests.notifications.factories import NotificationFactory
from tests.resources import Resource, resource_tests


def notification_of(user=None) -> Notification:
    """A notification of `user`, or of someone else: everyone sees his own only."""
    return NotificationFactory(user=user) if user else NotificationFactory()


TestNotificationResource = resource_tests(
    # count + page
    Resource("notification", "/api/v1/notifications/", notification_of, list_queries=2)
)
