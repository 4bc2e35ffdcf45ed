from rest_framework import serializers

from erp_mif.api.serializers import EmailAddressField, ModelSerializer

from ..models import Technician

MAX_SKILLS = 50  # per technician: a longer list is refused before any skill is looked up


class SkillNamesField(serializers.ListField):
    """Skills as a list of names; written as a list (order and duplicates do not matter), read sorted."""

    child = serializers.CharField(max_length=100)

    def __init__(self, **kwargs):
        super().__init__(max_length=MAX_SKILLS, **kwargs)

    def to_representation(self, skills):
        # .all() reads the prefetched skills, already ordered by name (Skill.Meta.ordering).
        return [skill.name for skill in skills.all()]


class TechnicianSerializer(ModelSerializer):
    """A technician with his user flattened in: name, email, phone and is_active are the user's."""

    email = EmailAddressField(source="user.email", max_length=254)
    first_name = serializers.CharField(source="user.first_name", max_length=150)
    last_name = serializers.CharField(source="user.last_name", max_length=150)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    phone = serializers.CharField(source="user.phone", max_length=32, required=False, allow_blank=True)
    # No serializer default: a PUT leaving it out must not reactivate anyone; a create gets the service's True.
    is_active = serializers.BooleanField(source="user.is_active", required=False)
    skills = SkillNamesField(required=False)
    open_interventions_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Technician
        fields = [
            "id",
            "user",
            "email",
            "first_name",
            "last_name",
            "full_name",
            "phone",
            "employee_code",
            "skills",
            "zone",
            "is_active",
            "open_interventions_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "user", "created_at", "updated_at"]

    def service_arguments(self) -> dict:
        """The validated data as the services take it: the user's fields next to the profile's, not nested."""
        data = dict(self.validated_data)
        return {**data.pop("user", {}), **data}
