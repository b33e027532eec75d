from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    """The regulators' silver-economy statistics (统计监测): figures, charts and CSV, no models."""

    name = "marketplace.statistics"
    label = "statistics"
    verbose_name = "统计监测"
