from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from services.uploads.models import Document
from services.uploads.services import PURPOSE_MAX_LENGTH


class DocumentUploadInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="A JPEG, PNG or PDF file; its content decides the type, not its name."
    )
    purpose = serializers.CharField(
        max_length=PURPOSE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="The requirement the document meets, e.g. `ktp` or `surat_pengantar_rt`.",
    )


class DocumentSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="Code of the agency handling the request the document belongs to.",
    )
    is_attached = serializers.BooleanField(
        read_only=True, help_text="Whether the document belongs to a request (then it stays)."
    )
    is_processed = serializers.BooleanField(
        read_only=True,
        help_text=(
            "False while an image waits to be re-encoded without its EXIF data (seconds after "
            "the upload); `size`, `sha256`, `width` and `height` then describe the file as "
            "uploaded and change once it is processed."
        ),
    )
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "uuid",
            "content_type",
            "size",
            "sha256",
            "pages",
            "width",
            "height",
            "original_name",
            "purpose",
            "agency",
            "is_attached",
            "is_processed",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document: Document) -> str:
        path = reverse("api:document-download", args=[document.uuid])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
