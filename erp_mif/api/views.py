"""The base classes every API view derives from: RBAC scoping, ETag/If-Match and Idempotency-Key."""

from django.db import transaction
from rest_framework import mixins, viewsets
from rest_framework.views import APIView

from erp_mif import rbac

from . import idempotency
from .etag import check_if_match, etag_for

# Only answers that represent one record carry an ETag; collections and empty bodies do not.
_ETAG_ACTIONS_EXCLUDED = {"list", "destroy"}


class ApiConventionsMixin:
    """Idempotency-Key on POST and ETag on single-record answers, for any DRF view."""

    _idempotency_record = None
    # Fields that change on every read (e.g. a freshly signed link): left out of the ETag, or every
    # If-Match would be stale.
    etag_excluded_fields: frozenset[str] = frozenset()

    def etag_of(self, representation: dict) -> str:
        return etag_for({k: v for k, v in representation.items() if k not in self.etag_excluded_fields})

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and request.headers.get(idempotency.HEADER):
            # The record and the work it guards commit or roll back together.
            with transaction.atomic():
                return super().dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        key = request.headers.get(idempotency.HEADER)
        if request.method == "POST" and key and request.user.is_authenticated:
            self._idempotency_record = idempotency.begin(request, key)

    def handle_exception(self, exc):
        if isinstance(exc, idempotency.Replay):
            return exc.response()
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        if (
            response.status_code in (200, 201)
            and isinstance(getattr(response, "data", None), dict)
            and "id" in response.data
            and getattr(self, "action", None) not in _ETAG_ACTIONS_EXCLUDED
            and "ETag" not in response
        ):
            response["ETag"] = self.etag_of(response.data)
        if self._idempotency_record is not None:
            idempotency.finish(self._idempotency_record, response)
        return super().finalize_response(request, response, *args, **kwargs)


class ApiView(ApiConventionsMixin, APIView):
    """A plain endpoint (no model): declare `rbac_resource` and `rbac_action`, or neither for login-only."""


class ScopedQuerysetMixin:
    """Narrows the queryset to the caller's scope (`rbac.SCOPES`): rows outside it are 404."""

    rbac_resource: str | None = None
    lookup_value_regex = r"\d+"  # ids are integers: anything else is an unknown path (404)

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.request.user
        if self.rbac_resource and user.is_authenticated:
            queryset = rbac.scoped(queryset, user, self.rbac_resource)
        return queryset


class ErpModelViewSet(ApiConventionsMixin, ScopedQuerysetMixin, viewsets.ModelViewSet):
    """CRUD for one resource; updates honour If-Match under a row lock so two writers cannot both win."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def reread(self, instance):
        """`instance` read again through the viewset's queryset, with the annotations a GET shows.

        Writes answer with this, so their body and ETag are exactly what a GET of the record gives.
        """
        return self.get_queryset().get(pk=instance.pk)

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            self._lock_row()
            instance = self.get_object()
            check_if_match(request.headers.get("If-Match"), self.etag_of(self.get_serializer(instance).data))
            return super().update(request, *args, **kwargs)

    def _lock_row(self) -> None:
        """Lock the addressed row before reading it (a plain query: annotations cannot be locked)."""
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        model = self.get_queryset().model
        list(model._default_manager.select_for_update().filter(**{self.lookup_field: lookup}).values_list("pk"))


class ErpReadOnlyViewSet(ApiConventionsMixin, ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve only."""


class ErpGenericViewSet(ApiConventionsMixin, ScopedQuerysetMixin, viewsets.GenericViewSet):
    """Pick the mixins you need; see `ErpModelViewSet` for If-Match on updates."""


__all__ = ["ApiView", "ErpGenericViewSet", "ErpModelViewSet", "ErpReadOnlyViewSet", "mixins"]
