"""Oscar's checkout session mixin with our delivery method and plain-Chinese messages."""

from django.urls import reverse
from django.utils.translation import gettext as _
from oscar.apps.checkout import exceptions
from oscar.apps.checkout.session import CheckoutSessionMixin as OscarCheckoutSessionMixin

from marketplace.checkout.shipping import Repository

GUEST = ("guest", "chosen")


class CheckoutSessionMixin(OscarCheckoutSessionMixin):
    def is_guest(self) -> bool:
        return not self.request.user.is_authenticated and bool(self.checkout_session._get(*GUEST))

    def check_basket_is_not_empty(self, request):
        if request.basket.is_empty:
            raise exceptions.FailedPreCondition(url=reverse("basket:summary"),
                                                message=_("购物车里还没有商品，请先挑选商品。"))

    def check_basket_is_valid(self, request):
        problems = []
        for line in request.basket.all_lines():
            info = request.strategy.fetch_for_line(line)
            permitted, reason = info.availability.is_purchase_permitted(line.quantity)
            if not permitted:
                problems.append(_("“%(title)s”现在不能购买：%(reason)s 请在购物车里修改后再结算。") % {
                    "title": line.product.get_title(), "reason": reason})
        if problems:
            raise exceptions.FailedPreCondition(url=reverse("basket:summary"), messages=problems)

    def check_user_email_is_captured(self, request):
        """Named after Oscar's pre-condition: the shopper has logged in or chosen to buy as a guest."""
        if not request.user.is_authenticated and not self.is_guest():
            raise exceptions.FailedPreCondition(url=reverse("checkout:index"))

    def check_a_valid_shipping_address_is_captured(self):
        if not self.checkout_session.is_shipping_address_set() or not self.get_shipping_address(
                basket=self.request.basket):
            raise exceptions.FailedPreCondition(url=reverse("checkout:shipping-address"),
                                                message=_("请先填写收货地址。"))

    def check_address_is_captured(self, request):
        self.check_a_valid_shipping_address_is_captured()

    def check_a_valid_shipping_method_is_captured(self):
        if not self.checkout_session.is_shipping_method_set(self.request.basket) or not self.get_shipping_method(
                basket=self.request.basket):
            raise exceptions.FailedPreCondition(url=reverse("checkout:shipping-method"),
                                                message=_("请先选择送货方式。"))

    def check_payment_method_is_chosen(self, request):
        from marketplace.payments import methods

        if not methods.is_offered(self.checkout_session.payment_method() or ""):
            raise exceptions.FailedPreCondition(url=reverse("checkout:payment-method"),
                                                message=_("请先选择付款方式。"))

    def get_shipping_method(self, basket, shipping_address=None, **kwargs):
        code = self.checkout_session.shipping_method_code(basket)
        for method in Repository().get_shipping_methods(basket=basket, user=self.request.user,
                                                        shipping_addr=shipping_address, request=self.request):
            if method.code == code:
                return method
        return None
