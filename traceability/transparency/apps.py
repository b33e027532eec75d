from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "traceability.transparency"
    label = "transparency"
    verbose_name = "透明日志"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from traceability.transparency import hooks

        hooks.connect()
