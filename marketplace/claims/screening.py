"""Screening listing and campaign texts against the red-flag lexicon (广告法, DOMAIN.md §3).

Text and terms are normalised the same way before they are compared, so the usual disguises do
not slip through: full-width letters and digits (NFKC), spaces, zero-width characters,
punctuation and symbols put between the characters (「根 治」「根·治」「根\u200b治」), HTML
tags inside a word, and the traditional forms of the characters the terms use. Each finding
says which term, where (in the merchant's words: 标题, 描述, 属性「…」) and why (the legal
basis and a plain explanation).

The active lexicon is cached (``LEXICON_KEY``) and dropped whenever a term is saved or deleted.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.html import strip_tags

from marketplace.claims.models import FOOD, GENERAL, HEALTH_FOOD, MEDICAL_DEVICE, RedFlagTerm

LEXICON_KEY = "claims:lexicon:v1"
LEXICON_SECONDS = 300
GAP = "…"
MAX_GAP = 6  # characters a 「…」 in a term may stand for
# A 「…」 never reaches across a sentence: 「治疗期间。糖尿病人」 is not 「治疗…病」.
BOUNDARY = re.compile(r"[。！？；，、!?;,]")

# Statements the law requires (DOMAIN.md §3). They quote words such as 「治疗疾病」 in order to deny
# them, so text inside them is never a finding.
REQUIRED_STATEMENTS = (
    "本品不能代替药物",
    "保健食品不是药物，不能代替药物治疗疾病",
    "不能代替药物治疗疾病",
    "请仔细阅读产品说明书或者在医务人员的指导下购买和使用",
    "禁忌内容或者注意事项详见说明书",
)

# Traditional forms of the characters in the seeded terms (simplified on the right).
_TRADITIONAL = str.maketrans(
    "癒藥壽國級極頂選無證專薦傳祕療壓險備絕對純網銷對依賴製腦醫師員遺產齡兒種癥換價費權",
    "愈药寿国级极顶选无证专荐传秘疗压险备绝对纯网销对依赖制脑医师员遗产龄儿种症换价费权",
)

MEDICAL_DEVICE_TYPES = frozenset({"血压计", "血糖仪", "助听器"})
FOOD_CLASSES = frozenset({"ginseng", "deer-antler"})


@dataclass(frozen=True)
class Term:
    term: str
    category: str
    legal_basis: str
    explanation: str
    kinds: tuple[str, ...]
    parts: tuple[str, ...]  # the normalised pieces between 「…」 gaps
    allowed: tuple[str, ...]  # normalised allowed phrases


@dataclass(frozen=True)
class Finding:
    term: str
    category: str
    legal_basis: str
    explanation: str
    field: str  # the form field: "title", "description", "attr_<code>", or a page field
    where: str  # in plain Chinese: 标题, 描述, 属性「声明」, 正文「段落」
    excerpt: str  # the original text around the match

    @property
    def message(self) -> str:
        return f"{self.where}中有「{self.term}」（{self.legal_basis}）：{self.explanation}"


def _is_dropped(char: str) -> bool:
    """Whitespace, invisible format characters, punctuation and symbols: what can be put between
    the characters of a word without changing how it reads."""
    if char.isspace():
        return True
    category = unicodedata.category(char)
    return category[0] in "PSZ" or category in ("Cf", "Cc", "Mn")


def normalise(text: str) -> tuple[str, list[int]]:
    """The text as compared, and for each of its characters the index it came from."""
    out: list[str] = []
    index: list[int] = []
    for position, char in enumerate(text):
        for piece in unicodedata.normalize("NFKC", char).translate(_TRADITIONAL).lower():
            if not _is_dropped(piece):
                out.append(piece)
                index.append(position)
    return "".join(out), index


def _norm(text: str) -> str:
    return normalise(text)[0]


def plain_text(value: str) -> str:
    """Merchant HTML as the reader sees it: tags removed (so 「根<b>治</b>」 reads 「根治」), entities decoded."""
    return html.unescape(strip_tags(value or ""))


def compile_term(row: RedFlagTerm) -> Term:
    pieces = row.term.replace("...", GAP).split(GAP)
    return Term(
        term=row.term, category=row.get_category_display(), legal_basis=row.legal_basis,
        explanation=row.explanation, kinds=row.kinds,
        parts=tuple(_norm(piece) for piece in pieces if _norm(piece)),
        allowed=tuple(_norm(phrase) for phrase in row.allowed if _norm(phrase)),
    )


def active_terms() -> list[Term]:
    """The active lexicon, normalised, from the cache (one query when it is cold)."""
    terms = cache.get(LEXICON_KEY)
    if terms is None:
        terms = [compile_term(row) for row in RedFlagTerm.objects.filter(is_active=True).order_by("pk")]
        cache.set(LEXICON_KEY, terms, LEXICON_SECONDS)
    return terms


def forget_lexicon(**_kwargs) -> None:
    cache.delete(LEXICON_KEY)


def _spans(haystack: str, needle: str):
    start = haystack.find(needle)
    while start != -1:
        yield start, start + len(needle)
        start = haystack.find(needle, start + 1)


def _matches(term: Term, norm: str, index: list[int], original: str):
    first, rest = term.parts[0], term.parts[1:]
    for start, end in _spans(norm, first):
        for part in rest:
            window = norm[end:end + MAX_GAP + len(part)]
            found = window.find(part)
            if found == -1 or BOUNDARY.search(original[index[end - 1] + 1:index[end + found]]):
                break
            end = end + found + len(part)
        else:
            yield start, end


def _excerpt(original: str, index: list[int], start: int, end: int) -> str:
    left = max(index[start] - 8, 0)
    right = min(index[end - 1] + 9, len(original))
    return ("…" if left else "") + original[left:right].strip() + ("…" if right < len(original) else "")


def screen_text(*, text: str, product_class: str | None, field: str = "", where: str = "") -> list[Finding]:
    """Every red-flag term in ``text`` that applies to products of kind ``product_class``
    (``models.PRODUCT_KINDS``; None: every term, for text that may sit beside any product).

    A term is reported once per text; a term inside a longer one that was also found (「第一」 in
    「全网销量第一」) is not reported again.
    """
    original = plain_text(text)
    norm, index = normalise(original)
    if not norm:
        return []
    excused = [span for phrase in REQUIRED_STATEMENTS for span in _spans(norm, _norm(phrase))]
    found: list[tuple[int, int, Term]] = []
    for term in active_terms():
        if product_class is not None and product_class not in term.kinds:
            continue
        allowed = excused + [span for phrase in term.allowed for span in _spans(norm, phrase)]
        for start, end in _matches(term, norm, index, original):
            if not any(a <= start and end <= b for a, b in allowed):
                found.append((start, end, term))
                break
    findings = []
    for start, end, term in found:
        if any(s <= start and end <= e and (e - s) > (end - start) for s, e, _t in found):
            continue
        findings.append(Finding(
            term=term.term, category=term.category, legal_basis=term.legal_basis, explanation=term.explanation,
            field=field, where=where, excerpt=_excerpt(original, index, start, end),
        ))
    return findings


def attribute_value(product, code: str):
    try:
        return getattr(product.attr, code)
    except AttributeError:
        return None


def kind_of(*, class_slug: str, device_record_number="", device_type="") -> str:
    """Which kind of product the law treats this as: health food, food, medical device or other."""
    if class_slug == "health-food":
        return HEALTH_FOOD
    if class_slug in FOOD_CLASSES:
        return FOOD
    if str(device_record_number or "").strip() or str(device_type or "") in MEDICAL_DEVICE_TYPES:
        return MEDICAL_DEVICE
    return GENERAL


def claim_class(product) -> str:
    """``kind_of`` for a product as it is being edited (its attribute values as set, not as stored)."""
    product_class = product.get_product_class()
    if product_class is None:
        return GENERAL
    return kind_of(class_slug=product_class.slug,
                   device_record_number=attribute_value(product, "device_record_number"),
                   device_type=attribute_value(product, "device_type"))


def product_texts(product, *, fields=None):
    """(field, where, text) for the product's title, description and text attributes;
    only the ``fields`` named, when given."""
    texts = [("title", "标题", product.title or ""), ("description", "描述", product.description or "")]
    if product.get_product_class() is not None:
        for attribute in product.attr.get_all_attributes():
            if attribute.type not in ("text", "richtext"):
                continue
            value = attribute_value(product, attribute.code)
            if value:
                texts.append((f"attr_{attribute.code}", f"属性「{attribute.name}」", str(value)))
    return [row for row in texts if fields is None or row[0] in fields]


def screen_product(*, product, fields=None) -> list[Finding]:
    """Every finding in the product's title, description and text attribute values."""
    kind = claim_class(product)
    findings: list[Finding] = []
    for field, where, text in product_texts(product, fields=fields):
        findings += screen_text(text=text, product_class=kind, field=field, where=where)
    return findings


def problems_by_field(findings: list[Finding]) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for finding in findings:
        problems.setdefault(finding.field, []).append(finding.message)
    return problems

