"""The product classes this market sells, with the attributes each must carry.

Plain data, read by the data migration that creates the classes and by the demo seed.
Attribute tuples are ``(code, name, type, required, option values)``.
"""

JILIN_GINSENG_COUNTIES = (
    "抚松", "集安", "长白", "靖宇", "临江", "江源", "安图", "敦化",
    "珲春", "汪清", "和龙", "通化", "蛟河", "桦甸", "辉南",
)
GINSENG_PROCESSING = ("生晒参", "红参", "鲜参", "参片", "冻干参", "糖参")
ANTLER_PROCESSING = ("冻干鹿茸", "鹿茸片", "鲜鹿茸", "鹿茸粉")

PRODUCT_CLASSES = [
    {
        "slug": "mobility-aids",
        "name": "康复辅具",
        "name_en": "Mobility, bathing and toileting aids",
        "attributes": [
            ("aid_type", "辅具类型", "option", True, ("助行器", "手杖", "轮椅", "洗澡椅", "坐便椅", "安全扶手", "护理床")),
            ("max_load_kg", "最大承重（千克）", "integer", True, ()),
            ("material", "主要材质", "text", True, ()),
            ("device_record_number", "医疗器械备案/注册号", "text", False, ()),
        ],
    },
    {
        "slug": "smart-health-devices",
        "name": "智能健康设备",
        "name_en": "Smart health devices",
        "attributes": [
            ("device_type", "设备类型", "option", True, ("血压计", "血糖仪", "助听器", "智能手表", "跌倒报警器")),
            ("device_record_number", "医疗器械注册证号", "text", False, ()),
            ("warranty_months", "保修期（月）", "integer", True, ()),
            ("power_source", "供电方式", "text", True, ()),
        ],
    },
    {
        "slug": "daily-care",
        "name": "日用与护理",
        "name_en": "Daily living and care",
        "attributes": [
            ("care_type", "用品类型", "option", True, ("失禁护理", "适老服装", "老花镜", "防滑用品", "护理用品")),
            ("size", "规格尺码", "text", True, ()),
            ("material", "材质", "text", False, ()),
        ],
    },
    {
        "slug": "health-food",
        "name": "保健食品",
        "name_en": "Health foods",
        "attributes": [
            ("blue_hat_number", "保健食品批准文号", "text", True, ()),
            ("health_function", "保健功能", "text", True, ()),
            ("suitable_groups", "适宜人群", "text", True, ()),
            ("unsuitable_groups", "不适宜人群", "text", True, ()),
            ("daily_amount", "食用量及食用方法", "text", True, ()),
            ("statement", "声明", "text", True, ()),
        ],
    },
    {
        "slug": "ginseng",
        "name": "人参",
        "name_en": "Ginseng",
        "attributes": [
            ("origin_county", "产地（县）", "option", True, JILIN_GINSENG_COUNTIES),
            ("cultivation", "种植方式", "option", True, ("园参", "林下参")),
            ("growth_years", "年限（年）", "integer", True, ()),
            ("processing", "加工方式", "option", True, GINSENG_PROCESSING),
            ("sold_as_food", "按食品销售", "boolean", False, ()),
            ("daily_amount_g", "每日食用量（克）", "float", False, ()),
            ("unsuitable_groups", "不适宜人群", "text", False, ()),
        ],
    },
    {
        "slug": "deer-antler",
        "name": "鹿茸",
        "name_en": "Sika deer antler",
        "attributes": [
            ("farm", "养殖场", "text", True, ()),
            ("species", "品种", "option", True, ("梅花鹿",)),
            ("processing", "加工方式", "option", True, ANTLER_PROCESSING),
        ],
    },
]


def ensure_product_classes(*, product_class_model, attribute_model, option_group_model, option_model) -> None:
    """Create or update the product classes above. Takes models so a migration can pass its own."""
    for spec in PRODUCT_CLASSES:
        product_class, _ = product_class_model.objects.update_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "requires_shipping": True, "track_stock": True}
        )
        for code, name, kind, required, options in spec["attributes"]:
            group = None
            if options:
                group, _ = option_group_model.objects.get_or_create(name=f"{spec['slug']}:{code}")
                for option in options:
                    option_model.objects.get_or_create(group=group, option=option)
            attribute_model.objects.update_or_create(
                product_class=product_class,
                code=code,
                defaults={"name": name, "type": kind, "required": required, "option_group": group},
            )
