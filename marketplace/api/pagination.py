"""Cursor pagination over a fixed key (``(created, id)`` or ``id``), ascending.

The cursor names the last row a page ended on, so rows added while a client pages through
never shift a page or repeat a row (unlike offsets). It is signed, hence opaque: a client
cannot forge a position, and a damaged cursor is a 422 naming ``cursor``, never a 500.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.core import signing
from django.db.models import Q, QuerySet

from marketplace.api.problems import invalid

SALT = "marketplace.api.cursor"
DEFAULT_LIMIT, MAX_LIMIT = 50, 200


def _plain(value):
    if isinstance(value, datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, UUID):
        return ["uuid", str(value)]
    return ["v", value]


def _typed(pair):
    kind, value = pair
    if kind == "dt":
        return datetime.fromisoformat(value)
    if kind == "uuid":
        return UUID(value)
    return value


def encode(values: list, *, scope: str) -> str:
    return signing.dumps({"k": [_plain(v) for v in values], "s": scope}, salt=SALT)


def decode(cursor: str, *, scope: str, size: int) -> list:
    try:
        data = signing.loads(cursor, salt=SALT)
        values = [_typed(pair) for pair in data["k"]]
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise invalid("cursor", "翻页标记无效，请从第一页重新开始。") from error
    if data.get("s") != scope or len(values) != size:
        raise invalid("cursor", "翻页标记不属于这个列表，请从第一页重新开始。")
    return values


def paginate(queryset: QuerySet, *, keys: tuple[str, ...], cursor: str | None, limit: int | None,
             scope: str) -> tuple[list, str | None]:
    """One page of ``queryset`` ordered by ``keys`` (the last one unique) and the next page's cursor."""
    limit = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    queryset = queryset.order_by(*keys)
    if cursor:
        after = decode(cursor, scope=scope, size=len(keys))
        condition = Q()
        for index, key in enumerate(keys):
            step = Q(**{f"{key}__gt": after[index]})
            for earlier, value in zip(keys[:index], after[:index], strict=False):
                step &= Q(**{earlier: value})
            condition |= step
        queryset = queryset.filter(condition)
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, encode([_key_value(last, key) for key in keys], scope=scope)


def _key_value(row, key: str):
    value = row
    for part in key.split("__"):
        value = getattr(value, part)
    return value
