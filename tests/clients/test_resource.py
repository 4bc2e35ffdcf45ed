"""/api/v1/clients/ and /api/v1/sites/: the generated resource tests (tests/resources.py)."""

from clients.models import Client, Site
from tests.clients.factories import ClientFactory, SiteFactory
from tests.equipment.factories import EquipmentFactory
from tests.resources import Resource, resource_tests


def client_with_equipment(user=None) -> Client:
    """A client with equipment to count (clients have no scope)."""
    client = ClientFactory()
    EquipmentFactory.create_batch(2, client=client)
    return client


def a_site(user=None) -> Site:
    """A site of its own client (sites have no scope)."""
    return SiteFactory()


TestClientResource = resource_tests(
    # count + page, the equipment counted in the page's query
    Resource("client", "/api/v1/clients/", client_with_equipment, list_queries=2, patch={"city": "Fès"})
)
TestSiteResource = resource_tests(
    # count + page, the client joined
    Resource("site", "/api/v1/sites/", a_site, list_queries=2, patch={"name": "Dépôt nord"})
)
