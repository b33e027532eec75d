"""GS1-Conformant resolver (GS1-Conformant Resolver Standard 1.2) for our GTINs and lots.

``/01/<GTIN>`` and ``/01/<GTIN>/10/<lot>`` (with an optional ``/21/<serial>``, which
names a unit of the lot) answer GET, HEAD and OPTIONS with CORS. Each item has a set
of typed links (GS1 Web Vocabulary link types); a lot inherits its product's links and
adds its own, and its default link is the trace page, so a person scanning a label
lands there. A client asks for:

* nothing in particular → 307 to the default link (the query string is passed on);
* ``?linkType=gs1:pip`` (or the full URI) → 307 to that link, or to the default link
  when the item has none of that type (as the standard allows);
* ``?linkType=linkset`` / ``all``, or ``Accept: application/linkset+json`` → the RFC
  9264 linkset (JSON).

Bad syntax (a wrong check digit, non-digits, unknown or misordered qualifiers) gets
400, an unknown item 404, in plain words — never 200 for an error. Every response
carries ``Link: <…?linkType=linkset>; rel="linkset"``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from oscar.core.loading import get_model

from traceability.codes import parse_gtin, parse_lot_number
from traceability.models import Lot
from traceability.regulation import lot_by_parts

Product = get_model("catalogue", "Product")

VOC = "https://gs1.org/voc/"
LINKSET_TYPE = "application/linkset+json"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_HEADERS = "Accept, Accept-Language, Content-Type, Origin, Cache-Control"
# GS1 Digital Link qualifiers of AI 01, in the order the URI syntax requires: CPV, lot, serial.
QUALIFIER_ORDER = ("22", "10", "21")


class TemporaryRedirect(HttpResponseRedirect):
    status_code = 307


@dataclass(frozen=True)
class Link:
    link_type: str  # a gs1: CURIE
    href: str
    title: str
    type: str = "text/html"
    hreflang: tuple[str, ...] = ("zh",)

    @property
    def relation(self) -> str:
        return VOC + self.link_type.removeprefix("gs1:")

    def as_target(self) -> dict:
        target = {"href": self.href, "title": self.title, "type": self.type}
        if self.hreflang:
            target["hreflang"] = list(self.hreflang)
        return target


class BadSyntax(ValueError):
    """The path is not a GS1 Digital Link URI we accept."""


@dataclass(frozen=True)
class Item:
    gtin: str
    lot_number: str | None
    product: object
    lot: Lot | None


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response["Access-Control-Expose-Headers"] = "Link, Location, Content-Type"
    response["Vary"] = "Accept, Accept-Language"
    return response


def parse_path(path: str) -> tuple[str, str | None]:
    """(gtin14, lot number or None) of a ``01/<gtin>[/22/…][/10/<lot>][/21/<serial>]`` path."""
    segments = path.strip("/").split("/")
    if len(segments) < 2 or segments[0] != "01" or len(segments) % 2:
        raise BadSyntax(_("网址应为 /01/14位商品条码，或 /01/商品条码/10/批号。"))
    gtin = parse_gtin(segments[1])
    if gtin is None:
        raise BadSyntax(_("商品条码应为8、12、13或14位数字，且最后一位校验码正确。"))
    lot_number, position = None, -1
    for ai, value in zip(segments[2::2], segments[3::2], strict=True):
        if ai not in QUALIFIER_ORDER or QUALIFIER_ORDER.index(ai) <= position:
            raise BadSyntax(_("限定符应按 /22/、/10/、/21/ 的顺序出现，且每个只出现一次。"))
        position = QUALIFIER_ORDER.index(ai)
        if ai == "10":  # the lot number is read by the one parser, as on the trace page
            lot_number = parse_lot_number(value)
            if lot_number is None:
                raise BadSyntax(_("批号只能包含字母、数字、“-”、“.”和“_”，最多20个字符。"))
        elif not value or len(value) > 20 or not value.isascii() or not value.isprintable():
            raise BadSyntax(_("批号或序列号应为不超过20个字母、数字或符号。"))
    return gtin, lot_number


def find_item(gtin: str, lot_number: str | None) -> Item | None:
    lots = Lot.objects.select_related("product")
    if lot_number is not None:
        lot = lot_by_parts(gtin=gtin, lot_number=lot_number, lots=lots)
        return Item(gtin, lot.lot_number, lot.product, lot) if lot else None
    product = Product.objects.filter(upc=gtin).first()
    if product is None:
        lot = lots.filter(gtin=gtin).order_by("-produced_on", "-pk").first()
        product = lot.product if lot else None
    return Item(gtin, None, product, None) if product else None


def links_for(request, item: Item) -> tuple[list[Link], Link]:
    """The item's links and its default link. A lot inherits its product's links."""
    product_page = request.build_absolute_uri(item.product.get_absolute_url())
    title = item.product.get_title()
    links = [Link("gs1:pip", product_page, _("%(title)s 商品信息") % {"title": title})]
    default = Link("gs1:defaultLink", product_page, links[0].title)
    if item.lot is not None:
        trace_page = request.build_absolute_uri(reverse("traceability:trace", kwargs={"code": item.lot.code}))
        proof = request.build_absolute_uri(reverse("tlog:lot-bundle", kwargs={"code": item.lot.code}))
        links += [
            Link("gs1:traceability", trace_page, _("批次 %(code)s 的追溯记录") % {"code": item.lot.code}),
            Link("gs1:recallStatus", trace_page + "#sale-title", _("这批商品能不能买、是否召回")),
            Link("gs1:certificationInfo", trace_page + "#commitment-title", _("商家质量承诺")),
            Link("gs1:verificationService", proof, _("可离线验证的透明日志证明"), type="application/json",
                 hreflang=()),
        ]
        default = Link("gs1:defaultLink", trace_page, _("商品追溯信息"))
    return links, default


def linkset(anchor: str, item: Item, links: list[Link], default: Link) -> dict:
    """RFC 9264 JSON linkset: one context object, relation types as full URIs."""
    context: dict = {"anchor": anchor, "itemDescription": item.product.get_title()}
    context[default.relation] = [default.as_target()]
    for link in links:
        context.setdefault(link.relation, []).append(link.as_target())
    return {"linkset": [context]}


def _wants_linkset(request) -> bool:
    link_type = request.GET.get("linkType", "")
    if link_type in ("linkset", "all"):
        return True
    return LINKSET_TYPE in request.headers.get("Accept", "") and not link_type


def _matches(link: Link, requested: str) -> bool:
    return requested in (link.link_type, link.relation, "https://ref.gs1.org/voc/" + link.link_type[4:])


def _passed_on(request, href: str) -> str:
    query = [(k, v) for k, values in request.GET.lists() if k != "linkType" for v in values]
    if not query:
        return href
    base, fragment = (href.split("#", 1) + [""])[:2]
    joined = base + ("&" if "?" in base else "?") + urlencode(query)
    return joined + ("#" + fragment if fragment else "")


def _error(request, status: int, message: str, code: str = ""):
    response = render(request, "traceability/trace_not_found.html", {"code": code[:80], "message": message},
                      status=status)
    return _cors(response)


@csrf_exempt  # nothing here changes state; other methods must get 405, not a CSRF 403
def resolve(request, **kwargs):
    """Every ``/01/…`` path: GET, HEAD and OPTIONS; anything else is 405."""
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Allow"] = ALLOWED_METHODS
        response["Access-Control-Max-Age"] = "86400"
        return _cors(response)
    if request.method not in ("GET", "HEAD"):
        response = HttpResponse(status=405)
        response["Allow"] = ALLOWED_METHODS
        return _cors(response)
    path = request.path_info
    prefix = path.find("/01/")
    try:
        gtin, lot_number = parse_path(path[prefix:])
    except BadSyntax as error:
        return _error(request, 400, str(error), path[prefix + 4:prefix + 60])
    item = find_item(gtin, lot_number)
    if item is None:
        return _error(request, 404, _("没有找到这个商品或批次。"), f"{gtin}-{lot_number}" if lot_number else gtin)
    anchor = request.build_absolute_uri(request.path)
    links, default = links_for(request, item)
    link_header = f'<{anchor}?linkType=linkset>; rel="linkset"; type="{LINKSET_TYPE}"'
    if _wants_linkset(request):
        body = linkset(anchor, item, links, default)
        wants_plain_json = "application/json" in request.headers.get("Accept", "") and \
            LINKSET_TYPE not in request.headers.get("Accept", "")
        response = JsonResponse(body, json_dumps_params={"ensure_ascii": False},
                                content_type="application/json" if wants_plain_json else LINKSET_TYPE)
        if request.method == "HEAD":
            response.content = b""
        response["Link"] = link_header
        return _cors(response)
    requested = request.GET.get("linkType", "")
    target = default
    if requested and requested != "gs1:defaultLink":
        target = next((link for link in links if _matches(link, requested)), default)
    response = TemporaryRedirect(_passed_on(request, target.href))
    response["Link"] = link_header
    return _cors(response)


@csrf_exempt
def description(request):
    """``/.well-known/gs1resolver``: what this resolver supports (GS1 description-file schema)."""
    if request.method == "OPTIONS":
        return _cors(HttpResponse(status=204, headers={"Allow": ALLOWED_METHODS}))
    if request.method not in ("GET", "HEAD"):
        return _cors(HttpResponse(status=405, headers={"Allow": ALLOWED_METHODS}))
    body = {
        "name": "银龄集市 Silver Market GS1 Digital Link resolver",
        "resolverRoot": request.build_absolute_uri("/").rstrip("/"),
        "supportedPrimaryKeys": ["01"],
        "supportedLinkType": [{"namespace": VOC, "prefix": "gs1:"}],
        "linkTypeDefaultCanBeLinkset": False,
        "supportedContextValuesEnumerated": [],
    }
    response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/json")
    return _cors(response)
