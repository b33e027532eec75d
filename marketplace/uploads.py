"""The one gate every uploaded file passes: inspection reports, product images, CMS documents.

A file's type is decided from its content (``filetype``), never from its name or the
browser's claim; it is stored under a name and extension the server chooses; images are
decoded and re-encoded with Pillow, which drops EXIF (GPS positions included), anything
appended after the image data and anything that is not pixels. PDFs are accepted only when
they carry no HTML, script or embedded-file markers. Serving (``serve_media``) adds
``Content-Disposition: attachment``, ``nosniff`` and a sandboxing CSP, so even a file stored
before these rules cannot run in our origin.
"""

from __future__ import annotations

import io
import posixpath
import re
import uuid
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.views.static import serve
from PIL import Image, ImageOps, UnidentifiedImageError

PDF, JPEG, PNG = "pdf", "jpeg", "png"
REPORT_KINDS = frozenset({PDF, JPEG, PNG})
IMAGE_KINDS = frozenset({JPEG, PNG})
DOCUMENT_KINDS = frozenset({PDF, JPEG, PNG})
CONTENT_TYPES = {PDF: "application/pdf", JPEG: "image/jpeg", PNG: "image/png"}
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
KIND_NAMES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}

REPORT_MAX_BYTES = getattr(settings, "REPORT_MAX_BYTES", 10 * 1024 * 1024)
IMAGE_MAX_BYTES = getattr(settings, "IMAGE_MAX_BYTES", 10 * 1024 * 1024)
MAX_IMAGE_PIXELS = getattr(settings, "MAX_IMAGE_PIXELS", 40_000_000)  # ≈ 7700 × 5200: any real photo

# Bytes no honest PDF needs and that make a browser or viewer run something.
_PDF_FORBIDDEN = re.compile(
    rb"<\s*(?:script|html|body|svg|iframe|object|embed|meta)\b|<!doctype|/JavaScript|/JS\b|/Launch\b"
    rb"|/EmbeddedFile|/RichMedia|/XFA\b",
    re.IGNORECASE,
)

# What the media view may name as a file's type; everything else is served as bytes.
_SERVE_TYPES = {
    ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".webp": "image/webp", ".gif": "image/gif",
}
MEDIA_CSP = "default-src 'none'; sandbox"


@dataclass(frozen=True)
class CleanFile:
    kind: str
    content: ContentFile

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


def _read_all(upload, max_bytes: int, purpose: str) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(_too_large(purpose, max_bytes), code="upload_too_large")
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if hasattr(upload, "seek"):
        upload.seek(0)
    if len(data) > max_bytes:
        raise ValidationError(_too_large(purpose, max_bytes), code="upload_too_large")
    if not data:
        raise ValidationError(f"{purpose}文件是空的，请重新选择文件。", code="upload_empty")
    return data


def _too_large(purpose: str, max_bytes: int) -> str:
    return f"{purpose}文件不能超过 {max_bytes // (1024 * 1024)} MB，请压缩后再上传。"


def detect_kind(data: bytes) -> str | None:
    """PDF, JPEG or PNG judged by content, or None for anything else."""
    guess = filetype.guess(data[:8192])
    mime = guess.mime if guess else ""
    return {"application/pdf": PDF, "image/jpeg": JPEG, "image/png": PNG}.get(mime)


def _clean_pdf(data: bytes, purpose: str) -> bytes:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise ValidationError(f"{purpose}文件不是完整的 PDF 文件，请重新导出后上传。", code="pdf_broken")
    if _PDF_FORBIDDEN.search(data):
        raise ValidationError(
            f"{purpose}文件含有网页或脚本内容，出于安全不能上传。请用「打印为 PDF」重新生成。", code="pdf_active")
    return data


def _clean_image(data: bytes, kind: str, purpose: str, max_pixels: int) -> bytes:
    unreadable = ValidationError(f"{purpose}图片已损坏或不完整，请重新拍摄或导出后上传。", code="image_broken")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > max_pixels:
                raise ValidationError(
                    f"{purpose}图片太大（{width}×{height} 像素），请缩小到 {max_pixels // 1_000_000} 百万像素以内。",
                    code="image_pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if kind == JPEG:
                image = image.convert("RGB")
            elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                image = image.convert("RGBA")
            out = io.BytesIO()
            # No exif=, no pnginfo=: metadata is not copied into the new file.
            if kind == JPEG:
                image.save(out, "JPEG", quality=90, optimize=True)
            else:
                image.save(out, "PNG", optimize=True)
            return out.getvalue()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise unreadable from error


def clean_upload(upload, *, kinds=REPORT_KINDS, max_bytes: int = REPORT_MAX_BYTES, purpose: str = "上传",
                 max_pixels: int = MAX_IMAGE_PIXELS) -> ContentFile:
    """The upload as a fresh, server-named file of an allowed kind, or ValidationError in plain words.

    The returned ``ContentFile`` has ``content_type`` and ``kind`` attributes.
    """
    data = _read_all(upload, max_bytes, purpose)
    kind = detect_kind(data)
    if kind not in kinds:
        names = [KIND_NAMES[k] for k in (PDF, PNG, JPEG) if k in kinds]
        allowed = names[0] if len(names) == 1 else "、".join(names[:-1]) + " 或 " + names[-1]
        raise ValidationError(f"{purpose}文件只能是 {allowed} 格式。", code="upload_type")
    cleaned = _clean_pdf(data, purpose) if kind == PDF else _clean_image(data, kind, purpose, max_pixels)
    content = ContentFile(cleaned, name=f"{uuid.uuid4().hex}.{EXTENSIONS[kind]}")
    content.content_type = CONTENT_TYPES[kind]
    content.kind = kind
    return content


def validate_and_store(upload, *, storage=None, directory: str, **rules) -> str:
    """Clean ``upload`` and save it under ``directory``; return the stored name."""
    from django.core.files.storage import default_storage

    content = clean_upload(upload, **rules)
    return (storage or default_storage).save(posixpath.join(directory, content.name), content)


def serve_media(request, path: str, document_root=None):
    """Django's static serve for MEDIA_ROOT, made safe for files users uploaded."""
    response = serve(request, path, document_root=document_root or settings.MEDIA_ROOT)
    return protect_response(response, path)


def protect_response(response, path: str):
    extension = posixpath.splitext(path)[1].lower()
    response["Content-Type"] = _SERVE_TYPES.get(extension, "application/octet-stream")
    filename = re.sub(r"[^A-Za-z0-9._-]", "_", posixpath.basename(path)) or "download"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CSP
    return response

