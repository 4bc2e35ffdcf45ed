"""The base classes every API view derives from: RBAC scoping, ETag/If-Match, Idempotency-Key, and one
read per write.

A write to one record (PUT, PATCH, DELETE, or a POST action on /{id}/) runs in one transaction: the
record is read once, under its row lock, If-Match (when sent) is checked against it under that lock, the
service takes it as it is (`erp_mif.core.writes.locked`), and the answer is read once more.
"""

from django.db import transaction
from rest_framework import mixins, permissions, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.views import APIView

from erp_mif import rbac
from erp_mif.core.writes import mark_locked

from . import idempotency
from .etag import check_if_match, etag_for

# Only answers that represent one record carry an ETag; collections and empty bodies do not.
_ETAG_ACTIONS_EXCLUDED = {"list", "destroy"}


def writes_one_record(view, request, kwargs) -> bool:
    """The request changes the one record its path names (/{id}/ or /{id}/<action>/)."""
    lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
    return request.method not in permissions.SAFE_METHODS and lookup in kwargs


class ApiConventionsMixin:
    """Idempotency-Key on POST and ETag on single-record answers, for any DRF view."""

    _idempotency_record = None
    # Fields that change on every read (e.g. a freshly signed link): left out of the ETag, or every
    # If-Match would be stale.
    etag_excluded_fields: frozenset[str] = frozenset()

    def etag_of(self, representation: dict) -> str:
        return etag_for({k: v for k, v in representation.items() if k not in self.etag_excluded_fields})

    def dispatch(self, request, *args, **kwargs):
        if not self._in_one_transaction(request, kwargs):
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400 and writes_one_record(self, request, kwargs):
                # DRF turned the failure into a response inside this block: a refused or failed write
                # leaves nothing behind, whatever ran before the refusal (the idempotency record sees
                # to its own requests; a refused login keeps its failure on record).
                transaction.set_rollback(True)
            return response

    def _in_one_transaction(self, request, kwargs) -> bool:
        # With an Idempotency-Key, the key's record and the work it guards commit or roll back together
        # (keys are recorded for signed-in users only: an anonymous login's failures must count at once);
        # a write to one record keeps its row locked from the read to the answer.
        idempotent = (
            request.method == "POST" and request.headers.get(idempotency.HEADER) and self.authentication_classes
        )
        return bool(idempotent) or writes_one_record(self, request, kwargs)

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
    """Narrows the queryset to the caller's scope (`rbac.SCOPES`): rows outside it are 404.

    On a write to one record, `get_object` reads it once, under its row lock (and the locks of the joined
    rows `lock_related` names), and checks If-Match against that read.
    """

    rbac_resource: str | None = None
    lookup_value_regex = r"\d+"  # ids are integers: anything else is an unknown path (404)
    lock_related: tuple[str, ...] = ()

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.request.user
        if self.rbac_resource and user.is_authenticated:
            queryset = rbac.scoped(queryset, user, self.rbac_resource)
        return queryset

    def get_object(self):
        if not writes_one_record(self, self.request, self.kwargs):
            return super().get_object()
        # The list's filters are not applied: they select rows to show, not the row to change.
        of = ("self", *self.lock_related)
        lookup = self.lookup_url_kwarg or self.lookup_field
        queryset = self.get_queryset().select_for_update(of=of)
        instance = mark_locked(get_object_or_404(queryset, **{self.lookup_field: self.kwargs[lookup]}), of=of)
        self.check_object_permissions(self.request, instance)
        if if_match := self.request.headers.get("If-Match"):
            check_if_match(if_match, self.etag_of(self.get_serializer(instance).data))
        return instance


class ErpModelViewSet(ApiConventionsMixin, ScopedQuerysetMixin, viewsets.ModelViewSet):
    # This docstring shows in the OpenAPI document of the operations that have none of their own.
    """CRUD for one resource; updates honour If-Match under a row lock so two writers cannot both win."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def reread(self, instance):
        """`instance` read again through the viewset's queryset, with the annotations a GET shows.

        Writes answer with this, so their body and ETag are exactly what a GET of the record gives.
        """
        return self.get_queryset().get(pk=instance.pk)


class ErpReadOnlyViewSet(ApiConventionsMixin, ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve only."""


class ErpGenericViewSet(ApiConventionsMixin, ScopedQuerysetMixin, viewsets.GenericViewSet):
    """Pick the mixins you need; writes to one record get the row lock and If-Match like `ErpModelViewSet`'s."""


__all__ = ["ApiView", "ErpGenericViewSet", "ErpModelViewSet", "ErpReadOnlyViewSet", "mixins"]
