import oscar.apps.order.apps as apps


class OrderConfig(apps.OrderConfig):
    name = "marketplace.order"

    def ready(self):
        super().ready()
        from oscar.apps.order.signals import order_status_changed

        order_status_changed.connect(_release_when_cancelled, dispatch_uid="release-stock-on-cancel")

        # Oscar counts purchases in its analytics tables from ``order_placed``, which it sends
        # inside the order's transaction. Two orders racing to create the same counter row
        # then break that transaction (Oscar catches the IntegrityError without a savepoint),
        # so the counting waits until the order has committed.
        from oscar.apps.analytics import receivers
        from oscar.apps.order.signals import order_placed

        order_placed.disconnect(receivers.receive_order_placed)
        order_placed.connect(_count_after_commit, dispatch_uid="analytics-after-commit")


def _release_when_cancelled(sender, order, old_status, new_status, **kwargs):
    """However an order is cancelled (shopper, dashboard, unpaid timeout), its units go back
    to their lots, once (``traceability.sale.release_order`` is idempotent)."""
    if new_status == "已取消":
        from traceability import sale

        sale.release_order(order=order)


def _count_after_commit(sender, order, user, **kwargs):
    from django.db import transaction
    from oscar.apps.analytics import receivers

    transaction.on_commit(lambda: receivers.receive_order_placed(sender=sender, order=order, user=user))
