"""The JSON API at /api/v1/ (django-ninja), its OpenAPI document at /api/v1/openapi.json.

Every operation needs a bearer token (``access.TokenAuth``), is rate-limited per token
(``access.TokenRateThrottle``) and, when it writes, audited (``access.audited``). Every
refusal is an RFC 7807 problem (``problems.py``); the OpenAPI document says so for each
operation, with ``application/problem+json``.
"""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from marketplace.api import access, epcis_rest, merchant, regulator
from marketplace.api.problems import CONTENT_TYPE, Problem, ProblemSchema, from_ninja, problem_response

# Problem answers every operation can give, and the ones only some give.
COMMON_PROBLEMS = {400: "请求无法解析（如不是有效的 JSON）", 401: "没有有效的令牌", 403: "角色或令牌权限不够", 404: "没有找到（或不属于你）",
                   422: "数据有误（invalid_params 指出字段）", 429: "请求太频繁（见 Retry-After）"}
EXTRA_PROBLEMS = {
    "epcis_capture": {400: "文档不符合 EPCIS 2.0 JSON 模式", 413: "文档太大或事件太多", 415: "内容类型不对"},
    "epcis_events": {400: "查询参数有误（invalid_params 指出参数）"},
    "regulator_lot_action": {409: "批次当前状态不允许这个操作"},
}
OPERATION_GROUPS = {"marketplace_api_epcis_rest_capture": "epcis_capture",
                    "marketplace_api_epcis_rest_events": "epcis_events",
                    "marketplace_api_regulator_suspend_lot": "regulator_lot_action",
                    "marketplace_api_regulator_reinstate_lot": "regulator_lot_action",
                    "marketplace_api_regulator_recall_lot": "regulator_lot_action"}


class SilverMarketAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem = ProblemSchema.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in problem.pop("$defs", {}).items():
            components[name] = definition
        components["Problem"] = problem
        reference = {"$ref": "#/components/schemas/Problem"}
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                codes = dict(COMMON_PROBLEMS)
                codes.update(EXTRA_PROBLEMS.get(OPERATION_GROUPS.get(operation.get("operationId", "")), {}))
                for status, description in codes.items():
                    operation["responses"][status] = {
                        "description": description, "content": {CONTENT_TYPE: {"schema": reference}},
                        **({"headers": {"Retry-After": {"schema": {"type": "integer"}}}} if status == 429 else {}),
                    }
        return schema


api = SilverMarketAPI(
    title="银龄集市数据接口 Silver Market API",
    version="1.0",
    description="监管和商家系统使用的接口。用“接口令牌”页面生成的令牌，放在 Authorization: Bearer 头里。"
                "错误按 RFC 7807 返回 application/problem+json。",
    urls_namespace="api-v1",
    docs_url=None,
    auth=access.TokenAuth(),
    throttle=[access.TokenRateThrottle()],
)
api.add_decorator(access.audited, mode="view")
api.add_router("/regulator/", regulator.router)
api.add_router("/merchant/", merchant.router)
api.add_router("/epcis/", epcis_rest.router)


@api.exception_handler(Problem)
def _problem(request, exc: Problem):
    return problem_response(exc)


@api.exception_handler(ValidationError)
def _validation(request, exc: ValidationError):
    return problem_response(from_ninja(exc.errors))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return problem_response(Problem(401, "请在 Authorization 头中提供有效的接口令牌（Bearer）。令牌可能已作废。",
                                    headers={"WWW-Authenticate": 'Bearer realm="silver-market"'}))


@api.exception_handler(Throttled)
def _throttled(request, exc):
    return problem_response(Problem(429, "请求太频繁，请稍后再试。"))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem_response(Problem(404, "没有找到。"))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if exc.status_code == 400:  # ninja could not read the body
        return problem_response(Problem(400, "请求内容不是有效的 JSON。", invalid_params=[
            {"name": "body", "reason": "请求内容不是有效的 JSON。"}]))
    return problem_response(Problem(exc.status_code, str(exc)))
