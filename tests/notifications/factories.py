import factory

from notifications.choices import NotificationKind
from notifications.models import Notification, OutboxEmail
from tests.accounts.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = NotificationKind.INTERVENTION_ASSIGNED
    title = factory.Sequence(lambda n: f"Intervention assignée : INT-2026-{n:05d}")
    message = "Vous êtes affecté(e) à une intervention."
    data = factory.Sequence(lambda n: {"intervention": n})


class OutboxEmailFactory(factory.django.DjangoModelFactory):
    """A pending email, as `notify` leaves it before its task runs."""

    class Meta:
        model = OutboxEmail

    recipient = factory.Sequence(lambda n: f"destinataire{n}@mif.ma")
    subject = "Intervention assignée : INT-2026-00001"
    body_text = "Bonjour,\n\nVous êtes affecté(e) à une intervention."
    body_html = "<p>Bonjour,</p><p>Vous êtes affecté(e) à une intervention.</p>"
