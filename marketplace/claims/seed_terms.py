"""The red-flag terms the lexicon starts with: DOMAIN.md §3, from 《中华人民共和国广告法》 and
SAMR's 2025 campaigns against 坑老/骗老. Read by the data migration that seeds ``RedFlagTerm``;
platform admins edit the rows afterwards.

Rows are ``(term, category, legal basis, product kinds, explanation, allowed phrases)``.
"""

from marketplace.claims.models import ALL_KINDS, FOOD, GENERAL, HEALTH_FOOD

ALL = ALL_KINDS
NOT_DEVICES = (HEALTH_FOOD, FOOD, GENERAL)

ART_9 = "《广告法》第九条第（三）项"

_ABSOLUTE = "广告不得使用「国家级」「最高级」「最佳」等绝对化用语。商品好在哪里，请用具体、可核实的事实说明。"
_CURE = ("除医疗、药品、医疗器械广告外，任何广告都不得涉及疾病治疗功能；保健食品、医疗器械也不得保证疗效。"
         "这类说法容易让老年人延误就医。")
_FOOD_DISEASE = "食品（包括保健食品、人参、鹿茸）不得声称预防或者治疗疾病，「降血糖」「降血压」都属于疾病治疗说法。"
_GUARANTEE = "不得对功效、安全性作断言或者保证，不得说明有效率、治愈率，也不得用退款、保险来暗示一定有效。"
_SAFETY = "不得断言商品安全、没有副作用。任何商品都可能有不适合的人群，请如实写明注意事项。"
_NECESSITY = "不得声称或者暗示商品是保障健康所必需的，这会让老年人觉得不买不行。"
_MEDICINE = "不得与药品或者其他商品比较功效，不得暗示可以代替药物、可以停药。停药必须听医生的。"
_ENDORSE = "不得利用专家、医生、患者的名义或者形象作推荐、证明，不得用「祖传秘方」「延年益寿」等说法暗示神奇功效。"

TERMS = [
    # Art. 9(3): absolute terms.
    ("最", "absolute", ART_9, ALL, _ABSOLUTE,
     ("最大", "最小", "最多", "最少", "最长", "最短", "最高承重", "最高温度", "最低温度", "最近", "最后", "最初",
      "最终")),
    ("第一", "absolute", ART_9, ALL, _ABSOLUTE,
     ("第一次", "第一步", "第一天", "第一周", "第一个", "第一代", "第一层", "第一页", "第一条", "第一养殖场",
      "第一分厂", "第一车间")),
    ("唯一", "absolute", ART_9, ALL, _ABSOLUTE, ("唯一追溯码", "唯一编码", "唯一标识", "唯一的追溯码")),
    ("国家级", "absolute", ART_9, ALL, _ABSOLUTE, ("国家级非物质文化遗产", "国家级自然保护区")),
    ("顶级", "absolute", ART_9, ALL, _ABSOLUTE, ()),
    ("首选", "absolute", ART_9, ALL, _ABSOLUTE, ()),
    ("极品", "absolute", ART_9, ALL, _ABSOLUTE, ()),
    ("全网销量第一", "absolute", ART_9, ALL, _ABSOLUTE, ()),
    # Arts. 17, 18(2): disease prevention and treatment.
    ("根治", "disease", "《广告法》第十七条、第十八条第（二）项", ALL, _CURE, ()),
    ("治愈", "disease", "《广告法》第十七条、第十八条第（二）项", ALL, _CURE, ()),
    ("药到病除", "disease", "《广告法》第十七条、第十八条第（二）项", ALL, _CURE, ()),
    ("包治百病", "disease", "《广告法》第十七条、第十八条第（二）项", ALL, _CURE, ()),
    ("治疗…病", "disease", "《广告法》第十七条、第十八条第（二）项", NOT_DEVICES, _CURE, ()),
    ("降血糖", "disease", "《广告法》第十七条、第十八条第（二）项；《食品安全法》第七十三条", NOT_DEVICES,
     _FOOD_DISEASE, ()),
    ("降血压", "disease", "《广告法》第十七条、第十八条第（二）项；《食品安全法》第七十三条", NOT_DEVICES,
     _FOOD_DISEASE, ()),
    ("抗癌", "disease", "《广告法》第十七条、第十八条第（二）项", ALL, _CURE, ()),
    ("防癌", "disease", "《广告法》第十七条、第十八条第（二）项", ALL, _CURE, ()),
    # Arts. 16, 18(1): efficacy guarantees and rates.
    ("100%有效", "efficacy", "《广告法》第十六条第（一）项、第十八条第（一）项", ALL, _GUARANTEE, ()),
    ("无效退款", "efficacy", "《广告法》第十六条第（一）项、第十八条第（一）项", ALL, _GUARANTEE, ()),
    ("有效率", "efficacy", "《广告法》第十六条第（二）项、第十八条第（一）项", ALL, _GUARANTEE, ()),
    ("治愈率", "efficacy", "《广告法》第十六条第（二）项、第十八条第（一）项", ALL, _GUARANTEE, ()),
    ("保险公司承保", "efficacy", "《广告法》第十六条第（一）项、第十八条第（一）项", ALL, _GUARANTEE, ()),
    # Art. 18(1): safety assertions.
    ("无毒副作用", "safety", "《广告法》第十六条第（一）项、第十八条第（一）项", ALL, _SAFETY, ()),
    ("安全无依赖", "safety", "《广告法》第十六条第（一）项、第十八条第（一）项", ALL, _SAFETY, ()),
    ("纯天然无害", "safety", "《广告法》第十六条第（一）项、第十八条第（一）项", ALL, _SAFETY, ()),
    # Art. 18(3): necessary for health.
    ("人人必备", "necessity", "《广告法》第十八条第（三）项", ALL, _NECESSITY, ()),
    ("老年人必需", "necessity", "《广告法》第十八条第（三）项", ALL, _NECESSITY, ()),
    # Art. 18(4): comparison with medicine.
    ("替代药物", "medicine", "《广告法》第十六条第（三）项、第十八条第（四）项", ALL, _MEDICINE, ()),
    ("可停药", "medicine", "《广告法》第十六条第（三）项、第十八条第（四）项", ALL, _MEDICINE, ()),
    ("比…药效果好", "medicine", "《广告法》第十六条第（三）项、第十八条第（四）项", ALL, _MEDICINE, ()),
    # Art. 18(5): endorsements.
    ("专家推荐", "endorsement", "《广告法》第十六条第（四）项、第十八条第（五）项", ALL, _ENDORSE, ()),
    ("患者证言", "endorsement", "《广告法》第十六条第（四）项、第十八条第（五）项", ALL, _ENDORSE, ()),
    ("祖传秘方", "endorsement", "《广告法》第十六条第（四）项、第十八条第（五）项", ALL, _ENDORSE, ()),
    ("延年益寿", "endorsement", "《广告法》第十六条第（四）项、第十八条第（五）项", ALL, _ENDORSE, ()),
]

assert all(set(row[3]) <= set(ALL_KINDS) for row in TERMS)


def seed(*, term_model) -> None:
    """Create the terms above that are missing. Takes the model so a migration can pass its own."""
    for term, category, basis, kinds, explanation, allowed in TERMS:
        term_model.objects.get_or_create(term=term, defaults={
            "category": category, "legal_basis": basis, "product_kinds": ",".join(kinds),
            "explanation": explanation, "allowed_phrases": "\n".join(allowed), "is_active": True,
        })


def unseed(*, term_model) -> None:
    term_model.objects.filter(term__in=[row[0] for row in TERMS]).delete()
