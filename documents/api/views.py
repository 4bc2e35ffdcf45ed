from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from erp_mif import rbac
from erp_mif.api.permissions import RbacPermission
from erp_mif.api.views import ErpModelViewSet
from erp_mif.core.errors import ApplicationError

from .. import downloads, selectors, services
from ..choices import ALLOWED_CONTENT_TYPES
from ..filters import DocumentFilterSet
from ..models import TARGET_MODELS, Document
from ..upload import SizeLimitUploadHandler
from .serializers import VOLATILE_FIELDS, DocumentSerializer, DocumentUploadSerializer, LimitsSerializer


class SignedLinkOrRbac(RbacPermission):
    """The download's rights: a `?signature=` (from a document's download_url) stands in for the login
    and the RBAC check, since <a href> and <img src> cannot send the Authorization header; a link that
    is invalid or expired is a 403. Without a signature, the same rights as any other action."""

    def has_permission(self, request, view) -> bool:
        token = request.query_params.get(downloads.SIGNATURE_PARAM)
        if token is None:
            return super().has_permission(request, view)
        if not downloads.signature_is_valid(view.kwargs[view.lookup_field], token):
            raise ApplicationError(
                "permission_denied", _("This download link is invalid or has expired."), status_code=403
            )
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        signed = downloads.SIGNATURE_PARAM in request.query_params  # checked by has_permission
        return signed or super().has_object_permission(request, view, obj)


class DocumentViewSet(ErpModelViewSet):
    """Files attached to a client, equipment or intervention: upload (multipart), list, read, change the
    kind, delete, download. The type is judged from the bytes; `download_url` is a signed link valid a
    few minutes, for <a href> and <img src>."""

    rbac_resource = "document"
    queryset = selectors.document_list()
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet
    search_fields = ["name"]
    ordering_fields = ["created_at", "name", "size"]
    ordering = ["-created_at", "-id"]
    # No PUT: `kind` is a document's one editable field, changed with PATCH.
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    etag_excluded_fields = VOLATILE_FIELDS

    def initialize_request(self, request, *args, **kwargs):
        # Before anything reads the body, so the size limit applies while the upload streams in.
        request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
        return super().initialize_request(request, *args, **kwargs)

    def get_permissions(self):
        if self.action == "download":
            return [SignedLinkOrRbac()]
        return super().get_permissions()

    def perform_content_negotiation(self, request, force=False):
        # A download answers with the file's own type whatever Accept asks (<img> sends image/*);
        # only its errors are rendered, and they are JSON.
        return super().perform_content_negotiation(request, force=force or self.action == "download")

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={
            201: DocumentSerializer,
            413: OpenApiResponse(description="file_too_large"),
            415: OpenApiResponse(description="unsupported_file_type"),
        },
    )
    def create(self, request, *args, **kwargs):
        upload = DocumentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        document = services.document_create(
            upload=upload.validated_data["file"],
            kind=upload.validated_data["kind"],
            by=request.user,
            **self._target(upload),
        )
        return Response(self.get_serializer(self.reread(document)).data, status=status.HTTP_201_CREATED)

    def _target(self, upload: DocumentUploadSerializer) -> dict:
        """{field: record} of the upload's target: 404 when the caller cannot see it, 403 when he may
        see it but not attach documents to it (a technician's are his interventions only)."""
        field, pk = upload.target()
        visible = rbac.scoped(TARGET_MODELS[field].objects.all(), self.request.user, field)
        target = get_object_or_404(visible, pk=pk)
        self.check_object_permissions(self.request, Document(**{field: target}))
        return {field: target}

    def perform_update(self, serializer):
        kind = serializer.validated_data.get("kind", serializer.instance.kind)
        serializer.instance = self.reread(services.document_change_kind(document=serializer.instance, kind=kind))

    def perform_destroy(self, instance):
        services.document_delete(document=instance)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                downloads.SIGNATURE_PARAM,
                str,
                description="from download_url: lets the link work without the Authorization header",
            )
        ],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="the file's bytes, with its detected type as Content-Type"
            ),
            302: OpenApiResponse(description="redirect to a short-lived presigned URL (S3-compatible storage)"),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        return downloads.download_response(self.get_object())

    @extend_schema(responses={200: LimitsSerializer})
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def limits(self, request):
        return Response({"max_bytes": settings.UPLOAD_MAX_BYTES, "allowed_types": list(ALLOWED_CONTENT_TYPES)})
