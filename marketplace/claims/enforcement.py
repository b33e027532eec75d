"""Where screening is enforced, so that no path publishes a listing with a red-flag claim.

- Products: ``catalog.Product.clean()`` and ``save()`` send ``catalog.signals.product_checked``;
  ``check_product`` answers it. The Oscar dashboard form, the Django admin, the demo seed
  (which cleans every product it writes) and the merchant workspace all go through those two
  methods, so the merchant sees each term on the form, and a save from anywhere else raises.
- Attribute values saved on their own (the Django admin's inline, a script):
  ``check_attribute_value`` on ``pre_save``.
- Campaign texts: a page that shows merchants' products is screened before Wagtail publishes it
  (``wagtail_hooks.py``); one published another way (scheduled, a workflow, a script) is taken
  down again at once by ``unpublish_if_flagged``.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError

from marketplace.claims.screening import (
    Finding,
    claim_class,
    plain_text,
    problems_by_field,
    screen_product,
    screen_text,
)

log = logging.getLogger(__name__)


def check_product(sender, *, product, fields=None, **kwargs) -> dict[str, list[str]]:
    return problems_by_field(screen_product(product=product, fields=fields))


def attribute_value_findings(value) -> list[Finding]:
    attribute = value.attribute
    if attribute.type not in ("text", "richtext"):
        return []
    text = getattr(value, f"value_{attribute.type}", "") or ""
    return screen_text(text=text, product_class=claim_class(value.product), field=f"attr_{attribute.code}",
                       where=f"属性「{attribute.name}」")


def check_attribute_value(sender, *, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    findings = attribute_value_findings(instance)
    if findings:
        raise ValidationError([finding.message for finding in findings], code="red_flag_claim")


# --- Campaign pages -----------------------------------------------------------------------

PAGE_FIELDS = {"title": "页面标题", "summary": "活动简介", "intro": "导语", "hero_title": "主标题",
               "hero_text": "导语", "search_description": "搜索摘要"}
PRODUCT_BLOCKS = ("product_grid",)


def _stream_fields(page):
    from wagtail.fields import StreamField

    for model_field in page._meta.get_fields():
        if isinstance(model_field, StreamField):
            yield model_field, getattr(page, model_field.name)


def page_shows_products(page) -> bool:
    """Whether the page shows merchants' products: a product grid, or products picked one by one."""
    for _model_field, stream in _stream_fields(page):
        for child in stream:
            if child.block_type in PRODUCT_BLOCKS or child.block_type == "product":
                return True
    return False


def page_texts(page):
    """(field, where, text) for each text an editor wrote on the page."""
    for name, where in PAGE_FIELDS.items():
        value = getattr(page, name, "")
        if isinstance(value, str) and value:
            yield name, where, value
    for model_field, stream in _stream_fields(page):
        label = str(model_field.verbose_name)
        for child in stream:
            pieces = child.block.get_searchable_content(child.value)
            text = "\n".join(plain_text(str(piece)) for piece in pieces if piece)
            if text:
                yield model_field.name, f"{label}「{child.block.label}」", text


def screen_page(*, page) -> list[Finding]:
    """Findings in a page's texts if it shows merchants' products, else none. Campaign copy sits
    beside products of any kind, so every active term applies."""
    page = page.specific
    if not page_shows_products(page):
        return []
    findings: list[Finding] = []
    for field, where, text in page_texts(page):
        findings += screen_text(text=text, product_class=None, field=field, where=where)
    return findings


def unpublish_if_flagged(sender, instance, **kwargs) -> None:
    findings = screen_page(page=instance)
    if findings:
        log.warning("page %s published with red-flag claims, unpublished: %s", instance.pk,
                    ", ".join(f.term for f in findings))
        instance.unpublish(log_action=True)
