"""Checks other apps add to a product, without the catalogue importing them.

``product_checked`` is sent when a product is cleaned (``fields=None``: check everything) and
when it is saved (``fields``: the names of what changed: ``title``, ``description``,
``attr_<code>``). Each receiver returns ``{form field: [plain-words message, ...]}`` for the
problems that must stop the product being saved; claim screening (``marketplace/claims``) is one.
"""

from django.dispatch import Signal

product_checked = Signal()


def product_problems(product, *, fields=None) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for _receiver, answer in product_checked.send(sender=type(product), product=product, fields=fields):
        for field, messages in (answer or {}).items():
            problems.setdefault(field, []).extend(messages)
    return problems
