"""Checkout in four plain steps: address → delivery → payment → confirm.

Each step is one page with one job, a back link and "修改" links on the confirm page. What
the shopper typed is kept in the checkout session, so going back, or an order refused at
the last moment, loses nothing. Orders are placed only through
``marketplace.checkout.placement.place_order``.
"""

from collections import OrderedDict

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views import generic
from oscar.apps.checkout import views as oscar_views
from oscar.apps.checkout.mixins import OrderPlacementMixin
from oscar.core.loading import get_model

from marketplace.checkout import addresses, placement
from marketplace.checkout.forms import AddressForm, ReturnsConfirmationForm
from marketplace.checkout.session import GUEST, CheckoutSessionMixin
from marketplace.checkout.shipping import Repository
from marketplace.family import purchase as family
from marketplace.order.return_rules import excluded_items
from marketplace.payments import methods
from traceability import sale

UserAddress = get_model("address", "UserAddress")
ShippingAddress = get_model("order", "ShippingAddress")
Order = get_model("order", "Order")

TYPED = ("shipping", "typed")
STEPS = (("shipping-address", _("收货地址")), ("shipping-method", _("送货方式")),
         ("payment-method", _("付款方式")), ("preview", _("确认订单")))


class StepMixin(CheckoutSessionMixin):
    step = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["steps"] = [{"name": name, "label": label, "current": name == self.step} for name, label in STEPS]
        context["step_number"] = [name for name, _label in STEPS].index(self.step) + 1 if self.step else 0
        return context


class IndexView(CheckoutSessionMixin, generic.TemplateView):
    """Log in, or buy as a guest (游客购买) without registering."""

    template_name = "oscar/checkout/gateway.html"
    pre_conditions = ["check_basket_is_not_empty", "check_basket_is_valid"]

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("checkout:shipping-address")
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.checkout_session._set(*GUEST, True)
        return redirect("checkout:shipping-address")


class ShippingAddressView(StepMixin, generic.FormView):
    template_name = "oscar/checkout/shipping_address.html"
    form_class = AddressForm
    step = "shipping-address"
    success_url = reverse_lazy("checkout:shipping-method")
    pre_conditions = ["check_basket_is_not_empty", "check_basket_is_valid", "check_user_email_is_captured"]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(guest=self.is_guest(), can_save=self.request.user.is_authenticated)
        return kwargs

    def get_initial(self):
        return dict(self.checkout_session._get(*TYPED) or {})

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.GET.get("for", "").isdigit():
            family.start_buying_for(request=request, elder_id=int(request.GET["for"]))
        return super().get(request, *args, **kwargs)

    def elder(self):
        if not self.request.user.is_authenticated:
            return None
        return family.buying_for(request=self.request)

    def saved_addresses(self):
        if not self.request.user.is_authenticated:
            return []
        elder = self.elder()
        own = list(UserAddress.objects.filter(user=self.request.user, country_id=addresses.COUNTRY)
                   .order_by("-is_default_for_shipping", "-num_orders_as_shipping_address", "-pk"))
        elder_address = family.elder_shipping_address(elder=elder) if elder else None
        return ([elder_address] if elder_address else []) + own

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["saved_addresses"] = [
            {"pk": a.pk, "name": a.last_name, "mobile": addresses.mobile_of(a), "text": addresses.readable(a),
             "chosen": a.pk == self.checkout_session.shipping_user_address_id()}
            for a in self.saved_addresses()]
        context["jilin"] = addresses.JILIN
        context["buying_for"] = self.elder()
        return context

    def post(self, request, *args, **kwargs):
        if "user_address" in request.POST:
            allowed = {address.pk: address for address in self.saved_addresses()}
            chosen = allowed.get(int(request.POST["user_address"]) if request.POST["user_address"].isdigit() else 0)
            if chosen is None:
                raise Http404("not one of this shopper's addresses")
            self.checkout_session.ship_to_user_address(chosen)
            return redirect(self.get_success_url())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        fields = form.address_fields()
        self.checkout_session.reset_shipping_data()
        self.checkout_session._set("shipping", "new_address_fields", fields)
        self.checkout_session._set(*TYPED, form.typed_values())
        if self.is_guest():
            self.checkout_session.set_guest_email(form.cleaned_data.get("email") or "")
        if form.cleaned_data.get("save_address"):
            self._save_to_address_book(fields)
        return super().form_valid(form)

    def _save_to_address_book(self, fields):
        address = UserAddress(user=self.request.user, **fields)
        if not UserAddress.objects.filter(user=self.request.user, hash=address.generate_hash()).exists():
            try:
                with transaction.atomic():
                    address.save()
            except IntegrityError:
                pass  # saved meanwhile in another tab


class ShippingMethodView(StepMixin, generic.TemplateView):
    template_name = "oscar/checkout/shipping_methods.html"
    step = "shipping-method"
    pre_conditions = ["check_basket_is_not_empty", "check_basket_is_valid", "check_user_email_is_captured",
                      "check_address_is_captured"]

    def methods(self):
        return Repository().get_shipping_methods(basket=self.request.basket, user=self.request.user,
                                                 request=self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = self.checkout_session.shipping_method_code(self.request.basket)
        context["methods"] = [{"code": m.code, "name": m.name, "description": m.description,
                               "charge": m.calculate(self.request.basket).incl_tax, "chosen": m.code == chosen}
                              for m in self.methods()]
        return context

    def post(self, request, *args, **kwargs):
        code = request.POST.get("method_code", "")
        if code not in {method.code for method in self.methods()}:
            messages.error(request, _("请选择送货方式。"))
            return self.get(request, *args, **kwargs)
        self.checkout_session.use_shipping_method(code)
        return redirect("checkout:payment-method")


class PaymentMethodView(StepMixin, generic.TemplateView):
    template_name = "oscar/checkout/payment_method.html"
    step = "payment-method"
    pre_conditions = ["check_basket_is_not_empty", "check_basket_is_valid", "check_user_email_is_captured",
                      "check_shipping_data_is_captured"]
    error = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = self.checkout_session.payment_method()
        context["methods"] = [{"code": m.code, "label": m.label, "help_text": m.help_text, "chosen": m.code == chosen}
                              for m in methods.available()]
        context["error"] = self.error
        return context

    def post(self, request, *args, **kwargs):
        code = request.POST.get("payment_method", "")
        if not methods.is_offered(code):
            self.error = _("请选择一种付款方式。")
            return self.render_to_response(self.get_context_data(), status=200)
        self.checkout_session.pay_by(code)
        return redirect("checkout:preview")


def lines_by_merchant(lines):
    """Basket or order lines grouped by merchant, in the order they appear."""
    lines = list(lines)
    StockRecord = get_model("partner", "StockRecord")
    records = StockRecord.objects.filter(pk__in={line.stockrecord_id for line in lines}).select_related("partner")
    partners = {record.pk: record.partner for record in records}
    groups = OrderedDict()
    for line in lines:
        groups.setdefault(partners.get(line.stockrecord_id), []).append(line)
    return [{"merchant": partner, "lines": group} for partner, group in groups.items()]


class ConfirmView(OrderPlacementMixin, StepMixin, generic.TemplateView):
    """Everything on one page, each part with a change link, and the one button that places the order."""

    template_name = "oscar/checkout/preview.html"
    step = "preview"
    preview = True
    pre_conditions = ["check_basket_is_not_empty", "check_basket_is_valid", "check_user_email_is_captured",
                      "check_shipping_data_is_captured", "check_payment_method_is_chosen"]

    def exclusions(self):
        return excluded_items(line.product for line in self.request.basket.all_lines())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        basket = self.request.basket
        context["merchant_groups"] = lines_by_merchant(basket.all_lines())
        address = self.get_shipping_address(basket)
        context["address_text"] = addresses.readable(address) if address else ""
        context["address_name"] = address.last_name if address else ""
        context["address_mobile"] = addresses.mobile_of(address) if address else ""
        context["payment"] = methods.get(self.checkout_session.payment_method())
        context["exclusions"] = self.exclusions()
        context.setdefault("returns_form", ReturnsConfirmationForm())
        return context

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        returns_form = ReturnsConfirmationForm(request.POST)
        if self.exclusions() and not returns_form.is_valid():
            return self.render_to_response(self.get_context_data(returns_form=returns_form))
        basket = request.basket
        address = self.get_shipping_address(basket)
        code = self.checkout_session.payment_method()
        try:
            # Buying for a parent (「为家人购买」) the member pays from their own basket; the
            # family app records whom the order is for (family.record_order below).
            order = placement.place_order(
                basket=basket, user=request.user, shipping_address=address,
                shipping_method=self.get_shipping_method(basket, address), payment_method=code, request=request)
        except sale.NotAllocated as error:
            return self._refused(error.message, returns_form)
        except placement.NotPlaced as error:
            return self._refused(error.message, returns_form)
        self._after_placement(order)
        family.record_order(order=order, request=request)
        response = self.handle_successful_order(order)
        started = methods.begin(code, order=order, request=request)
        return started if started is not None else response

    def _refused(self, message, returns_form):
        messages.error(self.request, _("订单没有提交：%(why)s 您填写的内容都还在，可以修改后再提交。") % {"why": message})
        return self.render_to_response(self.get_context_data(returns_form=returns_form))

    def _after_placement(self, order):
        email = self.checkout_session.get_guest_email()
        if order.user_id is None and email:
            Order.objects.filter(pk=order.pk).update(guest_email=email)
            order.guest_email = email
        user_address_id = self.checkout_session.shipping_user_address_id()
        if user_address_id and self.request.user.is_authenticated:
            UserAddress.objects.filter(pk=user_address_id).update(
                num_orders_as_shipping_address=F("num_orders_as_shipping_address") + 1)

    def send_order_placed_email(self, order):
        """A guest may leave no e-mail address: then the thank-you page is the confirmation."""
        if order.user_id or order.guest_email:
            super().send_order_placed_email(order)

    def get_success_url(self):
        return reverse("checkout:thank-you")


class ThankYouView(oscar_views.ThankYouView):
    template_name = "oscar/checkout/thank_you.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object is None:
            return HttpResponseRedirect(reverse("basket:summary"))
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, *args, **kwargs):
        from marketplace.order.summary import order_summary

        context = super().get_context_data(*args, **kwargs)
        context.update(order_summary(order=self.object))
        return context


UserAddressUpdateView = oscar_views.UserAddressUpdateView
UserAddressDeleteView = oscar_views.UserAddressDeleteView
PaymentDetailsView = ConfirmView
