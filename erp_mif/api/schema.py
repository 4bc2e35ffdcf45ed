"""OpenAPI extensions: imported once at start-up (ApiConfig.ready) so drf-spectacular registers them."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class JWTScheme(SimpleJWTScheme):
    target_class = "erp_mif.accounts.authentication.JWTAuthentication"
