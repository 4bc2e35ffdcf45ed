import pytest
from django.core.cache import cache
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
