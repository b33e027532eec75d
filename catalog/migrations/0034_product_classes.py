from django.db import migrations

from catalog.product_classes import PRODUCT_CLASSES, ensure_product_classes


def create_classes(apps, schema_editor):
    ensure_product_classes(
        product_class_model=apps.get_model("catalogue", "ProductClass"),
        attribute_model=apps.get_model("catalogue", "ProductAttribute"),
        option_group_model=apps.get_model("catalogue", "AttributeOptionGroup"),
        option_model=apps.get_model("catalogue", "AttributeOption"),
    )


def remove_classes(apps, schema_editor):
    slugs = [spec["slug"] for spec in PRODUCT_CLASSES]
    apps.get_model("catalogue", "ProductClass").objects.filter(slug__in=slugs, products__isnull=True).delete()
    apps.get_model("catalogue", "AttributeOptionGroup").objects.filter(
        name__in=[f"{spec['slug']}:{attr[0]}" for spec in PRODUCT_CLASSES for attr in spec["attributes"]]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0033_geographicalindication_category_name_en_and_more")]
    operations = [migrations.RunPython(create_classes, remove_classes)]
