from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from erp_mif.api.views import ErpGenericViewSet, mixins

from .. import selectors, services
from ..filters import NotificationFilterSet
from .serializers import NotificationSerializer, ReadAllSerializer, UnreadCountSerializer


class NotificationViewSet(mixins.ListModelMixin, ErpGenericViewSet):
    """The caller's own notifications, newest first (erp_mif.rbac scopes every role to his own)."""

    rbac_resource = "notification"
    queryset = selectors.notification_list()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    # Filters only: the contract offers neither search nor ordering on this list.
    filter_backends = [DjangoFilterBackend]

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def read(self, request, pk=None):
        """Mark one notification read; reading it again keeps the first read_at."""
        notification = services.notification_mark_read(notification=self.get_object())
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses={200: ReadAllSerializer})
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[], pagination_class=None)
    def read_all(self, request):
        """Mark all the caller's unread notifications read; `updated` says how many changed."""
        return Response({"updated": services.notification_mark_all_read(user=request.user)})

    @extend_schema(responses={200: UnreadCountSerializer})
    @action(detail=False, methods=["get"], url_path="unread-count", filter_backends=[], pagination_class=None)
    def unread_count(self, request):
        """How many of the caller's notifications are unread (the bell's badge)."""
        return Response({"count": selectors.unread_count(user=request.user)})
