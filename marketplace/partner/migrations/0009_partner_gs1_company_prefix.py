import marketplace.partner.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partner', '0008_partner_business_address_partner_credit_code_and_more'),
    ]

    operations = [
        migrations.AddField(
            model_name='partner',
            name='gs1_company_prefix',
            field=models.CharField(blank=True, help_text='商品条码前几位，由中国物品编码中心分配。商家只能为这个代码下的商品条码建立批次。', max_length=12, validators=[marketplace.partner.models.validate_gs1_company_prefix], verbose_name='GS1 厂商识别代码'),
        ),
    ]
