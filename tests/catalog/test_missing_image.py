"""The placeholder for a product without a photo, when two first requests want it at once."""

import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from oscar.apps.catalogue.abstract_models import MissingProductImage as OscarMissingProductImage

from catalog.thumbnails import MissingProductImage


@pytest.fixture
def lost_race(settings, tmp_path, monkeypatch):
    """The state a request is in when another made the link between its check and its symlink."""
    settings.MEDIA_ROOT = str(tmp_path)
    link = tmp_path / settings.OSCAR_MISSING_IMAGE_URL
    OscarMissingProductImage()  # the other request's link
    assert link.exists()
    real_islink = os.path.islink
    monkeypatch.setattr(os.path, "islink", lambda path: False if str(path) == str(link) else real_islink(path))
    return str(link)


def test_oscar_answers_the_lost_race_with_an_error(lost_race):
    with pytest.raises(ImproperlyConfigured):
        OscarMissingProductImage().symlink_missing_image(lost_race)


def test_ours_takes_the_link_the_other_request_made(lost_race):
    MissingProductImage().symlink_missing_image(lost_race)
    assert os.path.exists(lost_race)


def test_a_link_nobody_could_make_is_still_an_error(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "missing" / "media")
    (tmp_path / "missing").write_text("a file where the media directory should be")
    with pytest.raises(ImproperlyConfigured):
        MissingProductImage()


@pytest.mark.django_db
def test_products_use_it():
    from tests import factories

    assert isinstance(factories.product().get_missing_image(), MissingProductImage)
