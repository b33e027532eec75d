"""Blocks the CMS pages share (bakerydemo's base/blocks.py)."""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.safestring import mark_safe
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from catalog.models import CatalogueListing
from cms import products as grid
from cms.wagtail_hooks import product_chooser_viewset

ProductChooserBlock = product_chooser_viewset.get_block_class(
    name="ProductChooserBlock", module_path="cms.blocks"
)


def clean_html(html: str) -> str:
    """Merchant-facing rich text goes through the shared sanitiser."""
    try:
        from catalog.sanitise import clean_html as sanitise
    except ImportError:  # the hardening issue's sanitiser has not landed yet
        import nh3

        return nh3.clean(html)
    return sanitise(html)


def category_choices():
    from catalog.models import Category

    return [(c.slug, "　" * (c.depth - 1) + c.name) for c in Category.objects.order_by("path")]


def merchant_choices():
    from oscar.core.loading import get_model

    return [(str(p.pk), p.name) for p in get_model("partner", "Partner").objects.order_by("name")]


def offer_choices():
    from oscar.core.loading import get_model

    return [(str(o.pk), o.name) for o in get_model("offer", "ConditionalOffer").objects.order_by("-pk")]


def voucher_choices():
    from oscar.core.loading import get_model

    return [(str(v.pk), f"{v.name}（{v.code}）") for v in get_model("voucher", "Voucher").objects.order_by("-pk")]


class DatabaseChoiceBlock(blocks.ChoiceBlock):
    """A choice among database rows: the rows are listed for the editor's form only, never
    looked up again to read a stored value (which would cost a query per block per view)."""

    def to_python(self, value):
        return "" if value is None else str(value)


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="标题", max_length=80)

    class Meta:
        icon = "title"
        template = "cms/blocks/heading.html"
        label = "标题"


class SanitisedRichTextBlock(blocks.RichTextBlock):
    """Rich text rendered through the sanitiser: it may quote merchants' product text."""

    def render_basic(self, value, context=None):
        return mark_safe(clean_html(str(super().render_basic(value, context=context))))


class ProductGridBlock(blocks.StructBlock):
    """Live products: picked one by one, or every product in a category, catalogue or shop."""

    heading = blocks.CharBlock(label="标题", max_length=80)
    source = blocks.ChoiceBlock(label="商品来源", choices=grid.SOURCES, default=grid.CATEGORY)
    products = blocks.ListBlock(ProductChooserBlock(label="商品"), label="挑选的商品", required=False, default=[])
    category_slug = DatabaseChoiceBlock(label="分类", choices=category_choices, required=False)
    catalogue = blocks.ChoiceBlock(label="推广目录", choices=CatalogueListing.CATALOGUES, required=False)
    merchant = DatabaseChoiceBlock(label="商家", choices=merchant_choices, required=False)
    count = blocks.IntegerBlock(label="最多显示几件", min_value=1, max_value=24, default=8)

    class Meta:
        icon = "list-ul"
        template = "cms/blocks/product_grid.html"
        label = "商品列表"
        help_text = "只显示现在能买的商品：可追溯、在目录中、有货。"

    def clean(self, value):
        value = super().clean(value)
        needed = {grid.CHOSEN: "products", grid.CATEGORY: "category_slug", grid.LISTING: "catalogue",
                  grid.MERCHANT: "merchant"}[value["source"]]
        if not value.get(needed):
            raise StructBlockValidationError(
                block_errors={needed: ErrorList([ValidationError("按这个来源显示商品时，这一项必须填写。")])}
            )
        return value

    def render(self, value, context=None):
        context = context or {}
        request = context.get("request")
        campaign = context.get("campaign")
        offers, offer_key = (campaign.live_offers(), campaign.offer_cache_key()) if campaign else ((), "")
        return mark_safe(grid.render_grid(value=value, request=request, offers=offers, offer_key=offer_key))


class OfferBlock(blocks.StructBlock):
    """An Oscar offer (or a voucher) with its real conditions, in plain words."""

    heading = blocks.CharBlock(label="标题", max_length=80)
    offer = DatabaseChoiceBlock(label="优惠活动", choices=offer_choices, required=False)
    voucher = DatabaseChoiceBlock(label="优惠码", choices=voucher_choices, required=False)
    note = blocks.TextBlock(label="补充说明", required=False)

    class Meta:
        icon = "tag"
        template = "cms/blocks/offer.html"
        label = "优惠"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("offer") and not value.get("voucher"):
            raise StructBlockValidationError(
                block_errors={"offer": ErrorList([ValidationError("请选择一个优惠活动或一个优惠码。")])}
            )
        return value

    def get_context(self, value, parent_context=None):
        from oscar.core.loading import get_model

        from cms.offers import describe_offer

        context = super().get_context(value, parent_context=parent_context)
        # Only offers a shopper can use now: a suspended, used-up or expired one is not shown.
        offers = []
        if value.get("voucher"):
            voucher = get_model("voucher", "Voucher").objects.filter(pk=value["voucher"]).first()
            if voucher is not None and voucher.is_active():
                offers += [(offer, describe_offer(offer, voucher=voucher)) for offer in voucher.offers.all()
                           if offer.is_available()]
        if value.get("offer"):
            offer = (get_model("offer", "ConditionalOffer").objects.select_related("condition", "benefit")
                     .filter(pk=value["offer"]).first())
            if offer is not None and offer.is_available():
                offers.append((offer, describe_offer(offer)))
        context["offers"] = offers
        return context


class ActivityBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="活动名称", max_length=120)
    starts_at = blocks.DateTimeBlock(label="时间")
    place = blocks.CharBlock(label="地点", max_length=200)
    description = blocks.TextBlock(label="说明", required=False)
    signup_url = blocks.URLBlock(label="报名链接", required=False)
    signup_phone = blocks.CharBlock(label="报名电话", max_length=40, required=False)

    class Meta:
        icon = "date"
        label = "活动"


class ActivityListBlock(blocks.StructBlock):
    """Events such as 老年用品产品尝新 product trials: when, where, how to sign up."""

    heading = blocks.CharBlock(label="标题", max_length=80)
    activities = blocks.ListBlock(ActivityBlock(), label="活动")

    class Meta:
        icon = "group"
        template = "cms/blocks/activity_list.html"
        label = "活动列表"


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label="标题", max_length=80, default="常见问题")
    items = blocks.ListBlock(blocks.StructBlock([
        ("question", blocks.CharBlock(label="问题", max_length=200)),
        ("answer", SanitisedRichTextBlock(label="回答", features=["bold", "link", "ul", "ol"])),
    ], label="问答"), label="问答")

    class Meta:
        icon = "help"
        template = "cms/blocks/faq.html"
        label = "常见问题"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="标题", max_length=80)
    text = blocks.TextBlock(label="内容")
    link_page = blocks.PageChooserBlock(label="链接到页面", required=False)
    link_url = blocks.URLBlock(label="或链接到网址", required=False)
    link_text = blocks.CharBlock(label="链接文字", max_length=40, required=False)

    class Meta:
        icon = "pick"
        template = "cms/blocks/callout.html"
        label = "提示框"


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = SanitisedRichTextBlock(label="段落", features=["h2", "h3", "bold", "italic", "link", "ul", "ol"])
    product_grid = ProductGridBlock()
    callout = CalloutBlock()
    faq = FAQBlock()


class CampaignStreamBlock(BaseStreamBlock):
    offer = OfferBlock()
    activities = ActivityListBlock()
