from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from erp_mif.api.serializers import EmailAddressField, ModelSerializer

from ..choices import Role
from ..models import User


class UserSerializer(ModelSerializer):
    email = EmailAddressField(max_length=254)
    full_name = serializers.CharField(read_only=True)
    role = serializers.ChoiceField(choices=Role.choices)
    password = serializers.CharField(
        write_only=True, required=False, allow_blank=False, style={"input_type": "password"}
    )

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "full_name",
            "role",
            "phone",
            "is_active",
            "password",
            "last_login",
            "date_joined",
        ]
        read_only_fields = ["id", "full_name", "last_login", "date_joined"]

    def validate_email(self, value: str) -> str:
        others = User.objects.filter(email=value)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(_("A user with this email already exists."))
        return value


class MeSerializer(UserSerializer):
    """One's own profile: only the name and phone are writable."""

    # Declared fields ignore Meta.read_only_fields: without these, anyone could PATCH his own role or email.
    email = serializers.EmailField(read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)

    class Meta(UserSerializer.Meta):
        fields = [field for field in UserSerializer.Meta.fields if field != "password"]
        read_only_fields = ["id", "email", "full_name", "role", "is_active", "last_login", "date_joined"]


class LoginSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class LoginResponseSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
    user = UserSerializer()


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class ChangePasswordSerializer(serializers.Serializer):
    current_password = serializers.CharField(trim_whitespace=False)
    new_password = serializers.CharField(trim_whitespace=False)


class PasswordResetSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)


class PasswordResetConfirmSerializer(serializers.Serializer):
    uid = serializers.CharField()
    token = serializers.CharField()
    new_password = serializers.CharField(trim_whitespace=False)
