from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from erp_mif.core.emails import normalise_email, validate_ascii_email

from .choices import STAFF_ROLES, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("The email must be set")
        user = self.model(email=normalise_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.VIEWER)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        """An operator's account (`manage.py createsuperuser`): the admin role, and every Django permission."""
        extra_fields.update(role=Role.ADMIN, is_superuser=True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email=normalise_email(email))


class EmailAddressField(models.EmailField):
    """An email kept in its normalised form (erp_mif.core.emails): on every save, and when a form or
    full_clean() cleans it, so that uniqueness is checked on the form the database stores."""

    default_validators = [*models.EmailField.default_validators, validate_ascii_email]

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_email(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = self.to_python(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class User(AbstractUser):
    """A person who signs in with an email; `role` decides what he may do (see erp_mif.rbac).

    `is_staff` is derived from the role so that the admin and the API agree. The admin role is no Django
    superuser: the back office grants it what `erp_mif.rbac` does, and nothing of django-q's schedules (which
    run any function on the worker) or the token blacklist. `is_superuser` belongs to the operators' accounts
    made with `manage.py createsuperuser`, and is lost with the admin role.
    """

    username = None
    email = EmailAddressField(_("email"), unique=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER, db_index=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["-date_joined", "-id"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [models.Index(fields=["last_name"]), models.Index(fields=["date_joined"])]
        constraints = [
            # Unique on the normalised form: what the application normalises, the database insists on.
            models.CheckConstraint(condition=Q(email=Lower("email")), name="user_email_normalised"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def full_name(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.is_staff = self.role in STAFF_ROLES
        self.is_superuser = self.is_superuser and self.role == Role.ADMIN
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "role" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_staff", "is_superuser"}
        super().save(*args, **kwargs)


class LoginFailure(models.Model):
    """One login attempt, counted per email and per IP to lock out password guessing: recorded before its
    password is checked, kept when it fails, deleted when it succeeds or is refused while locked out."""

    email = models.CharField(max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.email} from {self.ip_address} at {self.created_at:%Y-%m-%d %H:%M}"
