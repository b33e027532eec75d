"""Errors as RFC 7807 problem details (``application/problem+json``), naming the field at fault.

Every refusal the API gives goes through ``problem_response``, so a client sees one shape:
``type``, ``title``, ``status``, ``detail`` and, for bad input, ``invalid_params`` with
each field's ``name`` and the ``reason`` in plain Chinese.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from ninja import Schema

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://silver-market.example/problems/"

TITLES = {
    400: "请求有误",
    401: "需要有效的接口令牌",
    403: "没有权限",
    404: "没有找到",
    405: "不支持这个方法",
    409: "状态冲突",
    413: "提交的内容太大",
    415: "不支持的内容类型",
    422: "提交的数据有误",
    429: "请求太频繁",
}


class InvalidParam(Schema):
    name: str
    reason: str


class ProblemSchema(Schema):
    type: str
    title: str
    status: int
    detail: str
    invalid_params: list[InvalidParam] = []


class Problem(Exception):
    """Raised anywhere under an API view; answered as problem+json."""

    def __init__(self, status: int, detail: str, *, kind: str = "", invalid_params=None, headers=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind or {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found",
                             413: "too-large", 422: "validation", 429: "rate-limited"}.get(status, "error")
        self.invalid_params = invalid_params or []
        self.headers = headers or {}


def unstorable(text: str) -> bool:
    """Text a database cannot hold: NUL characters (PostgreSQL refuses them) or lone surrogates."""
    return "\x00" in text or any(0xD800 <= ord(char) <= 0xDFFF for char in text)


def find_unstorable(value, path: str) -> str | None:
    """The path of the first string (key or value) inside ``value`` a database cannot hold, or None."""
    if isinstance(value, str):
        return path if unstorable(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if unstorable(str(key)):
                return path or "body"
            found = find_unstorable(item, inner)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = find_unstorable(item, f"{path}[{index}]")
            if found:
                return found
    return None


UNSTORABLE = "含有不能保存的字符（如 NUL 控制字符）。"


def invalid(name: str, reason: str, *, status: int = 422, kind: str = "") -> Problem:
    return Problem(status, reason, kind=kind, invalid_params=[{"name": name, "reason": reason}])


def not_found(what: str = "没有找到这个对象。") -> Problem:
    return Problem(404, what)


def problem_response(problem: Problem) -> HttpResponse:
    body = {
        "type": TYPE_BASE + problem.kind,
        "title": TITLES.get(problem.status, "出错了"),
        "status": problem.status,
        "detail": problem.detail,
        "invalid_params": [{"name": str(p["name"]), "reason": str(p["reason"])} for p in problem.invalid_params],
    }
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=problem.status,
                            content_type=f"{CONTENT_TYPE}; charset=utf-8")
    for header, value in problem.headers.items():
        response[header] = value
    return response


def from_django(error: DjangoValidationError, *, default_field: str = "") -> Problem:
    """A service's ValidationError (plain Chinese already) as a 422 naming its fields."""
    params = []
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                params.append({"name": field if field != "__all__" else default_field, "reason": message})
    else:
        params = [{"name": default_field, "reason": message} for message in error.messages]
    detail = "；".join(p["reason"] for p in params) or "提交的数据有误。"
    return Problem(422, detail, invalid_params=params)


def field_name(loc) -> str:
    """A pydantic error location ("body", "payload", "reason") as the field the client sent ("reason")."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "form", "cookie"):
        source = parts.pop(0)
        if source == "body" and len(parts) > 1:
            parts.pop(0)  # the view's parameter name, not something the client typed
    return ".".join(parts) or "body"


MESSAGES = {
    "missing": "必填。",
    "string_too_long": "太长了。",
    "string_too_short": "太短了。",
    "int_parsing": "应为整数。",
    "bool_parsing": "应为 true 或 false。",
    "datetime_parsing": "应为带时区的 ISO 8601 时间，例如 2026-05-01T08:00:00+08:00。",
    "datetime_from_date_parsing": "应为带时区的 ISO 8601 时间，例如 2026-05-01T08:00:00+08:00。",
    "date_parsing": "应为 年-月-日，例如 2026-05-01。",
    "date_from_datetime_parsing": "应为 年-月-日，例如 2026-05-01。",
    "greater_than_equal": "太小了。",
    "less_than_equal": "太大了。",
    "literal_error": "不是允许的取值。",
    "enum": "不是允许的取值。",
    "json_invalid": "不是有效的 JSON。",
    "model_attributes_type": "应为 JSON 对象。",
    "dict_type": "应为 JSON 对象。",
    "string_type": "应为文字。",
    "list_type": "应为列表。",
    "extra_forbidden": "不认识这个字段。",
}


def from_ninja(errors: list[dict]) -> Problem:
    params = []
    for error in errors:
        reason = MESSAGES.get(error.get("type", ""), "") or f"格式不对（{error.get('msg', '')}）。"
        params.append({"name": field_name(error.get("loc", ())), "reason": reason})
    detail = "；".join(f"{p['name']}：{p['reason']}" for p in params) or "提交的数据有误。"
    return Problem(422, detail, invalid_params=params)
