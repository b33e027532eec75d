"""The one country the market ships to. Orders need a country row; shoppers never see it."""

from django.db import migrations


def add_china(apps, schema_editor):
    Country = apps.get_model("address", "Country")
    Country.objects.update_or_create(
        iso_3166_1_a2="CN",
        defaults={"iso_3166_1_a3": "CHN", "iso_3166_1_numeric": "156", "printable_name": "中国",
                  "name": "中华人民共和国", "is_shipping_country": True, "display_order": 100},
    )


def remove_china(apps, schema_editor):
    Country = apps.get_model("address", "Country")
    ShippingAddress = apps.get_model("order", "ShippingAddress")
    UserAddress = apps.get_model("address", "UserAddress")
    if not (ShippingAddress.objects.filter(country_id="CN").exists() or UserAddress.objects.filter(
            country_id="CN").exists()):
        Country.objects.filter(iso_3166_1_a2="CN").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("address", "0007_useraddress_code"),
        ("order", "0023_placed_by_and_lot_release"),
    ]

    operations = [migrations.RunPython(add_china, remove_china)]
