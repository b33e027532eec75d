from django.apps import AppConfig


class FamilyConfig(AppConfig):
    """Family members linked to an older person's account: buying for them and 代付."""

    name = "marketplace.family"
    label = "family"
    verbose_name = "家人"
