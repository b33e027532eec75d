from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    """Merchant onboarding (商家入驻): a company applies, a platform admin approves or rejects it."""

    name = "marketplace.onboarding"
    label = "onboarding"
    verbose_name = "商家入驻"
