"""Basket-add as Oscar does it, in one transaction and without re-pricing the basket.

Oscar's view saves a new basket, then adds the line in a transaction of its own: two
commits (two disk flushes) for each add. Here the whole add commits once, and nothing is
saved if any part fails. Oscar then applies every offer to the basket a second time only
to word a "your basket total is now …" message with a 立即结算 button; the shopper is
sent to a page that shows the basket's offers anyway, so we say plainly what was added and
leave pricing to the basket page (no push to pay). The sale rule is checked by Oscar's form
through our strategy (``marketplace.partner.strategy``); the counter is the cache's
(``marketplace.view_counts``).
"""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from oscar.apps.basket.views import BasketAddView as OscarBasketAddView


class BasketAddView(OscarBasketAddView):
    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        quantity = form.cleaned_data["quantity"]
        self.line, self.line_created = self.request.basket.add_product(
            form.product, quantity, form.cleaned_options())
        messages.success(self.request, self.get_success_message(form))
        self.add_signal.send(sender=self, product=form.product, user=self.request.user, request=self.request)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_message(self, form):
        return _("已把「%(title)s」%(quantity)s件放进购物车。") % {
            "title": form.product.get_title(), "quantity": form.cleaned_data["quantity"]}
