"""Spelling corrections are for words the catalogue does not have."""

import pytest

from search import lexicon, query
from search.models import SearchTerm

pytestmark = pytest.mark.django_db


def _typo_terms(text):
    return {term.token for concept in query.parse(text).concepts for alt in concept.alternatives
            if alt.weight == query.W_TYPO for term in alt.terms}


@pytest.fixture
def words():
    SearchTerm.objects.bulk_create(SearchTerm(key=w, label=w, kind=SearchTerm.WORD) for w in ("yian", "bian", "dian"))
    lexicon.changed()


def test_a_word_the_catalogue_has_is_not_corrected_into_its_neighbours(words):
    assert _typo_terms("yian") == set()  # a brand's pinyin: matched as typed, not widened to bian/dian


def test_a_word_it_does_not_have_is_corrected_to_its_neighbours(words):
    assert _typo_terms("xian") == {"yian", "bian", "dian"}
    assert _typo_terms("yiab") == {"yian"}
