"""screen_text: every seeded term, its look-alike variants, and clean texts that must pass."""

import pytest

from marketplace.claims.models import ALL_KINDS, FOOD, GENERAL, HEALTH_FOOD, MEDICAL_DEVICE, RedFlagTerm
from marketplace.claims.screening import screen_text
from marketplace.claims.seed_terms import TERMS
from marketplace.demo.wording import DEVICE_NOTICE, GINSENG_FOOD_NOTICE, HEALTH_FOOD_NOTICE

pytestmark = pytest.mark.django_db

# What a 「…」 in a term stands for in the examples.
FILLERS = {"治疗…病": "治疗糖尿病", "比…药效果好": "比吃降压药效果好"}


def example(term: str) -> str:
    return FILLERS.get(term, term)


def _spaced(text, sep):
    return sep.join(text)


FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})

VARIANTS = {
    "plain": lambda t: f"本店好物，{t}，欢迎选购",
    "spaces": lambda t: f"本店好物 {_spaced(t, ' ')} 欢迎选购",
    "ideographic spaces": lambda t: _spaced(t, "\u3000"),
    "zero-width": lambda t: _spaced(t, "\u200b"),
    "zero-width joiner and BOM": lambda t: _spaced(t, "\u200d\ufeff"),
    "dots between": lambda t: _spaced(t, "·"),
    "stars between": lambda t: _spaced(t, "*"),
    "html tags inside": lambda t: "<p>" + "".join(f"<b>{c}</b>" for c in t) + "</p>",
    "full width": lambda t: f"（{t.translate(FULL_WIDTH)}）",
    "newline inside": lambda t: t[:1] + "\n" + t[1:],
}


def test_the_lexicon_is_seeded_from_domain_md():
    seeded = set(RedFlagTerm.objects.values_list("term", flat=True))
    assert seeded == {row[0] for row in TERMS}
    assert len(seeded) == 34
    root = RedFlagTerm.objects.get(term="根治")
    assert "第十七条" in root.legal_basis and root.explanation and set(root.kinds) == set(ALL_KINDS)
    assert set(RedFlagTerm.objects.get(term="降血糖").kinds) == {HEALTH_FOOD, FOOD, GENERAL}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_seeded_term_is_found_in_every_disguise(variant):
    missed = []
    for term, _category, basis, kinds, explanation, _allowed in TERMS:
        text = VARIANTS[variant](example(term))
        for kind in kinds:
            findings = screen_text(text=text, product_class=kind, field="description", where="描述")
            if [f.term for f in findings] != [term]:
                missed.append((term, kind, text, [f.term for f in findings]))
            elif findings[0].legal_basis != basis or findings[0].explanation != explanation:
                missed.append((term, "wrong reason"))
    assert missed == []


def test_a_finding_says_what_where_and_why():
    [finding] = screen_text(text="祖传秘方，效果看得见", product_class=HEALTH_FOOD, field="attr_statement",
                            where="属性「声明」")
    assert finding.term == "祖传秘方"
    assert finding.field == "attr_statement" and finding.where == "属性「声明」"
    assert finding.excerpt == "祖传秘方，效果看得见"
    assert finding.message.startswith("属性「声明」中有「祖传秘方」（《广告法》")
    assert "专家" in finding.message  # the plain explanation


def test_traditional_characters_are_read_as_simplified():
    assert [f.term for f in screen_text(text="延年益壽，包治百病", product_class=FOOD)] == ["包治百病", "延年益寿"]
    assert [f.term for f in screen_text(text="可以治癒", product_class=FOOD)] == ["治愈"]


def test_a_term_inside_a_longer_one_is_reported_once():
    assert [f.term for f in screen_text(text="全网销量第一的人参", product_class=FOOD)] == ["全网销量第一"]


def test_each_term_once_per_text_however_often_it_appears():
    assert [f.term for f in screen_text(text="根治！根治！根 治！", product_class=GENERAL)] == ["根治"]


def test_terms_apply_only_to_their_kinds_of_product():
    assert screen_text(text="降血压", product_class=MEDICAL_DEVICE) == []
    assert [f.term for f in screen_text(text="降血压", product_class=FOOD)] == ["降血压"]
    assert screen_text(text="用于治疗高血压病", product_class=MEDICAL_DEVICE) == []
    # Text that may sit beside any product (campaign copy): every term.
    assert [f.term for f in screen_text(text="降血压", product_class=None)] == ["降血压"]


CLEAN_TEXTS = [
    "最大承重120千克，最小折叠宽度28厘米",
    "第一次使用前请仔细阅读说明书，第一步先展开支架",
    "每件商品都有唯一追溯码，扫码可查来源",
    "有效期至2027年12月，请在有效期内食用",  # 有效 but not 有效率
    "首先检查包装是否完好",  # 首 but not 首选
    "顶部有防滑垫，极简设计",  # 顶 / 极 but not 顶级 / 极品
    "安全扶手，安装牢固",  # 安全 but not 安全无依赖
    "根据国家标准 GB/T 19001 生产",  # 根 but not 根治
    "老年人必须在家人陪同下使用",  # 必须, not 必需
    "可测量血压和心率，数据可分享给家人",  # 血压 but not 降血压
    "治疗期间请遵医嘱。糖尿病患者请咨询医生",  # 治疗 and 病 in different sentences
    "人人都能轻松上手",
    "专家门诊时间请以医院公告为准",  # 专家 but not 专家推荐
    "国家级非物质文化遗产项目传承人手工制作",
    HEALTH_FOOD_NOTICE,
    "本品不能代替药物。保健食品不是药物，不能代替药物治疗疾病。",
    DEVICE_NOTICE,
    GINSENG_FOOD_NOTICE,
    "",
    "<p></p>",
]


@pytest.mark.parametrize("text", CLEAN_TEXTS)
def test_clean_texts_pass_for_every_kind_of_product(text):
    for kind in (*ALL_KINDS, None):
        assert screen_text(text=text, product_class=kind) == [], (text, kind)


def test_the_demo_catalogue_passes():
    from marketplace.demo.products import build_product_specs

    flagged = []
    for spec in build_product_specs():
        kind = {"health-food": HEALTH_FOOD, "ginseng": FOOD, "deer-antler": FOOD}.get(spec.product_class, GENERAL)
        texts = [spec.title, spec.description, *(str(v) for v in spec.attributes.values())]
        flagged += [(spec.title, f.term) for text in texts for f in screen_text(text=text, product_class=kind)]
    assert flagged == []


def test_lexicon_changes_apply_at_once():
    assert screen_text(text="神奇功效", product_class=GENERAL) == []
    term = RedFlagTerm.objects.create(term="神奇功效", category=RedFlagTerm.EFFICACY, legal_basis="《广告法》第二十八条",
                                      product_kinds=",".join(ALL_KINDS), explanation="虚假宣传。")
    assert [f.term for f in screen_text(text="神 奇 功 效", product_class=GENERAL)] == ["神奇功效"]
    term.is_active = False
    term.save()
    assert screen_text(text="神奇功效", product_class=GENERAL) == []
    RedFlagTerm.objects.filter(term="根治").delete()  # a queryset delete sends post_delete per row too
    assert screen_text(text="根治", product_class=GENERAL) == []


def test_allowed_phrases_are_edited_with_the_term():
    term = RedFlagTerm.objects.get(term="最")
    assert screen_text(text="最大承重", product_class=GENERAL) == []
    term.allowed_phrases = "最小"
    term.save()
    assert [f.term for f in screen_text(text="最大承重", product_class=GENERAL)] == ["最"]
