"""Statements the law requires on listings (DOMAIN.md §3), and listing dates shared by the families.

Descriptions in the demo state facts (specification, material, use) and never claims:
no absolute terms, no efficacy or cure claims, no comparison with medicine.
"""

from datetime import date

from catalog.models import CatalogueListing
from catalog.rules import NOT_A_MEDICINE

DEVICE_NOTICE = "请仔细阅读产品说明书或者在医务人员的指导下购买和使用。禁忌内容或者注意事项详见说明书。"
HEALTH_FOOD_NOTICE = f"{NOT_A_MEDICINE}。保健食品不是药物。"
GINSENG_FOOD_NOTICE = (
    "本品按新食品原料（卫生部公告2012年第17号）销售：人参为5年及5年以下人工种植，"
    "每日食用量不超过3克；孕妇、哺乳期妇女及14周岁以下儿童不宜食用。"
)
GINSENG_FOOD_UNSUITABLE = "孕妇、哺乳期妇女及14周岁以下儿童"


def elder_listing(number: int) -> tuple:
    return (CatalogueListing.ELDER_PRODUCTS, f"2023年版第{number:03d}项", date(2023, 12, 18))


def smart_health_listing(number: int) -> tuple:
    return (CatalogueListing.SMART_HEALTH, f"2022年版第{number:03d}项", date(2022, 12, 26))


def jizhi_listing(number: int) -> tuple:
    return (CatalogueListing.JIZHI_JIPIN, f"JZJP-2024-{number:04d}", date(2024, 9, 20))
