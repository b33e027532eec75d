"""The hardening tests' world (every role, two merchants, products, pages), reused."""

import io

import pytest
from PIL import Image

from tests.hardening.conftest import ROLES, World  # noqa: F401 - ROLES is imported by the tests


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    return World()


def png_bytes(size=(40, 30), *, exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        image.save(out, "JPEG", exif=data.tobytes())
    else:
        image.save(out, "PNG")
    return out.getvalue()
