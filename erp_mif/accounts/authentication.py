from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings

from erp_mif.core.logging import user_id_var

from .models import User


class JWTAuthentication(authentication.JWTAuthentication):
    """simplejwt's, but a token of a deleted or deactivated user is `token_not_valid` like any bad token."""

    def get_user(self, validated_token):
        user_id = validated_token.get(api_settings.USER_ID_CLAIM)
        user = User.objects.filter(**{api_settings.USER_ID_FIELD: user_id}, is_active=True).first()
        if user is None:
            raise InvalidToken(_("Token is invalid or expired."))
        user_id_var.set(user.pk)
        return user


class JWTScheme(SimpleJWTScheme):
    """How the OpenAPI document describes `JWTAuthentication` (drf-spectacular finds it by `target_class`)."""

    target_class = JWTAuthentication
