"""Wagtail's document form, with the content rules every other upload follows."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm

from marketplace import uploads


class SafeDocumentForm(BaseDocumentForm):
    """Documents are PDF, JPEG or PNG by content, stored under a name the server chooses."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):  # a new file, not the one already stored
            try:
                cleaned = uploads.clean_upload(upload, kinds=uploads.DOCUMENT_KINDS,
                                               max_bytes=uploads.REPORT_MAX_BYTES, purpose="文档")
            except ValidationError as error:
                raise ValidationError(error.messages, code="document") from error
            return cleaned
        return upload
