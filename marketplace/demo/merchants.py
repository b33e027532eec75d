"""The demo merchants, their quality commitments and the geographical indications they use.

Credit codes follow GB 32100-2015: registration authority + type, the six-digit
administrative division of the place of registration, a nine-character organisation
code, and the check character from ``marketplace.credit_code.check_character``.
Food sellers carry a 食品经营许可证 (JY…) or 食品生产许可证 (SC…) number.
"""

from marketplace.credit_code import check_character


def credit_code(first17: str) -> str:
    return first17 + check_character(first17)


FUSONG = "fusong-ginseng-coop"
JIAN = "jian-ginseng"
SHUANGYANG = "shuangyang-deer"
HEARING = "lingyin-hearing"
MOBILITY = "kangtu-rehab"
DEPARTMENT = "fushou-department-store"
DEVICES = "yian-health"

MERCHANTS = [
    {
        "code": FUSONG,
        "name": "抚松万良人参合作社",
        "name_en": "Fusong Wanliang Ginseng Cooperative",
        "legal_name": "抚松县万良镇参乡人参种植专业合作社",
        "credit_code": credit_code("93220621MA17K2QX3"),  # 93 = 农民专业合作社, 220621 = 抚松县
        "sells_food": True,
        "food_licence_number": "JY12206210003588",
        "service_phone": "0439-6212345",
        "business_address": "吉林省白山市抚松县万良镇人参市场东路18号",
        "sku_prefix": "FS",
        "gs1_prefix": "01",
    },
    {
        "code": JIAN,
        "name": "集安鸭绿江参业",
        "name_en": "Ji'an Yalu River Ginseng Co.",
        "legal_name": "集安市鸭绿江参业有限公司",
        "credit_code": credit_code("91220582MA0Y8C4T5"),  # 220582 = 集安市
        "sells_food": True,
        "food_licence_number": "SC12822058200427",
        "service_phone": "0435-6223456",
        "business_address": "吉林省通化市集安市清河镇参业园区6号",
        "sku_prefix": "JA",
        "gs1_prefix": "02",
    },
    {
        "code": SHUANGYANG,
        "name": "双阳鹿乡梅花鹿养殖场",
        "name_en": "Shuangyang Luxiang Sika Deer Farm",
        "legal_name": "长春市双阳区鹿乡梅花鹿养殖有限公司",
        "credit_code": credit_code("91220112MA14L9RB2"),  # 220112 = 长春市双阳区
        "sells_food": True,
        "food_licence_number": "JY12201120001276",
        "service_phone": "0431-84221234",
        "business_address": "吉林省长春市双阳区鹿乡镇鹿乡大街88号",
        "sku_prefix": "SY",
        "gs1_prefix": "03",
    },
    {
        "code": HEARING,
        "name": "聆音助听器",
        "name_en": "Lingyin Hearing Aids",
        "legal_name": "吉林省聆音听力设备销售有限公司",
        "credit_code": credit_code("91220104MA0Y3FD81"),  # 220104 = 长春市朝阳区
        "sells_food": False,
        "food_licence_number": "",
        "service_phone": "0431-85678901",
        "business_address": "吉林省长春市朝阳区西安大路1088号2层",
        "sku_prefix": "LY",
        "gs1_prefix": "04",
    },
    {
        "code": MOBILITY,
        "name": "康途康复辅具",
        "name_en": "KangTu Rehabilitation Aids",
        "legal_name": "长春康途康复器械有限公司",
        "credit_code": credit_code("91220106MA17W6JN0"),  # 220106 = 长春市绿园区
        "sells_food": False,
        "food_licence_number": "",
        "service_phone": "0431-87654321",
        "business_address": "吉林省长春市绿园区青年路5699号",
        "sku_prefix": "KT",
        "gs1_prefix": "05",
    },
    {
        "code": DEPARTMENT,
        "name": "福寿百货银龄用品专柜",
        "name_en": "Fushou Department Store – Senior Goods Counter",
        "legal_name": "长春市福寿百货有限公司",
        "credit_code": credit_code("9122010212399658X"),  # 220102 = 长春市南关区
        "sells_food": True,
        "food_licence_number": "JY12201020012345",
        "service_phone": "0431-88881234",
        "business_address": "吉林省长春市南关区人民大街1881号福寿百货4层",
        "sku_prefix": "FB",
        "gs1_prefix": "06",
    },
    {
        "code": DEVICES,
        "name": "颐安智能健康",
        "name_en": "YiAn Smart Health",
        "legal_name": "吉林省颐安健康科技有限公司",
        "credit_code": credit_code("91220105MA0Y6H2K4"),  # 220105 = 长春市二道区
        "sells_food": False,
        "food_licence_number": "",
        "service_phone": "400-820-1234",
        "business_address": "吉林省长春市二道区东盛大街3355号",
        "sku_prefix": "YA",
        "gs1_prefix": "07",
    },
]

_RETURNS_GOODS = "签收之日起7日内支持无理由退货，商品及包装须完好；运费由本店承担质量问题退货的往返运费。"
_RETURNS_FOOD = (
    "食品、保健食品一经拆封不适用七日无理由退货（下单时已提示并经您确认）；"
    "未拆封商品签收7日内可无理由退货。"
)

COMMITMENTS = {
    FUSONG: {
        "standards": ["GB/T 19506-2009", "GB 2762-2022", "GB 2763-2021", "DB22/T 3343-2022"],
        "quality_promise": "所售人参均为合作社社员参园自产，每批次经第三方检验合格后上市，附追溯码可查种植、采收、加工与检验记录。",
        "returns_promise": _RETURNS_FOOD,
        "after_sales_promise": "收货后发现霉变、虫蛀或与描述不符的，48小时内联系客服可退换。",
        "contact_name": "王桂芝",
        "contact_phone": "0439-6212345",
        "contact_hours": "每天 8:00–18:00",
    },
    JIAN: {
        "standards": ["GB/T 19506-2009", "GB 2762-2022", "GB 2763-2021", "GB 14881-2013", "GB 16740-2014"],
        "quality_promise": "人参原料来自集安自有参园，按食品生产许可要求加工，每批次出厂检验并保留留样。",
        "returns_promise": _RETURNS_FOOD,
        "after_sales_promise": "对产品质量有疑问可申请复检，复检不合格全额退款。",
        "contact_name": "李建国",
        "contact_phone": "0435-6223456",
        "contact_hours": "周一至周六 8:30–17:30",
    },
    SHUANGYANG: {
        "standards": ["GB 2762-2022", "GB 14881-2013", "GB/T 19001-2016"],
        "quality_promise": "鹿茸取自本场梅花鹿，鹿只建有三代系谱档案，每批次附动物检疫合格证明和检验报告。",
        "returns_promise": _RETURNS_FOOD,
        "after_sales_promise": "收货后发现与描述不符的，7日内可退换，运费由本场承担。",
        "contact_name": "赵春华",
        "contact_phone": "0431-84221234",
        "contact_hours": "每天 8:00–17:00",
    },
    HEARING: {
        "standards": ["GB 9706.1-2020", "GB/T 14199-2010", "GB/T 19001-2016"],
        "quality_promise": "所售助听器均为取得医疗器械注册证的正规产品，验配师持证上岗，提供免费听力检查与调试。",
        "returns_promise": "签收之日起7日内，未拆封产品支持无理由退货；已验配的产品可免费重新调试。",
        "after_sales_promise": "整机保修期内免费维修，终身提供清洁保养服务。",
        "contact_name": "孙丽",
        "contact_phone": "0431-85678901",
        "contact_hours": "周一至周日 9:00–17:30",
    },
    MOBILITY: {
        "standards": ["GB/T 13800-2021", "GB/T 19001-2016", "GB/T 16886.1-2022"],
        "quality_promise": "本厂生产的康复辅具均按标准出厂检验，承重与稳定性逐台测试，第一类医疗器械已备案。",
        "returns_promise": _RETURNS_GOODS,
        "after_sales_promise": "车架保修3年，易损件免费更换1年；长春市区可上门调试。",
        "contact_name": "刘志强",
        "contact_phone": "0431-87654321",
        "contact_hours": "周一至周五 8:00–17:00",
    },
    DEPARTMENT: {
        "standards": ["GB 16740-2014", "GB 7718-2011", "GB/T 28004.1-2021", "GB 13511.2-2011"],
        "quality_promise": "专柜商品均从品牌方或其授权经销商进货，索证索票齐全，保健食品均有批准文号可查。",
        "returns_promise": _RETURNS_FOOD,
        "after_sales_promise": "可到店或电话办理退换，店内设老年顾客休息区和代客下单服务。",
        "contact_name": "陈淑琴",
        "contact_phone": "0431-88881234",
        "contact_hours": "每天 9:00–21:00",
    },
    DEVICES: {
        "standards": ["GB 9706.1-2020", "YY 0670-2008", "GB/T 19634-2021"],
        "quality_promise": "血压计、血糖仪均取得医疗器械注册证，出厂逐台校准；智能穿戴设备符合无线电发射设备管理要求。",
        "returns_promise": _RETURNS_GOODS,
        "after_sales_promise": "主机保修期内免费换新或维修，提供电话指导使用。",
        "contact_name": "周敏",
        "contact_phone": "400-820-1234",
        "contact_hours": "每天 8:00–20:00",
    },
}

GEOGRAPHICAL_INDICATIONS = [
    # Registration numbers are given only where DOMAIN.md confirms them.
    {"name": "长白山人参", "name_en": "Changbai Mountain Ginseng", "registration": "", "authority": ""},
    {"name": "抚松人参", "name_en": "Fusong Ginseng", "registration": "", "authority": ""},
    {"name": "集安人参", "name_en": "Ji'an Ginseng", "registration": "", "authority": ""},
    {
        "name": "吉林梅花鹿",
        "name_en": "Jilin Sika Deer",
        "registration": "国家质检总局2005年第185号公告",
        "authority": "原国家质量监督检验检疫总局",
    },
]
