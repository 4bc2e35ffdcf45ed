import factory

from clients import services
from clients.models import Client, Site

CITIES = ["Casablanca", "Rabat", "Tanger", "Marrakech", "Agadir", "Fès"]


class ClientFactory(factory.django.DjangoModelFactory):
    """A client created through `client_create`, so it has a real reference (CLI-00001...)."""

    class Meta:
        model = Client

    name = factory.Sequence(lambda n: f"Client {n}")
    city = factory.Iterator(CITIES)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.client_create(**kwargs)


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    client = factory.SubFactory(ClientFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    city = factory.LazyAttribute(lambda site: site.client.city)
