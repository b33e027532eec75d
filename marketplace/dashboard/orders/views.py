"""Oscar's order views with a merchant's view scoped to its own lines (see ``apps.py``)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404
from oscar.apps.dashboard.orders import views as oscar_views

from marketplace.dashboard import scope

ZERO = Decimal("0.00")


class MerchantScopeMixin:
    """Merchants may look, not change: Oscar's order actions bypass the shipping and return rules."""

    def dispatch(self, request, *args, **kwargs):
        self.merchant_view = request.user.is_authenticated and not scope.sees_every_order(request.user)
        if self.merchant_view and request.method not in ("GET", "HEAD"):
            raise PermissionDenied("商家请在「商家工作台 › 订单」处理自己的商品发货和退货。")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["merchant_view"] = self.merchant_view
        return context


def _order_or_404(user, number):
    order = oscar_views.queryset_orders_for_user(user).filter(pk__in=scope.orders_for(user)).filter(
        number=number).first()
    if order is None:
        raise Http404("没有这个订单。")
    return order


class OrderListView(MerchantScopeMixin, oscar_views.OrderListView):
    def get_queryset(self):
        orders = super().get_queryset().filter(pk__in=scope.orders_for(self.request.user))
        return scope.with_own_figures(orders, self.request.user) if self.merchant_view else orders

    def get_row_values(self, order):
        row = super().get_row_values(order)
        if self.merchant_view:
            row["value"], row["num_items"] = order.own_total, order.own_items
        return row


class OrderStatsView(MerchantScopeMixin, oscar_views.OrderStatsView):
    def get_stats(self, filters):
        stats = super().get_stats(filters)
        if self.merchant_view:
            orders = oscar_views.queryset_orders_for_user(self.request.user).filter(**filters).filter(
                pk__in=scope.orders_for(self.request.user))
            lines = oscar_views.Line.objects.filter(order__in=orders, partner__in=scope.partners_of(self.request.user))
            figures = lines.aggregate(n=Count("pk"), total=Sum("line_price_incl_tax"))
            stats.update(total_orders=orders.count(), total_lines=figures["n"], total_revenue=figures["total"] or ZERO)
        return stats


class OrderDetailView(MerchantScopeMixin, oscar_views.OrderDetailView):
    def get_object(self, queryset=None):
        return _order_or_404(self.request.user, self.kwargs["number"])

    def get_order_lines(self):
        return scope.lines_for(self.request.user, self.object)

    def get_payment_transactions(self):
        return super().get_payment_transactions().none() if self.merchant_view else super().get_payment_transactions()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.merchant_view:
            lines = context["lines"]
            context["own_total"] = sum((line.line_price_incl_tax for line in lines), ZERO)
        return context


class LineDetailView(MerchantScopeMixin, oscar_views.LineDetailView):
    def get_object(self, queryset=None):
        order = _order_or_404(self.request.user, self.kwargs["number"])
        line = scope.lines_for(self.request.user, order).filter(pk=self.kwargs["line_id"]).first()
        if line is None:
            raise Http404("没有这件订单商品。")
        return line


class ShippingAddressUpdateView(MerchantScopeMixin, oscar_views.ShippingAddressUpdateView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope.sees_every_order(request.user):
            raise PermissionDenied("收货地址只能由顾客或平台修改。")
        return super().dispatch(request, *args, **kwargs)
