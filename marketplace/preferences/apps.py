from django.apps import AppConfig


class PreferencesConfig(AppConfig):
    """How the shop looks for one person: text size, high contrast and the 长辈模式 switch."""

    name = "marketplace.preferences"
    label = "preferences"
    verbose_name = "显示设置"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from marketplace.preferences import display

        user_logged_in.connect(display.remember_on_login, dispatch_uid="preferences-login")
