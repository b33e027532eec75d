"""Translated strings looked up once per language and process (marketplace/translation_lookup.py)."""

from django.utils import translation
from django.utils.translation import trans_real

from marketplace import translation_lookup


def test_lookups_answer_what_django_answers_and_are_remembered():
    with translation.override("en"):
        catalogue = trans_real.translation("en")
        expected = translation_lookup._lookup(catalogue, "加入购物车")
        assert expected != "加入购物车"  # an English translation exists…
        assert translation.gettext("加入购物车") == expected  # …and is what the memo answers
        assert catalogue.__dict__["_remembered"]["加入购物车"] == expected
        assert translation.gettext("没有译文的一句话") == "没有译文的一句话"
    with translation.override("zh-hans"):
        assert translation.gettext("加入购物车") == "加入购物车"  # each language its own answers


def test_a_full_memo_still_answers_but_stops_growing(monkeypatch):
    monkeypatch.setattr(translation_lookup, "MEMO_LIMIT", 0)
    with translation.override("en"):
        catalogue = trans_real.translation("en")
        catalogue.__dict__.pop("_remembered", None)
        assert translation.gettext("加入购物车") == translation_lookup._lookup(catalogue, "加入购物车")
        assert catalogue.__dict__["_remembered"] == {}
