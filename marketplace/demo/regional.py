"""Regional goods: Jilin ginseng (抚松, 靖宇, 集安) and 双阳 sika-deer antler.

Ginseng sold as food follows 卫生部公告2012年第17号 (DOMAIN.md §2): cultivated, at most
5 years old, at most 3 g a day, and not for pregnant or breast-feeding women or children
under 14. Older roots and forest-grown ginseng are sold as produce, not as food.
"""

from decimal import Decimal

from marketplace.demo import merchants as m
from marketplace.demo.wording import GINSENG_FOOD_NOTICE, GINSENG_FOOD_UNSUITABLE, jizhi_listing

COUNTY_REGION = {
    "抚松": "吉林省白山市抚松县",
    "靖宇": "吉林省白山市靖宇县",
    "集安": "吉林省通化市集安市",
}
COUNTY_EN = {"抚松": "Fusong", "靖宇": "Jingyu", "集安": "Ji'an"}
COUNTY_GI = {"抚松": ("长白山人参", "抚松人参"), "靖宇": ("长白山人参",), "集安": ("长白山人参", "集安人参")}
PROCESSING_EN = {"生晒参": "sun-dried", "红参": "red", "鲜参": "fresh", "参片": "sliced", "冻干参": "freeze-dried"}


def _ginseng(*, merchant, category, county, cultivation, years, processing, title, title_en, detail, price, stock,
             food, listed, shelf_life_days):
    attributes = {
        "origin_county": county, "cultivation": cultivation, "growth_years": years, "processing": processing,
        "sold_as_food": food,
    }
    notice = "本品按农产品（人参干品）销售，不作为普通食品；如需食用请咨询医师或药师。"
    if food:
        attributes["daily_amount_g"] = 3.0 if processing != "鲜参" else 2.5
        attributes["unsuitable_groups"] = GINSENG_FOOD_UNSUITABLE
        notice = GINSENG_FOOD_NOTICE
    return {
        "merchant": merchant, "product_class": "ginseng", "category": category, "title": title,
        "title_en": title_en,
        "description": (f"{title}。产地：{COUNTY_REGION[county]}；{cultivation}，{years}年生；加工方式：{processing}。"
                        f"{detail}每批次附追溯码，可查种植、采收、加工与检验记录。{notice}"),
        "price": Decimal(price), "stock": stock, "attributes": attributes, "trace": "ginseng",
        "trace_info": {"cultivation": cultivation, "growth_years": years, "processing": processing},
        "origin_region": COUNTY_REGION[county], "county": county, "gi_marks": COUNTY_GI[county],
        "listings": (jizhi_listing(listed),) if listed else (), "shelf_life_days": shelf_life_days,
    }


def _forest_ginseng():
    drafts, serial = [], 0
    for county in ("抚松", "靖宇"):
        for years, base in ((12, 680), (15, 1280), (18, 2380), (20, 3680)):
            for pack_zh, pack_en, count in (("单支礼盒", "single-root gift box", 1), ("三支礼盒", "three-root gift box", 3)):
                serial += 1
                drafts.append(_ginseng(
                    merchant=m.FUSONG, category="forest-ginseng", county=county, cultivation="林下参", years=years,
                    processing="生晒参", title=f"{county}林下参 {years}年 生晒干品 {pack_zh}",
                    title_en=f"{COUNTY_EN[county]} forest-grown ginseng, {years} years, sun-dried, {pack_en}",
                    detail=f"林下自然生长，芦头、艼帽完整，每支附编号卡，{pack_zh}共 {count} 支。",
                    price=f"{base * count - (count - 1) * base // 10}.00", stock=5 + serial % 8, food=False,
                    listed=serial, shelf_life_days=3 * 365,
                ))
    return drafts


def _garden_ginseng():
    drafts, serial = [], 20
    fusong = [
        ("garden-ginseng", "鲜参", years, pack, price)
        for years, base in ((4, 88), (5, 128))
        for pack, price in ((("500克", "500 g"), base), (("1000克", "1 kg"), base * 2 - 16))
    ]
    fusong += [("sun-dried-ginseng", "生晒参", 5, pack, price)
               for pack, price in ((("100克", "100 g"), 96), (("250克", "250 g"), 228), (("500克", "500 g"), 438))]
    fusong += [("garden-ginseng", "参片", years, pack, price)
               for years, base in ((4, 58), (5, 78)) for pack, price in ((("50克", "50 g"), base), (("100克", "100 g"), base * 2 - 8))]
    jian = [("red-ginseng", "红参", 6, (f"{grade}支/500克 {weight}", f"{grade} roots per 500 g, {weight_en}"), price)
            for grade, base in ((20, 880), (32, 680), (48, 520))
            for weight, weight_en, price in (("250克", "250 g", base // 2 + 20), ("500克", "500 g", base))]
    jian += [("red-ginseng", "红参", 6, (f"切片 {w}", f"slices, {w_en}"), price)
             for w, w_en, price in (("50克", "50 g", 138), ("100克", "100 g", 258), ("150克", "150 g", 368))]
    jian += [("red-ginseng", "红参", 5, (w, w_en), price) for w, w_en, price in (("100克", "100 g", 128), ("250克", "250 g", 298))]
    jian += [("sun-dried-ginseng", "生晒参", years, (w, w_en), price)
             for years, base in ((4, 78), (5, 98)) for w, w_en, price in (("100克", "100 g", base), ("250克", "250 g", base * 2 + 30))]
    jian += [("garden-ginseng", "冻干参", 5, (w, w_en), price) for w, w_en, price in (("50克", "50 g", 168), ("100克", "100 g", 318))]
    for merchant, county, rows in ((m.FUSONG, "抚松", fusong), (m.JIAN, "集安", jian)):
        for category, processing, years, (pack_zh, pack_en), price in rows:
            serial += 1
            food = years <= 5
            drafts.append(_ginseng(
                merchant=merchant, category=category, county=county, cultivation="园参", years=years,
                processing=processing, title=f"{county}园参 {processing} {years}年 {pack_zh}",
                title_en=f"{COUNTY_EN[county]} garden-grown {PROCESSING_EN[processing]} ginseng, {years} years, {pack_en}",
                detail=("冷藏保存（0–4℃），收到后请尽快食用或冷藏。" if processing == "鲜参"
                        else "密封防潮包装，请置阴凉干燥处保存。"),
                price=f"{price}.00", stock=20 + serial % 30, food=food, listed=serial if serial % 2 else 0,
                shelf_life_days=180 if processing == "鲜参" else 2 * 365,
            ))
    return drafts


ANTLER = [
    ("antler-slices", "鹿茸片", grade, grade_en, weight, weight_en, price)
    for grade, grade_en, base in (("蜡片", "wax-grade", 198), ("粉片", "powder-grade", 128),
                                  ("纱片", "gauze-grade", 88), ("骨片", "bone-grade", 58))
    for weight, weight_en, price in (("10克", "10 g", base), ("20克", "20 g", base * 2 - 10), ("50克", "50 g", base * 5 - 50))
]
ANTLER += [("freeze-dried-antler", "冻干鹿茸", kind, kind_en, weight, weight_en, price)
           for kind, kind_en, base in (("二杠茸整枝", "two-branch whole antler", 1280), ("三岔茸整枝", "three-branch whole antler", 980))
           for weight, weight_en, price in (("100克", "100 g", base), ("200克", "200 g", base * 2 - 80))]
ANTLER += [("antler-powder-fresh", "鹿茸粉", "超细粉", "fine powder", w, w_en, price)
           for w, w_en, price in (("20克", "20 g", 168), ("50克", "50 g", 398), ("100克", "100 g", 768))]
ANTLER += [("antler-powder-fresh", "鲜鹿茸", "冷冻鲜茸", "frozen fresh antler", w, w_en, price)
           for w, w_en, price in (("250克", "250 g", 680), ("500克", "500 g", 1280))]
ANTLER_EN = {"鹿茸片": "sika deer antler slices", "冻干鹿茸": "freeze-dried sika deer antler",
             "鹿茸粉": "sika deer antler powder", "鲜鹿茸": "fresh sika deer antler"}
FARM = "长春市双阳区鹿乡梅花鹿养殖有限公司第一养殖场"


def _antler():
    drafts = []
    for serial, (category, processing, kind, kind_en, weight, weight_en, price) in enumerate(ANTLER, start=1):
        title = f"双阳梅花鹿{processing} {kind} {weight}"
        drafts.append({
            "merchant": m.SHUANGYANG, "product_class": "deer-antler", "category": category, "title": title,
            "title_en": f"Shuangyang {ANTLER_EN[processing]}, {kind_en}, {weight_en}",
            "description": (f"{title}。取自本场人工养殖梅花鹿，鹿只建有三代系谱档案；割茸后经动物检疫合格，"
                            f"{'冷冻保存（-18℃以下）' if processing == '鲜鹿茸' else '密封避光保存'}。"
                            "鹿茸为传统滋补品，孕妇、儿童及正在服药者食用前请咨询医师。"),
            "price": Decimal(f"{price}.00"), "stock": 6 + serial % 10,
            "attributes": {"farm": FARM, "species": "梅花鹿", "processing": processing},
            "trace": "antler", "trace_info": {"processing": processing, "kind": kind},
            "origin_region": "吉林省长春市双阳区", "county": "双阳", "gi_marks": ("吉林梅花鹿",),
            "listings": (jizhi_listing(100 + serial),) if serial % 2 else (),
            "shelf_life_days": 365 if processing == "鲜鹿茸" else 3 * 365,
        })
    return drafts


def drafts():
    return [*_forest_ginseng(), *_garden_ginseng(), *_antler()]
