import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("order", "0022_line_lot"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="placed_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="orders_placed_for_others", to=settings.AUTH_USER_MODEL,
                                    verbose_name="代下单的家人"),
        ),
        migrations.AddField(
            model_name="line",
            name="lot_released_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="批次库存退回时间"),
        ),
    ]
