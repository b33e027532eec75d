from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Payment methods and the Stripe records. Labelled apart from Oscar's own ``payment`` app."""

    name = "marketplace.payments"
    label = "payments_stripe"
    verbose_name = "支付"
