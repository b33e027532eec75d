from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "内容页面"

    def ready(self):
        from cms import bench, signals  # noqa: F401 - bench registers the CMS pages with make bench

        signals.connect()
        post_migrate.connect(_sync_editor_permissions, dispatch_uid="cms-editor-permissions")


def _sync_editor_permissions(sender, **kwargs):
    """At the last app's post_migrate, when every app's permissions exist (Wagtail's images and
    documents come after ``marketplace`` in INSTALLED_APPS, so the roles are synced again),
    give the editor its Wagtail page and collection permissions."""
    if sender is not list(apps.get_app_configs())[-1]:
        return
    from django.contrib.auth.models import Group, Permission

    from cms.permissions import sync_editor_permissions
    from marketplace.roles import sync_roles

    sync_roles(group_model=Group, permission_model=Permission)
    sync_editor_permissions()
