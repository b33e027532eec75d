from django.contrib.auth.management import create_permissions
from django.db import migrations

from marketplace.roles import sync_roles


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    sync_roles(group_model=apps.get_model("auth", "Group"), permission_model=apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    from marketplace.roles import ROLE_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("traceability", "0001_initial"),
        ("catalogue", "0033_geographicalindication_category_name_en_and_more"),
        ("partner", "0008_partner_business_address_partner_credit_code_and_more"),
        ("order", "0022_line_lot"),
        ("wagtailadmin", "0006_formstate"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
