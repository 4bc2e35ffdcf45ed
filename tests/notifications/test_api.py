"""GET /notifications/ and its actions: the caller's own only, filters, read, read-all, unread-count."""

import pytest
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.helpers import assert_envelope, assert_status, contract_fields, result_ids, validation_errors
from tests.notifications.factories import NotificationFactory
from tests.rbac import Endpoint, call, rbac_cases

pytestmark = pytest.mark.django_db

NOTIFICATIONS = "/api/v1/notifications/"
READ = "/api/v1/notifications/{pk}/read/"
READ_ALL = "/api/v1/notifications/read-all/"
UNREAD_COUNT = "/api/v1/notifications/unread-count/"

ENDPOINTS = {
    "list": Endpoint("get", NOTIFICATIONS, 200),
    "read": Endpoint("post", READ, 200),
    "read_all": Endpoint("post", READ_ALL, 200),
    "unread_count": Endpoint("get", UNREAD_COUNT, 200),
}


@pytest.mark.parametrize(("role", "action", "expected"), rbac_cases("notification", ENDPOINTS))
def test_rbac_every_role_works_on_its_own_notifications(role, action, expected, make_client, api_client):
    caller = make_client(role) if role else api_client
    owner = getattr(caller, "user", None) or UserFactory()
    response = call(caller, ENDPOINTS[action], pk=NotificationFactory(user=owner).pk)
    assert_status(response, expected)


def test_the_list_shows_the_callers_own_newest_first_with_the_contract_fields(make_client):
    api = make_client("technician")
    older = NotificationFactory(user=api.user, data={"intervention": 12})
    newer = NotificationFactory(user=api.user)
    NotificationFactory()  # someone else's

    response = api.get(NOTIFICATIONS)

    assert result_ids(response) == [newer.pk, older.pk]
    row = response.json()["results"][1]
    assert list(row) == contract_fields("notification")
    assert row["kind"] == "intervention_assigned"
    assert row["data"] == {"intervention": 12}
    assert (row["is_read"], row["read_at"]) == (False, None)


def test_admins_see_only_their_own_notifications_too(make_client):
    api = make_client("admin")
    own = NotificationFactory(user=api.user)
    NotificationFactory()

    assert result_ids(api.get(NOTIFICATIONS)) == [own.pk]


def test_filters_by_is_read_and_kind(make_client):
    api = make_client("manager")
    unread = NotificationFactory(user=api.user, kind="intervention_completed")
    read = NotificationFactory(user=api.user, kind="intervention_overdue", is_read=True, read_at=timezone.now())

    assert result_ids(api.get(NOTIFICATIONS, {"is_read": "false"})) == [unread.pk]
    assert result_ids(api.get(NOTIFICATIONS, {"is_read": "true"})) == [read.pk]
    assert result_ids(api.get(NOTIFICATIONS, {"kind": "intervention_overdue"})) == [read.pk]
    assert result_ids(api.get(NOTIFICATIONS, {"kind": "warranty_expiring"})) == []


@pytest.mark.parametrize(("query", "field"), [({"is_read": "maybe"}, "is_read"), ({"kind": "birthday"}, "kind")])
def test_a_bad_filter_value_is_a_400(make_client, query, field):
    errors = validation_errors(make_client("viewer").get(NOTIFICATIONS, query))

    assert field in errors


def test_reading_one_marks_it_read_and_keeps_the_first_read_at(make_client):
    api = make_client("technician")
    notification = NotificationFactory(user=api.user)

    first = api.post(READ.format(pk=notification.pk))
    again = api.post(READ.format(pk=notification.pk))

    assert first.status_code == 200, first.content
    body = first.json()
    assert (body["id"], body["is_read"]) == (notification.pk, True)
    assert body["read_at"] is not None
    assert again.json()["read_at"] == body["read_at"]
    assert first["ETag"]
    notification.refresh_from_db()
    assert notification.is_read is True


def test_another_users_notification_is_not_found_and_stays_unread(make_client):
    others = NotificationFactory()

    response = make_client("admin").post(READ.format(pk=others.pk))

    assert_envelope(response, 404, "not_found")
    others.refresh_from_db()
    assert others.is_read is False


def test_read_all_marks_the_callers_unread_ones_and_says_how_many(make_client):
    api = make_client("manager")
    NotificationFactory.create_batch(2, user=api.user)
    NotificationFactory(user=api.user, is_read=True, read_at=timezone.now())
    someone_elses = NotificationFactory()

    response = api.post(READ_ALL)

    assert response.status_code == 200, response.content
    assert response.json() == {"updated": 2}
    assert api.post(READ_ALL).json() == {"updated": 0}
    assert not api.user.notifications.filter(is_read=False).exists()
    someone_elses.refresh_from_db()
    assert someone_elses.is_read is False


def test_unread_count_counts_the_callers_unread_ones(make_client):
    api = make_client("viewer")
    NotificationFactory.create_batch(3, user=api.user)
    NotificationFactory(user=api.user, is_read=True, read_at=timezone.now())
    NotificationFactory()

    response = api.get(UNREAD_COUNT)

    assert response.status_code == 200
    assert response.json() == {"count": 3}
    api.post(READ_ALL)
    assert api.get(UNREAD_COUNT).json() == {"count": 0}
