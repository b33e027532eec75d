"""Which orders and lines a dashboard user may see: decided by role, never by ``is_staff`` alone."""

from __future__ import annotations

from django.db.models import Count, DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

from marketplace import roles

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Partner = get_model("partner", "Partner")


def sees_every_order(user) -> bool:
    """Platform admins see the whole order; everyone else in the dashboard is a merchant's staff."""
    return user.is_superuser or roles.has_role(user, roles.PLATFORM_ADMIN)


def partners_of(user) -> QuerySet:
    return Partner.objects.filter(users=user) if roles.has_role(user, roles.MERCHANT) else Partner.objects.none()


def orders_for(user) -> QuerySet:
    if sees_every_order(user):
        return Order.objects.all()
    return Order.objects.filter(pk__in=Line.objects.filter(partner__in=partners_of(user)).values("order_id"))


def lines_for(user, order) -> QuerySet:
    lines = order.lines.all()
    return lines if sees_every_order(user) else lines.filter(partner__in=partners_of(user))


def with_own_figures(orders: QuerySet, user) -> QuerySet:
    """Each order annotated with the user's own lines' value and item count (join-safe subqueries)."""
    own = Line.objects.filter(order=OuterRef("pk"), partner__in=partners_of(user)).values("order")
    return orders.annotate(
        own_total=Coalesce(Subquery(own.annotate(s=Sum("line_price_incl_tax")).values("s")),
                           Value(0), output_field=DecimalField(max_digits=12, decimal_places=2)),
        own_items=Coalesce(Subquery(own.annotate(n=Sum("quantity")).values("n")), Value(0)),
        own_lines=Coalesce(Subquery(own.annotate(n=Count("pk")).values("n")), Value(0)),
    )
