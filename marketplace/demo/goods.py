"""Manufactured goods: rehabilitation aids, smart health devices, daily care and health foods.

Each family crosses brands, models and specifications, the way a real shelf does, so
the catalogue has hundreds of distinct, believable products. Prices are in CNY.
"""

from decimal import Decimal

from marketplace.demo import merchants as m
from marketplace.demo.wording import (
    DEVICE_NOTICE,
    HEALTH_FOOD_NOTICE,
    NOT_A_MEDICINE,
    elder_listing,
    smart_health_listing,
)

AID_BRANDS = [("康途", "KangTu", "KT"), ("安步", "AnBu", "AB")]


def _price(base: float, *steps: float) -> Decimal:
    return Decimal(str(round(base + sum(steps)))) - Decimal("0.10")


def _draft(*, merchant, product_class, category, title, title_en, description, price, stock, attributes,
           factory, listings=(), shelf_life_days=None):
    return {
        "merchant": merchant,
        "product_class": product_class,
        "category": category,
        "title": title,
        "title_en": title_en,
        "description": description,
        "price": price,
        "stock": stock,
        "attributes": attributes,
        "trace": "goods",
        "trace_info": {"factory": factory},
        "listings": tuple(listings),
        "shelf_life_days": shelf_life_days,
    }


# --- 康复辅具 ---------------------------------------------------------------------------
# (zh, en, aid_type, material, max load kg, base price, device filing: None / "I" / "II")
AIDS = {
    "walkers-canes": [
        ("铝合金四脚助行架", "aluminium walking frame", "助行器", "铝合金", 100, 168, "I"),
        ("折叠助行架（带前轮）", "folding walking frame with front wheels", "助行器", "铝合金", 100, 228, "I"),
        ("四轮助行车（带座椅和手刹）", "four-wheel rollator with seat and brakes", "助行器", "铝合金", 120, 568, "I"),
        ("前臂支撑助行器", "forearm-support walker", "助行器", "碳钢喷塑", 136, 698, "I"),
        ("四脚手杖", "quad-base walking cane", "手杖", "铝合金", 100, 79, "I"),
        ("折叠手杖", "folding walking cane", "手杖", "铝合金", 100, 69, "I"),
        ("带灯防滑手杖", "anti-slip cane with LED light", "手杖", "铝合金、TPR 防滑脚垫", 100, 129, "I"),
        ("碳纤维轻便手杖", "lightweight carbon-fibre cane", "手杖", "碳纤维", 100, 259, "I"),
    ],
    "wheelchairs": [
        ("钢管手动轮椅", "steel manual wheelchair", "轮椅", "碳钢", 100, 499, "I"),
        ("铝合金轻便折叠轮椅", "lightweight folding aluminium wheelchair", "轮椅", "铝合金", 100, 899, "I"),
        ("旅行轮椅（小轮可折叠）", "compact travel wheelchair", "轮椅", "航空铝合金", 100, 1280, "I"),
        ("高靠背可躺护理轮椅", "reclining high-back care wheelchair", "轮椅", "碳钢、海绵软垫", 120, 1680, "I"),
        ("锂电池电动轮椅", "lithium-battery electric wheelchair", "轮椅", "铝合金、锂电池", 120, 4280, "II"),
    ],
    "bathing-aids": [
        ("可调节洗澡椅（带靠背）", "height-adjustable shower chair with backrest", "洗澡椅", "铝合金、PE", 136, 189, None),
        ("防滑洗澡凳", "anti-slip bath stool", "洗澡椅", "PP、TPR", 120, 89, None),
        ("浴缸转移凳", "bath transfer bench", "洗澡椅", "铝合金、PE", 136, 359, None),
        ("一字型浴室安全扶手", "straight bathroom grab bar", "安全扶手", "304 不锈钢", 150, 99, None),
        ("L 型浴室安全扶手", "L-shaped bathroom grab bar", "安全扶手", "304 不锈钢", 150, 149, None),
    ],
    "toileting-aids": [
        ("带轮坐便椅", "commode chair with wheels", "坐便椅", "碳钢喷塑、PE", 120, 459, None),
        ("折叠坐便椅", "folding commode chair", "坐便椅", "铝合金", 100, 269, None),
        ("床边坐便椅（带靠背）", "bedside commode with backrest", "坐便椅", "铝合金、PE", 120, 399, None),
        ("马桶增高扶手架", "raised toilet seat with arms", "安全扶手", "铝合金、PP", 136, 239, None),
        ("马桶助起扶手", "toilet safety rail", "安全扶手", "碳钢喷塑", 120, 199, None),
    ],
}
AID_VARIANTS = {
    "walkers-canes": [("标准款", "standard", 0)],
    "wheelchairs": [("座宽43厘米", "43 cm seat", 0), ("座宽46厘米", "46 cm seat", 60)],
    "bathing-aids": [("标准款", "standard", 0), ("加大款", "large", 40)],
    "toileting-aids": [("标准款", "standard", 0), ("加宽款", "wide", 50)],
}


def _aids():
    drafts, serial = [], 0
    for category, models in AIDS.items():
        for brand_zh, brand_en, brand_code in AID_BRANDS:
            for index, (zh, en, aid_type, material, load, base, filing) in enumerate(models):
                variants = AID_VARIANTS[category]
                if category == "walkers-canes":
                    colour = [("银色", "silver", 0), ("香槟金", "champagne", 20)]
                    variants = colour
                for variant_index, (variant_zh, variant_en, extra) in enumerate(variants):
                    serial += 1
                    model = f"{brand_code}-{category[:2].upper()}{index + 1:02d}{variant_index + 1}"
                    attributes = {"aid_type": aid_type, "max_load_kg": load, "material": material}
                    notice = ""
                    if filing == "I":
                        attributes["device_record_number"] = f"吉长械备2023{serial:04d}号"
                        notice = DEVICE_NOTICE
                    elif filing == "II":
                        attributes["device_record_number"] = f"吉械注准2024219{serial:04d}"
                        notice = DEVICE_NOTICE
                    description = (
                        f"{brand_zh}{zh}，{variant_zh}，型号 {model}。主要材质：{material}；"
                        f"额定承重 {load} 千克。出厂前逐台进行承重和稳定性检验，附中文说明书和合格证。"
                        f"使用前请按说明书调整高度并检查锁止装置。{notice}"
                    )
                    drafts.append(_draft(
                        merchant=m.MOBILITY, product_class="mobility-aids", category=category,
                        title=f"{brand_zh}{zh} {variant_zh} {model}",
                        title_en=f"{brand_en} {en}, {variant_en} ({model})",
                        description=description, price=_price(base, extra, 20 * (brand_code == "AB")),
                        stock=20 + serial % 40, attributes=attributes, factory="长春康途康复器械有限公司生产基地",
                        listings=[elder_listing(100 + serial)] if serial % 3 else [],
                    ))
    return drafts


# --- 智能健康设备 -------------------------------------------------------------------------
BP_MODELS = [
    ("上臂式电子血压计", "upper-arm blood pressure monitor", "B10", 199, "大屏数字显示"),
    ("语音播报上臂式电子血压计", "talking upper-arm blood pressure monitor", "B20", 269, "测量结果语音播报"),
    ("背光大屏上臂式电子血压计", "backlit large-display blood pressure monitor", "B30", 329, "4.5 英寸背光屏"),
    ("蓝牙上臂式电子血压计", "Bluetooth upper-arm blood pressure monitor", "B50", 399, "可将记录同步给家人"),
    ("腕式电子血压计", "wrist blood pressure monitor", "W10", 189, "便于外出携带"),
]
BP_KITS = [("单机装", "monitor only", 0), ("含宽范围袖带", "with wide-range cuff", 40),
           ("含电源适配器", "with mains adapter", 30)]
GLUCOSE_BRANDS = [("颐安", "YiAn", "YA"), ("安测", "AnCe", "AC")]
GLUCOSE_MODELS = [("血糖仪", "blood glucose meter", "G1", 129), ("语音血糖仪", "talking blood glucose meter", "G2", 169),
                  ("免调码血糖仪", "no-coding blood glucose meter", "G3", 149)]
GLUCOSE_KITS = [("单机装", "meter only", 0), ("含50片试纸", "with 50 test strips", 90),
                ("含100片试纸", "with 100 test strips", 170)]
HEARING_BRANDS = [("聆音", "Lingyin", "LY", "粤械注准"), ("声悦", "ShengYue", "SE", "苏械注准")]
HEARING_TYPES = [
    ("耳背式助听器", "behind-the-ear hearing aid", "BTE", 980, "A13 锌空电池"),
    ("耳内式助听器", "in-the-ear hearing aid", "ITE", 1580, "A10 锌空电池"),
    ("受话器外置式充电助听器", "rechargeable receiver-in-canal hearing aid", "RIC", 2680, "内置锂电池，磁吸充电"),
    ("盒式助听器", "pocket hearing aid", "PKT", 580, "2 节 AAA 电池"),
]
HEARING_CHANNELS = [("4通道", "4-channel", 0), ("8通道", "8-channel", 800), ("16通道", "16-channel", 2200)]
WEARABLES = [
    ("老人智能手表（一键呼叫）", "senior smartwatch with SOS button", "智能手表", "W1", 399, "内置锂电池，USB 充电"),
    ("老人智能手表（定位版）", "senior smartwatch with location sharing", "智能手表", "W2", 499, "内置锂电池，磁吸充电"),
    ("老人智能手表（通话版）", "senior smartwatch with voice calls", "智能手表", "W3", 599, "内置锂电池，磁吸充电"),
    ("挂坠式跌倒报警器", "pendant fall alarm", "跌倒报警器", "F1", 269, "内置锂电池，续航约 7 天"),
    ("腕带式跌倒报警器", "wristband fall alarm", "跌倒报警器", "F2", 299, "内置锂电池，续航约 5 天"),
    ("卧室雷达跌倒报警器", "bedroom radar fall detector", "跌倒报警器", "R1", 899, "220V 交流供电"),
    ("卫生间一键呼叫器", "bathroom emergency call button", "跌倒报警器", "C1", 159, "CR2032 纽扣电池"),
]
WEARABLE_COLOURS = [("曜石黑", "black", 0), ("月光银", "silver", 0)]


def _device(*, merchant, category, device_type, title, title_en, description, price, stock, warranty, power,
            record_number=None, listed=0, factory):
    attributes = {"device_type": device_type, "warranty_months": warranty, "power_source": power}
    if record_number:
        attributes["device_record_number"] = record_number
        description = f"{description}{DEVICE_NOTICE}"
    return _draft(
        merchant=merchant, product_class="smart-health-devices", category=category, title=title,
        title_en=title_en, description=description, price=price, stock=stock, attributes=attributes,
        factory=factory, listings=[smart_health_listing(listed)] if listed else [],
    )


def _devices():
    drafts, serial = [], 0
    for zh, en, code, base, feature in BP_MODELS:
        for kit_zh, kit_en, extra in BP_KITS:
            serial += 1
            drafts.append(_device(
                merchant=m.DEVICES, category="blood-pressure-monitors", device_type="血压计",
                title=f"颐安{zh} YA-{code} {kit_zh}", title_en=f"YiAn {en} YA-{code}, {kit_en}",
                description=(f"颐安{zh}，型号 YA-{code}，{feature}；示波法测量，可存储 2×90 组记录，"
                             f"袖带适用臂围 22–42 厘米。{kit_zh}。"),
                price=_price(base, extra), stock=30 + serial, warranty=36, power="4 节 AA 电池或 USB 供电",
                record_number=f"吉械注准2023207{1000 + serial:04d}", listed=200 + serial,
                factory="吉林省颐安健康科技有限公司长春工厂",
            ))
    for brand_zh, brand_en, brand_code in GLUCOSE_BRANDS:
        for zh, en, code, base in GLUCOSE_MODELS:
            for kit_zh, kit_en, extra in GLUCOSE_KITS:
                serial += 1
                drafts.append(_device(
                    merchant=m.DEVICES, category="glucose-meters", device_type="血糖仪",
                    title=f"{brand_zh}{zh} {brand_code}-{code} {kit_zh}",
                    title_en=f"{brand_en} {en} {brand_code}-{code}, {kit_en}",
                    description=(f"{brand_zh}{zh}，型号 {brand_code}-{code}，葡萄糖氧化酶法，采血量 0.6 微升，"
                                 f"约 5 秒出结果，大字屏显示。{kit_zh}。试纸开封后请在有效期内使用。"),
                    price=_price(base, extra), stock=25 + serial % 30, warranty=24, power="CR2032 纽扣电池",
                    record_number=f"吉械注准2024222{1000 + serial:04d}", listed=200 + serial,
                    factory="吉林省颐安健康科技有限公司长春工厂",
                ))
    for brand_zh, brand_en, brand_code, registrar in HEARING_BRANDS:
        for zh, en, code, base, power in HEARING_TYPES:
            for channels_zh, channels_en, extra in HEARING_CHANNELS:
                serial += 1
                drafts.append(_device(
                    merchant=m.HEARING, category="hearing-aids", device_type="助听器",
                    title=f"{brand_zh}{zh} {channels_zh} {brand_code}-{code}{channels_zh[:-2]}",
                    title_en=f"{brand_en} {en}, {channels_en} ({brand_code}-{code}{channels_zh[:-2]})",
                    description=(f"{brand_zh}{zh}，{channels_zh}数字信号处理，适用于轻度至中重度听力损失。"
                                 f"建议先到门店做听力检查，由验配师验配调试后使用。供电：{power}。"),
                    price=_price(base, extra), stock=8 + serial % 12, warranty=24 if extra else 12, power=power,
                    record_number=f"{registrar}2022219{2000 + serial:04d}",
                    factory=f"{brand_zh}助听器生产企业（经销商入库验收）",
                ))
    for zh, en, device_type, code, base, power in WEARABLES:
        for colour_zh, colour_en, extra in WEARABLE_COLOURS:
            serial += 1
            drafts.append(_device(
                merchant=m.DEVICES, category="wearables-fall-alarms", device_type=device_type,
                title=f"颐安{zh} YA-{code} {colour_zh}", title_en=f"YiAn {en} YA-{code}, {colour_en}",
                description=(f"颐安{zh}，型号 YA-{code}。检测到跌倒或按下呼叫键后，向预设的家人手机发送提醒"
                             f"和位置。显示的心率等数据仅供参考，不作为医疗诊断依据。供电：{power}。"),
                price=_price(base, extra), stock=40 + serial % 20, warranty=12, power=power,
                listed=300 + serial, factory="吉林省颐安健康科技有限公司长春工厂",
            ))
    return drafts


# --- 日用护理 -----------------------------------------------------------------------------
CARE_BRANDS = [("舒安", "ShuAn"), ("暖阳", "NuanYang")]
LETTER_SIZES = (("M号", "M"), ("L号", "L"), ("XL号", "XL"))
INCONTINENCE = [("成人纸尿裤", "adult diapers", LETTER_SIZES, 59),
                ("成人拉拉裤", "adult pull-up pants", LETTER_SIZES, 69),
                ("护理垫", "underpads", (("60×90厘米", "60×90 cm"),), 49),
                ("一次性床垫", "disposable bed pads", (("80×90厘米", "80×90 cm"),), 55)]
CLOTHING = [
    ("魔术贴开襟保暖衫", "easy-fasten cardigan", "适老服装", LETTER_SIZES, 168, "纯棉"),
    ("侧开口护理裤", "side-opening care trousers", "适老服装", LETTER_SIZES, 139, "棉氨纶"),
    ("加绒保暖背心", "fleece-lined vest", "适老服装", LETTER_SIZES, 99, "聚酯纤维、摇粒绒"),
    ("男款防滑健步鞋", "men's anti-slip walking shoes", "防滑用品", (("39–44码", "EU 39–44"),), 229, "网面、橡胶防滑底"),
    ("女款防滑健步鞋", "women's anti-slip walking shoes", "防滑用品", (("35–40码", "EU 35–40"),), 219, "网面、橡胶防滑底"),
    ("防滑地胶点袜", "anti-slip socks", "防滑用品", (("均码", "one size"),), 39, "棉"),
]
GLASSES = [("树脂半框老花镜", "half-rim resin reading glasses", 59), ("超轻全框老花镜", "ultralight full-rim reading glasses", 79),
           ("折叠便携老花镜", "folding pocket reading glasses", 69), ("防蓝光老花镜", "blue-light filtering reading glasses", 99)]
GLASS_POWERS = ("+1.00D", "+1.50D", "+2.00D", "+2.50D", "+3.00D")


def _daily_care():
    drafts, serial = [], 0
    factory = "品牌方仓库（长春市福寿百货有限公司入库验收）"
    for brand_zh, brand_en in CARE_BRANDS:
        for zh, en, sizes, base in INCONTINENCE:
            for size, size_en in sizes:
                for pieces, extra in ((10, 0), (20, base - 10)):
                    serial += 1
                    drafts.append(_draft(
                        merchant=m.DEPARTMENT, product_class="daily-care", category="incontinence-care",
                        title=f"{brand_zh}{zh} {size} {pieces}片装", title_en=f"{brand_en} {en}, size {size_en}, {pieces} pcs",
                        description=(f"{brand_zh}{zh}，{size}，每包 {pieces} 片。立体防侧漏护围，背胶可重复粘贴，"
                                     "尿显指示条便于家人照护时查看。执行标准 GB/T 28004.1-2021。"),
                        price=_price(base, extra), stock=60 + serial % 50,
                        attributes={"care_type": "失禁护理", "size": size, "material": "无纺布、绒毛浆、高分子吸水树脂"},
                        factory=factory, listings=[elder_listing(400 + serial)] if serial % 2 else [],
                        shelf_life_days=3 * 365,
                    ))
    for brand_zh, brand_en in CARE_BRANDS[:1]:
        for zh, en, care_type, sizes, base, material in CLOTHING:
            for size, size_en in sizes:
                for colour_zh, colour_en in (("藏青", "navy"), ("驼色", "camel")):
                    serial += 1
                    drafts.append(_draft(
                        merchant=m.DEPARTMENT, product_class="daily-care", category="adaptive-clothing",
                        title=f"{brand_zh}{zh} {colour_zh} {size}", title_en=f"{brand_en} {en}, {colour_en}, {size_en}",
                        description=(f"{brand_zh}{zh}，{colour_zh}，尺码 {size}。为行动不便或单手穿衣设计，"
                                     f"开合省力。材质：{material}。可机洗，请参照洗涤标签。"),
                        price=_price(base), stock=30 + serial % 25,
                        attributes={"care_type": care_type, "size": size, "material": material},
                        factory=factory, listings=[elder_listing(400 + serial)] if serial % 3 == 0 else [],
                    ))
    for zh, en, base in GLASSES:
        for power in GLASS_POWERS:
            serial += 1
            drafts.append(_draft(
                merchant=m.DEPARTMENT, product_class="daily-care", category="reading-glasses",
                title=f"明视{zh} {power}", title_en=f"MingShi {en} {power}",
                description=(f"明视{zh}，度数 {power}，树脂镜片，附眼镜盒与擦镜布。成品老花镜适用于"
                             "双眼度数相同且无散光的情况，如有不适请到眼镜店验光配镜。执行标准 GB 13511.2-2011。"),
                price=_price(base), stock=50 + serial % 30,
                attributes={"care_type": "老花镜", "size": power, "material": "树脂镜片、TR90 镜架"},
                factory=factory,
            ))
    return drafts


# --- 保健食品 -----------------------------------------------------------------------------
# (zh, en, category, function, suitable, unsuitable, daily amount, base price, filed?)
HEALTH_FOODS = [
    ("钙维生素D咀嚼片", "calcium and vitamin D chewable tablets", "nutrient-supplements", "补充钙、维生素D",
     "需要补充钙、维生素D的成人", "少年儿童、孕妇、乳母", "每日1次，每次1片，咀嚼食用", 88, True),
    ("多种维生素矿物质片（中老年）", "multivitamin and mineral tablets (50+)", "nutrient-supplements",
     "补充多种维生素、矿物质", "50岁以上需要补充多种维生素、矿物质的人群", "少年儿童、孕妇、乳母",
     "每日1次，每次1片，温水送服", 128, True),
    ("维生素C咀嚼片", "vitamin C chewable tablets", "nutrient-supplements", "补充维生素C",
     "需要补充维生素C的成人", "少年儿童、孕妇、乳母", "每日1次，每次1片，咀嚼食用", 58, True),
    ("B族维生素片", "vitamin B complex tablets", "nutrient-supplements", "补充B族维生素",
     "需要补充B族维生素的成人", "少年儿童、孕妇、乳母", "每日1次，每次1片，温水送服", 68, True),
    ("氨糖软骨素钙片", "glucosamine chondroitin calcium tablets", "functional-health-foods", "增加骨密度",
     "中老年人", "少年儿童、孕妇、乳母、对海产品过敏者", "每日2次，每次2片，温水送服", 198, False),
    ("辅酶Q10软胶囊", "coenzyme Q10 softgels", "functional-health-foods", "抗氧化",
     "中老年人", "少年儿童、孕妇、乳母", "每日1次，每次1粒，温水送服", 168, False),
    ("褪黑素维生素B6片", "melatonin and vitamin B6 tablets", "functional-health-foods", "改善睡眠",
     "睡眠状况不佳的成人", "少年儿童、孕妇、乳母、从事驾驶、机械作业或危险操作者、自身免疫症患者",
     "每日1次，每次1片，睡前温水送服", 99, False),
    ("乳清蛋白粉", "whey protein powder", "functional-health-foods", "增强免疫力",
     "免疫力低下者", "少年儿童、孕妇、乳母、对乳制品过敏者", "每日1次，每次10克，温水冲调后食用", 238, False),
]
FOOD_BRANDS = [("福寿康", "FushouKang"), ("长青", "ChangQing")]


def _health_foods():
    drafts, serial = [], 0
    for zh, en, category, function, suitable, unsuitable, daily, base, filed in HEALTH_FOODS:
        for brand_zh, brand_en in FOOD_BRANDS:
            for pack_zh, pack_en, extra in (("60片", "60 tablets", 0), ("120片", "120 tablets", base - 20)):
                serial += 1
                if "粉" in zh:
                    pack_zh, pack_en = ("400克", "400 g") if not extra else ("800克", "800 g")
                elif "胶囊" in zh:
                    pack_zh, pack_en = pack_zh.replace("片", "粒"), pack_en.replace("tablets", "softgels")
                number = f"食健备G2023220{serial:05d}" if filed else f"国食健注G2016{serial:04d}"
                drafts.append(_health_food(
                    merchant=m.DEPARTMENT, category=category, title=f"{brand_zh}{zh} {pack_zh}",
                    title_en=f"{brand_en} {en}, {pack_en}", number=number, function=function, suitable=suitable,
                    unsuitable=unsuitable, daily=daily, price=_price(base, extra), stock=40 + serial % 40,
                    factory=f"{brand_zh}保健食品生产企业（福寿百货入库验收）",
                ))
    ginseng_foods = [
        ("人参灵芝胶囊", "ginseng and lingzhi capsules", "增强免疫力", "每日2次，每次2粒，温水送服", 158),
        ("红参口服液", "red ginseng oral liquid", "缓解体力疲劳", "每日1次，每次1支", 198),
        ("西洋参含片", "American ginseng lozenges", "缓解体力疲劳", "每日2次，每次2片，含服", 88),
    ]
    for zh, en, function, daily, base in ginseng_foods:
        for pack_zh, pack_en, extra in (("小盒装", "small box", 0), ("家庭装", "family pack", base - 30)):
            serial += 1
            drafts.append(_health_food(
                merchant=m.JIAN, category="ginseng-health-foods", title=f"鸭绿江{zh} {pack_zh}",
                title_en=f"Yalu River {en}, {pack_en}", number=f"国食健注G2018{serial:04d}", function=function,
                suitable="易疲劳者" if function == "缓解体力疲劳" else "免疫力低下者",
                unsuitable="少年儿童、孕妇、乳母", daily=daily, price=_price(base, extra), stock=30 + serial % 20,
                factory="集安市鸭绿江参业有限公司保健食品车间",
            ))
    return drafts


def _health_food(*, merchant, category, title, title_en, number, function, suitable, unsuitable, daily, price,
                 stock, factory):
    return _draft(
        merchant=merchant, product_class="health-food", category=category, title=title, title_en=title_en,
        description=(f"{title}，保健食品批准文号 {number}。保健功能：{function}。适宜人群：{suitable}；"
                     f"不适宜人群：{unsuitable}。食用方法：{daily}。{HEALTH_FOOD_NOTICE}"),
        price=price, stock=stock, factory=factory, shelf_life_days=2 * 365,
        attributes={
            "blue_hat_number": number, "health_function": function, "suitable_groups": suitable,
            "unsuitable_groups": unsuitable, "daily_amount": daily, "statement": NOT_A_MEDICINE,
        },
    )


def drafts():
    return [*_aids(), *_devices(), *_daily_care(), *_health_foods()]
