from django.core.management.base import BaseCommand

from marketplace.payments import stripe_checkout, webhooks


class Command(BaseCommand):
    help = "取消没有打开付款页面且已超时的订单，并向 Stripe 核对已过期的付款会话（建议每 10 分钟运行一次）。"

    def handle(self, *args, **options):
        if not stripe_checkout.configured():
            self.stdout.write("Stripe 未配置，无需核对。")
            return
        counts = webhooks.reconcile_unpaid()
        self.stdout.write(f"已取消 {counts['cancelled']} 个订单，核对了 {counts['synced']} 个付款会话。")
