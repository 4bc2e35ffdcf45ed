from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response

from erp_mif.api.remote import ScopedRateThrottle, client_ip
from erp_mif.api.views import ApiView, ErpModelViewSet

from .. import selectors, services
from ..filters import UserFilterSet
from .serializers import (
    ChangePasswordSerializer,
    LoginResponseSerializer,
    LoginSerializer,
    MeSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetSerializer,
    RefreshSerializer,
    TokenPairSerializer,
    UserSerializer,
)


class AnonymousApiView(ApiView):
    """Endpoints open without a token; a stale Authorization header must not get in their way."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    def get_authenticate_header(self, request):
        # With no authenticator DRF turns AuthenticationFailed (a bad refresh token) into a 403;
        # the contract says 401 token_not_valid.
        return 'Bearer realm="api"'


def _validated(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class LoginView(AnonymousApiView):
    @extend_schema(request=LoginSerializer, responses={200: LoginResponseSerializer}, auth=[])
    def post(self, request):
        data = _validated(LoginSerializer, request)
        user, tokens = services.user_login(
            email=data["email"], password=data["password"], ip_address=client_ip(request), request=request
        )
        return Response({**tokens, "user": UserSerializer(user).data})


class RefreshView(AnonymousApiView):
    @extend_schema(request=RefreshSerializer, responses={200: TokenPairSerializer}, auth=[])
    def post(self, request):
        return Response(services.token_refresh(refresh=_validated(RefreshSerializer, request)["refresh"]))


class LogoutView(ApiView):
    @extend_schema(request=RefreshSerializer, responses={204: None})
    def post(self, request):
        services.token_revoke(refresh=_validated(RefreshSerializer, request)["refresh"], user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(ApiView):
    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(responses={200: UserSerializer})
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSerializer, responses={200: UserSerializer})
    def patch(self, request):
        serializer = MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data)


class ChangePasswordView(ApiView):
    @extend_schema(request=ChangePasswordSerializer, responses={204: None})
    def post(self, request):
        services.user_change_password(user=request.user, **_validated(ChangePasswordSerializer, request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetView(AnonymousApiView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "password_reset"

    @extend_schema(request=PasswordResetSerializer, responses={204: None}, auth=[])
    def post(self, request):
        services.password_reset_request(**_validated(PasswordResetSerializer, request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetConfirmView(AnonymousApiView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "password_reset"

    @extend_schema(request=PasswordResetConfirmSerializer, responses={204: None}, auth=[])
    def post(self, request):
        services.password_reset_confirm(**_validated(PasswordResetConfirmSerializer, request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserViewSet(ErpModelViewSet):
    rbac_resource = "user"
    queryset = selectors.user_list()
    serializer_class = UserSerializer
    filterset_class = UserFilterSet
    search_fields = ["email", "first_name", "last_name"]
    ordering_fields = ["email", "last_name", "date_joined"]
    ordering = ["-date_joined", "-id"]

    def perform_create(self, serializer):
        serializer.instance = services.user_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.user_update(user=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.user_delete(user=instance)
