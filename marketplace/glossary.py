"""One-line explanations, in everyday words, of the terms on product and trace pages.

Shown next to the term with ``{% explain "credit_code" %}`` (``glossary_tags``); kept here in one
place so the product page, the trace page and any other page say the same thing.
"""

from django.utils.translation import gettext_lazy as _

TERMS = {
    "credit_code": _("企业的“身份证号”，18位，可以在国家企业信用信息公示系统查到这家企业。"),
    "food_licence": _("卖食品必须有的许可证，说明当地市场监管部门审核过这家店。"),
    "device_licence": _("医疗器械上市前由药品监管部门批准或备案的编号，可以在国家药监局网站查到。"),
    "standard": _("这件商品按哪个国家或行业标准生产和检验，GB 是国家标准，GB/T 是推荐性国家标准。"),
    "blue_hat": _("保健食品包装上的蓝色小帽子标志和批准文号，说明经过国家批准；保健食品不是药，不能治病。"),
    "hash": _("记录的“数据指纹”：记录被改动一个字，指纹就完全不同，所以能看出有没有被改过。"),
    "lot_number": _("同一批生产的商品共用的编号，出了问题可以按批号查找和召回。"),
    "gtin": _("商品包装上条形码下面的数字，每种商品一个。"),
}


def explanation(term: str) -> str:
    """The explanation of ``term``; an unknown term is a programming error, not a blank."""
    return str(TERMS[term])
