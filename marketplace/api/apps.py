from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API under /api/v1/ for regulators' and merchants' systems, with its tokens and audit."""

    name = "marketplace.api"
    label = "api"
    verbose_name = "数据接口"
