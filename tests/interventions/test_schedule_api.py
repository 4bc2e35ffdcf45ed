from datetime import timedelta

import pytest

from erp_mif.accounts.choices import Role
from tests.technicians.factories import TechnicianFactory

pytestmark = pytest.mark.django_db


def _url(technician):
    return f"/api/v1/technicians/{technician.pk}/schedule/"


def _window(start, days=7):
    return {"from": start.isoformat(), "to": (start + timedelta(days=days)).isoformat()}


def test_schedule_lists_the_bookings_in_the_window_by_start(make_client, make_intervention, technician, window):
    start, end = window
    later = make_intervention(status="in_progress", technicians=[technician], window=(end, end + timedelta(hours=1)))
    first = make_intervention(status="scheduled", technicians=[technician], window=window)
    make_intervention(
        status="completed", technicians=[technician], window=(end + timedelta(hours=2), end + timedelta(hours=3))
    )
    make_intervention(
        status="scheduled",
        technicians=[technician],
        window=(start + timedelta(days=9), start + timedelta(days=9, hours=1)),
    )

    response = make_client(Role.VIEWER).get(_url(technician), _window(start - timedelta(hours=1)))

    assert response.status_code == 200
    assert [row["id"] for row in response.json()] == [first.pk, later.pk]


@pytest.mark.parametrize(
    "query",
    [{}, {"from": "2030-01-01T00:00:00Z"}, {"from": "x", "to": "y"}],
    ids=["nothing", "no-to", "garbage"],
)
def test_schedule_needs_a_valid_window(make_client, technician, query):
    response = make_client(Role.VIEWER).get(_url(technician), query)

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_schedule_window_is_at_most_62_days_and_forward(make_client, technician, window):
    client = make_client(Role.VIEWER)

    too_long = client.get(_url(technician), _window(window[0], days=63))
    backwards = client.get(_url(technician), _window(window[0], days=-1))
    longest = client.get(_url(technician), _window(window[0], days=62))

    assert too_long.status_code == backwards.status_code == 400
    assert "to" in too_long.json()["errors"]
    assert longest.status_code == 200


def test_a_technician_reads_his_own_schedule_only(make_client, window):
    client = make_client(Role.TECHNICIAN)
    mine = TechnicianFactory(user=client.user)

    assert client.get(_url(mine), _window(window[0])).status_code == 200
    other = client.get(_url(TechnicianFactory()), _window(window[0]))
    assert other.status_code == 403
    assert other.json()["code"] == "permission_denied"
