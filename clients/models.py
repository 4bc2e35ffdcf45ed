from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from erp_mif.core.models import TimeStampedModel

ICE_PATTERN = r"^\d{15}$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"
ice_validator = RegexValidator(ICE_PATTERN, _("The ICE is made of exactly 15 digits."))
country_validator = RegexValidator(COUNTRY_PATTERN, _("Use an ISO 3166-1 alpha-2 code, e.g. MA."))


class Client(TimeStampedModel):
    """A company whose equipment MIF Maroc maintains. `reference` (CLI-00001) is never reused."""

    reference = models.CharField(max_length=20, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    ice = models.CharField("ICE", max_length=15, blank=True, validators=[ice_validator])
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    address = models.TextField(blank=True)
    city = models.CharField(max_length=100, blank=True, db_index=True)
    country = models.CharField(max_length=2, default="MA", validators=[country_validator])
    contact_name = models.CharField(max_length=150, blank=True)
    notes = models.TextField(blank=True)
    is_active = models.BooleanField(default=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["ice"], condition=~Q(ice=""), name="client_unique_ice_when_set"),
            models.CheckConstraint(condition=Q(ice="") | Q(ice__regex=ICE_PATTERN), name="client_ice_15_digits"),
            models.CheckConstraint(condition=Q(country__regex=COUNTRY_PATTERN), name="client_country_alpha2"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"


class Site(TimeStampedModel):
    """A place of a client where equipment is installed."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=200, db_index=True)
    address = models.TextField(blank=True)
    city = models.CharField(max_length=100, blank=True, db_index=True)
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    contact_name = models.CharField(max_length=150, blank=True)
    contact_phone = models.CharField(max_length=32, blank=True)
    is_active = models.BooleanField(default=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90), name="site_latitude_range"
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="site_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.client.name})"
