"""A thumbnailer that needs nothing but Pillow and the media storage.

Thumbnails are named by a hash of the source name and options, so a second request
finds the file and does no work; nothing is written to the database (unlike sorl's
key-value store), and several workers creating the same thumbnail at once each write
a temporary file and atomically rename it into place.
"""

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from oscar.apps.catalogue.abstract_models import MissingProductImage as OscarMissingProductImage
from oscar.core.thumbnails import AbstractThumbnailer
from PIL import Image, ImageOps

CACHE_DIR = "cache/thumbs"


@dataclass(frozen=True)
class Thumbnail:
    name: str
    width: int
    height: int

    @property
    def url(self) -> str:
        return settings.MEDIA_URL + self.name


def _source_name(source) -> str:
    return getattr(source, "name", None) or str(source)


def _size(value: str) -> tuple[int, int]:
    width, _, height = str(value).partition("x")
    width_px = int(width) if width else 0
    height_px = int(height) if height else 0
    return width_px or height_px, height_px or width_px


class PillowThumbnailer(AbstractThumbnailer):
    def generate_thumbnail(self, source, **opts):
        name = _source_name(source)
        width, height = _size(opts.get("size", "400x400"))
        crop = opts.get("crop") or "fit"
        key = hashlib.sha1(f"{name}|{width}x{height}|{crop}".encode()).hexdigest()
        thumb_name = f"{CACHE_DIR}/{key[:2]}/{key}.jpg"
        target = Path(settings.MEDIA_ROOT) / thumb_name
        if not target.exists():
            self._render(Path(settings.MEDIA_ROOT) / name, target, width, height, crop)
        return Thumbnail(thumb_name, width, height)

    def _render(self, source_path: Path, target: Path, width: int, height: int, crop: str) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with Image.open(source_path) as image:
                image = ImageOps.exif_transpose(image).convert("RGB")
                if crop and crop != "fit":
                    image = ImageOps.fit(image, (width, height))
                else:
                    image.thumbnail((width, height))
                    canvas = Image.new("RGB", (width, height), "white")
                    canvas.paste(image, ((width - image.width) // 2, (height - image.height) // 2))
                    image = canvas
                handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
                with os.fdopen(handle, "wb") as out:
                    image.save(out, "JPEG", quality=85, optimize=True)
                os.replace(temporary, target)
        except FileNotFoundError:
            Image.new("RGB", (width, height), "#eeeeee").save(target, "JPEG")

    def delete_thumbnails(self, source):
        # Names are content-addressed; stale thumbnails are harmless and swept by a cron job.
        return None


class MissingProductImage(OscarMissingProductImage):
    """Oscar's placeholder for a product without a photo, safe when first asked for twice at once.

    Oscar links the placeholder into MEDIA_ROOT the first time a page needs it. Two requests
    doing that at once raced: the one that found the other's link made between its check and
    its own ``symlink`` answered 500 (ImproperlyConfigured). A link another request made is as
    good as our own; only a link nobody could make is an error.
    """

    def symlink_missing_image(self, media_file_path):
        try:
            super().symlink_missing_image(media_file_path)
        except (ImproperlyConfigured, FileNotFoundError):  # FileNotFoundError: a broken link removed twice
            if not os.path.exists(media_file_path):
                raise
