"""Basket-add: the sale rule checked, then one statement that adds the line.

Oscar's view loads the whole basket (applying every offer to it), builds a form that asks
for the product's options and stock record, runs ``get_or_create`` on the line inside a
savepoint, then applies every offer again to word a "your basket total is now …" message
with a 立即结算 button. An add needs none of that pricing: the basket page prices the
basket anyway. Here an add is

1. what the product is and whether it can be sold (``Addable``: its stock record and price,
   the sale rule's answer through the strategy, units left in the current lot), kept under
   the product's own version and the storefront version, like the product page: a sale, a
   suspension, a recall, an exit or a price change bumps one of them, so the answer is as
   live as the page the shopper pressed the button on (other workers within
   ``storefront_cache.LOCAL_SECONDS``). Checkout re-checks everything under row locks
   (``traceability.sale.allocate``); this only keeps what cannot be sold out of baskets;
2. in one transaction, a new basket if the visitor has none, and one ``INSERT … ON CONFLICT``
   that adds the line or raises its quantity and returns the quantity now in the basket;
   more than the lot has left rolls the whole add back.

The shopper is told plainly 「已把「…」2件放进购物车。」 (no push to pay). Products with
options or variants go through Oscar's own form, in one transaction too. The counter is
the cache's (``marketplace.view_counts``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.signing import BadSignature, Signer
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.basket.middleware import BasketMiddleware
from oscar.apps.basket.views import BasketAddView as OscarBasketAddView
from oscar.core.loading import get_model
from oscar.core.utils import redirect_to_referrer

from marketplace import storefront_cache
from marketplace.partner.strategy import LotStock

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")

MAX_PER_ADD = 99


class Refused(Exception):
    """The add cannot go ahead; ``reason`` is for the shopper."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(
        min_value=1, max_value=MAX_PER_ADD,
        error_messages={"required": _("请填写要买几件。"), "invalid": _("件数请填一个整数，例如 1。"),
                        "min_value": _("件数至少是 1。"),
                        "max_value": _("一次最多放 %(limit_value)s 件。")})


def product_for_sale(pk: int):
    """The product with its class and its option flags read in the same query (Oscar's
    ``has_options`` uses these two annotations), or None."""
    return (
        Product.objects.select_related("product_class")
        .annotate(
            has_product_class_options=Exists(
                ProductClass.options.through.objects.filter(productclass_id=OuterRef("product_class_id"))),
            has_product_options=Exists(Product.product_options.through.objects.filter(product_id=OuterRef("pk"))),
        )
        .filter(pk=pk).first()
    )


@dataclass(frozen=True)
class Addable:
    """What a basket-add needs to know about a product, small enough to cache."""

    product_id: int
    title: str
    via_form: bool  # options or variants: Oscar's form decides
    refusal: str = ""  # why it cannot be sold now; empty when it can
    units_left: int = 0
    stockrecord_id: int | None = None
    price_currency: str = ""
    price_excl_tax: Decimal | None = None
    price_incl_tax: Decimal | None = None
    tax_code: str | None = None

    def permits(self, quantity: int) -> tuple[bool, str]:
        """(allowed, reason): ``quantity`` is what the line would hold after the add."""
        if self.refusal:
            return False, self.refusal
        return LotStock(self.units_left).is_purchase_permitted(quantity)

    @property
    def product(self):
        """A reference for signal receivers (they read its primary key)."""
        return Product(pk=self.product_id, title=self.title)


def _addable(pk: int, strategy) -> Addable | None:
    product = product_for_sale(pk)
    if product is None:
        return None
    if product.is_parent or product.has_options:
        return Addable(product_id=pk, title=product.get_title(), via_form=True)
    info = strategy.fetch_for_product(product)
    permitted, reason = info.availability.is_purchase_permitted(1)
    if not permitted or info.stockrecord is None or not info.price.exists:
        return Addable(product_id=pk, title=product.get_title(), via_form=False,
                       refusal=str(reason or _("这件商品现在不能购买。")))
    price = info.price
    return Addable(
        product_id=pk, title=product.get_title(), via_form=False,
        units_left=info.availability.num_available, stockrecord_id=info.stockrecord.pk,
        price_currency=price.currency, price_excl_tax=price.excl_tax,
        price_incl_tax=price.incl_tax if price.is_tax_known else None, tax_code=price.tax_code)


def addable(pk: int, strategy) -> Addable:
    """This product's ``Addable``, from the cache while neither its version nor the
    storefront's has moved since it was read (see the module docstring); 404 if none."""
    parts = [pk, storefront_cache.product_version(pk), timezone.localdate()]
    found = storefront_cache.get_or_build("basket-add", parts, lambda: _addable(pk, strategy) or False)
    if not found:
        raise Http404
    return found


def _upsert_sql(*, owned: bool) -> str:
    line, basket = Line._meta, Basket._meta
    column = {f.name: f.column for f in line.concrete_fields}
    names = ["basket", "line_reference", "product", "stockrecord", "quantity", "price_currency",
             "price_excl_tax", "price_incl_tax", "tax_code", "date_created", "date_updated"]
    columns = ", ".join(column[name] for name in names)
    values = ", ".join(["%s"] * len(names))
    quantity, updated = column["quantity"], column["date_updated"]
    owner_column = basket.get_field("owner").column
    owner = f"{owner_column} = %s" if owned else f"{owner_column} IS NULL"
    return (
        f"INSERT INTO {line.db_table} ({columns}) SELECT {values} FROM {basket.db_table} "
        f"WHERE {basket.pk.column} = %s AND status = %s AND {owner} "
        f"ON CONFLICT ({column['basket']}, {column['line_reference']}) DO UPDATE SET "
        f"{quantity} = {line.db_table}.{quantity} + excluded.{quantity}, {updated} = excluded.{updated} "
        f"RETURNING {quantity}"
    )


def add_line(*, basket_id: int, owner_id: int | None, item: Addable, quantity: int) -> int | None:
    """Add ``quantity`` of ``item`` to this open basket in one statement: the quantity of
    that line now, or None when the basket is no longer open (or not this owner's). The line
    reference is Oscar's for a product without options."""
    now = timezone.now()
    params = [basket_id, f"{item.product_id}_{item.stockrecord_id}", item.product_id, item.stockrecord_id,
              quantity, item.price_currency, item.price_excl_tax, item.price_incl_tax, item.tax_code,
              now, now, basket_id, Basket.OPEN]
    if owner_id is not None:
        params.append(owner_id)
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(owned=owner_id is not None), params)
        row = cursor.fetchone()
    return row[0] if row else None


class BasketAddView(OscarBasketAddView):
    def post(self, request, *args, **kwargs):
        item = addable(kwargs["pk"], request.strategy)
        if item.via_form:
            self.product = product_for_sale(item.product_id)
            with transaction.atomic():
                return super(OscarBasketAddView, self).post(request, *args, **kwargs)
        form = QuantityForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["quantity"]))
            return redirect_to_referrer(request, "basket:summary")
        quantity = form.cleaned_data["quantity"]
        try:
            self._add(request, item, quantity)
        except Refused as refused:
            messages.error(request, refused.reason)
            return redirect_to_referrer(request, "basket:summary")
        messages.success(request, _("已把「%(title)s」%(quantity)s件放进购物车。") % {
            "title": item.title, "quantity": quantity})
        self.add_signal.send(sender=self, product=item.product, user=request.user, request=request)
        return HttpResponseRedirect(self.get_success_url())

    def _add(self, request, item: Addable, quantity: int) -> None:
        permitted, reason = item.permits(quantity)
        if not permitted:
            raise Refused(reason)
        owner_id = request.user.pk if request.user.is_authenticated else None
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # A basket is not an order: on a database crash it may lose its last fraction of a
                # second of additions, never its consistency; the add does not wait for the disk.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            basket_id = self._open_basket_id(request)
            in_basket = basket_id and add_line(basket_id=basket_id, owner_id=owner_id, item=item, quantity=quantity)
            if not in_basket:  # no basket yet, or the cookie's basket has closed
                if basket_id:
                    request.cookies_to_delete.append(BasketMiddleware(get_response=None).get_cookie_key(request))
                basket = Basket.objects.create(owner_id=owner_id)
                request.basket = basket  # the middleware sets the visitor's basket cookie for it
                in_basket = add_line(basket_id=basket.pk, owner_id=owner_id, item=item, quantity=quantity)
            permitted, reason = item.permits(in_basket)
            if not permitted:
                raise Refused(reason)

    def _open_basket_id(self, request) -> int | None:
        """The visitor's basket id without loading the basket: a signed-in shopper's comes
        from Oscar's middleware (which merges a cookie basket into it); a guest's from the
        signed cookie, checked by the insert itself."""
        middleware = BasketMiddleware(get_response=None)
        if request.user.is_authenticated:
            basket = middleware.get_basket(request)
            if basket.pk is None:
                basket.save()
            request.basket = basket
            return basket.pk
        cookie_key = middleware.get_cookie_key(request)
        if cookie_key not in request.COOKIES:
            return None
        try:
            return int(Signer().unsign(request.COOKIES[cookie_key]))
        except (BadSignature, ValueError):
            request.cookies_to_delete.append(cookie_key)
            return None

    def form_valid(self, form):
        """Oscar's form path (products with options or variants), with the plain message."""
        quantity = form.cleaned_data["quantity"]
        self.line, self.line_created = self.request.basket.add_product(
            form.product, quantity, form.cleaned_options())
        messages.success(self.request, _("已把「%(title)s」%(quantity)s件放进购物车。") % {
            "title": form.product.get_title(), "quantity": quantity})
        self.add_signal.send(sender=self, product=form.product, user=self.request.user, request=self.request)
        return HttpResponseRedirect(self.get_success_url())
