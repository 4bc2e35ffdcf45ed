from django.utils.translation import gettext as _
from rest_framework import serializers

from erp_mif.api.serializers import ModelSerializer

from .. import downloads
from ..choices import DocumentKind
from ..models import TARGET_MODELS, Document

# The contract's readable fields, in its order.
DOCUMENT_FIELDS = [
    "id",
    "name",
    "kind",
    "content_type",
    "size",
    "sha256",
    "client",
    "equipment",
    "intervention",
    "uploaded_by",
    "uploaded_by_name",
    "download_url",
    "created_at",
]
# Ids are 64-bit: a larger number cannot name a record (and would overflow the query).
MAX_ID = 2**63 - 1
# Different on every read: left out of the ETag, which must change only when the record does.
VOLATILE_FIELDS = frozenset({"download_url"})


class DocumentSerializer(ModelSerializer):
    """A document as the contract shows it; `kind` is the one field a PATCH may change."""

    uploaded_by_name = serializers.CharField(source="uploaded_by.full_name", read_only=True, default="")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = DOCUMENT_FIELDS
        read_only_fields = [field for field in DOCUMENT_FIELDS if field != "kind"]

    def get_download_url(self, document: Document) -> str:
        """A signed link valid DOWNLOAD_URL_MAX_AGE seconds, minted on every read."""
        path = downloads.download_path(document)
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class DocumentUploadSerializer(serializers.Serializer):
    """The multipart body of an upload: the file, its kind and exactly one target (ids)."""

    file = serializers.FileField(allow_empty_file=False, use_url=False)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, default=DocumentKind.OTHER)
    client = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    equipment = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    intervention = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)

    def validate(self, attrs):
        given = [field for field in TARGET_MODELS if attrs.get(field) is not None]
        if len(given) != 1:
            message = _("Give exactly one of client, equipment and intervention.")
            raise serializers.ValidationError({field: [message] for field in given or TARGET_MODELS})
        return attrs

    def target(self) -> tuple[str, int]:
        """(field, id) of the one target, once valid."""
        return next((field, self.validated_data[field]) for field in TARGET_MODELS if self.validated_data.get(field))


class LimitsSerializer(serializers.Serializer):
    max_bytes = serializers.IntegerField()
    allowed_types = serializers.ListField(child=serializers.CharField())
