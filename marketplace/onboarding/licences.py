"""Merchant licence files: kept outside MEDIA_ROOT and handed out only by ``licence_file``.

A business licence names a company's legal representative and its registered address;
it is not for the public. The files live under ``PRIVATE_MEDIA_ROOT`` (``var/private``),
which no URL maps, and the storage's ``url()`` points at the view that checks who asks:
platform admins, regulators and the applicant themselves.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property

# Regulators hold it; platform admins hold every permission (as ``regulator_required`` asks).
REGULATOR_PERMISSION = "traceability.verify_lot"


class PrivateStorage(FileSystemStorage):
    """A file system storage rooted at ``PRIVATE_MEDIA_ROOT``, read when used (tests move it)."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @cached_property
    def base_url(self):
        return None

    def url(self, name):
        return reverse("onboarding:licence-file", kwargs={"name": name})


def private_storage() -> PrivateStorage:
    """The storage of the licence fields (a callable, so migrations name it rather than its path)."""
    return PrivateStorage()


def may_open(*, user, application) -> bool:
    """Platform admins and regulators (who check merchants) and the applicant; nobody else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.pk == application.applicant_id or user.has_perm(REGULATOR_PERMISSION)


def application_holding(*, name: str):
    """The application whose business or other licence is the file ``name``, or None."""
    from marketplace.onboarding.models import MerchantApplication

    if not name:
        return None
    return MerchantApplication.objects.filter(Q(business_licence=name) | Q(other_licence=name)).first()
