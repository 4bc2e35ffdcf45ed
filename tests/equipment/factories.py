import factory

from equipment.models import Equipment
from tests.clients.factories import ClientFactory


class EquipmentFactory(factory.django.DjangoModelFactory):
    """Equipment of a new client, or of the client of `site` when one is given."""

    class Meta:
        model = Equipment

    serial_number = factory.Sequence(lambda n: f"SN-{n:06d}")
    name = factory.Sequence(lambda n: f"Groupe froid {n}")
    site = None
    client = factory.Maybe(
        "site",
        yes_declaration=factory.SelfAttribute("site.client"),
        no_declaration=factory.SubFactory(ClientFactory),
    )
