"""The first synonym groups: the everyday words older shoppers use for what we sell."""

from django.db import migrations

GROUPS = [
    ("老花镜，老花眼镜，阅读眼镜，花镜，老光镜", "老花镜的叫法"),
    ("拐杖，手杖，拐棍，拄拐，助行器，助步器", "手杖与助行器"),
    ("助行架，助行器，助步器，学步车", "助行架"),
    ("尿不湿，纸尿裤，成人纸尿裤，老人尿不湿", "失禁护理"),
    ("拉拉裤，成人拉拉裤，内裤型纸尿裤", "拉拉裤"),
    ("护理垫，隔尿垫，尿垫，一次性床垫", "护理垫"),
    ("血压计，电子血压计，量血压，血压仪，测血压", "血压计"),
    ("血糖仪，测血糖，血糖计，验血糖", "血糖仪"),
    ("试纸，血糖试纸，测试条", "血糖试纸"),
    ("助听器，耳背机，听力器，耳机助听器，助听机", "助听器"),
    ("轮椅，代步车，推椅", "轮椅"),
    ("电动轮椅，电轮椅，电动代步车", "电动轮椅"),
    ("洗澡椅，沐浴椅，洗澡凳，浴凳，淋浴椅", "洗澡椅"),
    ("坐便椅，坐便器，移动马桶，座便椅，便椅", "坐便椅"),
    ("扶手，安全扶手，浴室扶手，防滑扶手，马桶扶手", "扶手"),
    ("智能手表，老人手表，定位手表，电话手表", "智能手表"),
    ("跌倒报警器，摔倒报警，防跌倒报警，紧急呼叫器，一键呼叫", "跌倒报警"),
    ("防滑鞋，健步鞋，老人鞋，老年鞋", "防滑鞋"),
    ("防滑袜，地板袜，点胶袜", "防滑袜"),
    ("开襟衫，开衫，护理服", "适老服装"),
    ("人参，棒槌，参", "人参"),
    ("林下参，林下山参，山参，野山参", "林下参"),
    ("园参，人工参，种植参", "园参"),
    ("生晒参，白参，干参", "生晒参"),
    ("红参，高丽参", "红参"),
    ("参片，人参片，切片", "参片"),
    ("鹿茸，梅花鹿茸，鹿茸角", "鹿茸"),
    ("鹿茸片，茸片", "鹿茸片"),
    ("钙片，补钙，钙维生素d，钙咀嚼片", "钙片"),
    ("维生素，维他命，多维", "维生素"),
    ("维生素c，vc，维c", "维生素C"),
    ("蛋白粉，乳清蛋白，营养粉", "蛋白粉"),
    ("褪黑素，睡眠片，助眠", "褪黑素"),
    ("氨糖，氨基葡萄糖，软骨素，关节", "氨糖"),
    ("辅酶q10，q10，辅酶", "辅酶Q10"),
    ("西洋参，花旗参，洋参", "西洋参"),
    ("保健品，保健食品，营养品", "保健食品"),
    ("口服液，人参口服液", "口服液"),
]


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for terms, note in GROUPS:
        SynonymGroup.objects.get_or_create(terms=terms, defaults={"note": note})


def unseed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    SynonymGroup.objects.filter(terms__in=[terms for terms, _ in GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_match_indexes")]

    operations = [migrations.RunPython(seed, unseed)]
