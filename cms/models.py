"""Wagtail pages: the home page, plain pages (help, about, how to buy, returns, privacy) and
the season campaigns (敬老月, 银龄购物节, …) with live products and Oscar offers."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms import page_cache
from cms.blocks import BaseStreamBlock, CampaignStreamBlock, ProductChooserBlock
from cms.products import render_grid


class HomePage(Page):
    hero_title = models.CharField("主标题", max_length=80)
    hero_text = models.TextField("导语", blank=True)
    featured_categories = ParentalManyToManyField(
        "catalogue.Category", verbose_name="推荐分类", blank=True,
        help_text="不选则显示全部一级分类。",
    )
    featured_products = StreamField(
        [("product", ProductChooserBlock(label="商品"))], verbose_name="推荐商品", blank=True,
        help_text="只显示现在能买的商品。",
    )
    hotline = models.CharField("客服热线", max_length=40, default="400-000-0000")
    hotline_hours = models.CharField("热线时间", max_length=80, default="每天 8:00–20:00")
    body = StreamField(BaseStreamBlock(), verbose_name="正文", blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("featured_categories"),
        FieldPanel("featured_products"),
        FieldRowPanel([FieldPanel("hotline"), FieldPanel("hotline_hours")], heading="客服热线"),
        FieldPanel("body"),
    ]

    max_count_per_parent = 1
    subpage_types = ["cms.StandardPage", "cms.CampaignIndexPage"]

    class Meta:
        verbose_name = "首页"

    def get_context(self, request, *args, **kwargs):
        from catalog.selectors import top_categories

        context = super().get_context(request, *args, **kwargs)
        listed = self._listed_pages() if getattr(request, "is_preview", False) else \
            page_cache.get_or_build("home", (self.pk,), self._listed_pages)
        context["categories"] = listed["categories"] or top_categories()
        featured = [block.value for block in self.featured_products if block.value is not None]
        if featured:
            grid = {"heading": gettext("为您推荐"), "source": "chosen", "count": 24, "products": featured}
            context["featured_grid_html"] = mark_safe(render_grid(value=grid, request=request))
        now = timezone.now()
        context["current_campaigns"] = [c for c in listed["campaigns"] if c.state(now) == CampaignPage.LIVE]
        context["upcoming_campaigns"] = [c for c in listed["campaigns"] if c.state(now) == CampaignPage.UPCOMING]
        context["help_pages"] = listed["help_pages"]
        return context

    def _listed_pages(self) -> dict:
        """What the home page lists of other pages; cached by the page-tree version (the
        campaigns' state is worked out per request from their window)."""
        return {
            "categories": list(self.featured_categories.order_by("path")),
            "campaigns": list(CampaignPage.objects.live().descendant_of(self).select_related("hero_image")
                              .order_by("starts_at")),
            "help_pages": list(StandardPage.objects.live().child_of(self).order_by("path")),
        }


class StandardPage(Page):
    """A plain page: help, about us, how to buy, returns policy, privacy."""

    intro = models.TextField("导语", blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name="正文", blank=True)

    search_fields = Page.search_fields + [index.SearchField("intro")]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]
    template = "cms/standard_page.html"

    class Meta:
        verbose_name = "普通页面"


ContentPage = StandardPage  # the name the first release used


class CampaignIndexPage(Page):
    intro = models.TextField("导语", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.CampaignPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "活动列表页"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        campaigns = list(CampaignPage.objects.live().child_of(self).order_by("-starts_at"))
        context["groups"] = [
            ("正在进行", [c for c in campaigns if c.state(now) == CampaignPage.LIVE]),
            ("即将开始", [c for c in campaigns if c.state(now) == CampaignPage.UPCOMING]),
            ("已经结束", [c for c in campaigns if c.state(now) == CampaignPage.ENDED]),
        ]
        return context


class CampaignPage(Page):
    """A season's campaign: its window, products and offers. Offers owned by the campaign
    follow its window (see ``cms.signals``)."""

    RESPECT_THE_AGED = "respect_the_aged_month"
    SILVER_FESTIVAL = "silver_shopping_festival"
    ELDERCARE_SEASON = "eldercare_consumption_season"
    OTHER = "other"
    KINDS = [
        (RESPECT_THE_AGED, "敬老月"),
        (SILVER_FESTIVAL, "银龄购物节"),
        (ELDERCARE_SEASON, "养老服务消费季"),
        (OTHER, "其他活动"),
    ]
    UPCOMING, LIVE, ENDED = "upcoming", "live", "ended"

    kind = models.CharField("活动类型", max_length=40, choices=KINDS, default=OTHER)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    summary = models.TextField("活动简介", max_length=500)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name="主图", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(CampaignStreamBlock(), verbose_name="正文", blank=True)

    search_fields = Page.search_fields + [index.SearchField("summary")]
    content_panels = Page.content_panels + [
        MultiFieldPanel([
            FieldPanel("kind"),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        ], heading="活动时间（北京时间）"),
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        InlinePanel("campaign_offers", label="本活动的优惠（有效期自动跟随活动时间）"),
    ]
    parent_page_types = ["cms.CampaignIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "活动页"

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "结束时间必须晚于开始时间。"})

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.starts_at is None or now < self.starts_at:
            return self.UPCOMING
        if self.ends_at is None or now > self.ends_at:
            return self.ENDED
        return self.LIVE

    def owned_offers(self) -> list:
        return [link.offer for link in self.campaign_offers.select_related(
            "offer__condition__range", "offer__benefit__range") if link.offer_id]

    def live_offers(self) -> list:
        """Offers that apply in the basket right now: only inside the window, only if open.
        Remembered for the rest of the request (each grid block asks)."""
        if self.state() != self.LIVE:
            return []
        if getattr(self, "_live_offers", None) is None:
            self._live_offers = [offer for offer in self.owned_offers() if offer.is_available()]
        return self._live_offers

    def offer_cache_key(self) -> str:
        return f"{self.pk}:{self.state()}:{','.join(str(o.pk) for o in self.live_offers())}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["campaign"] = self
        context["campaign_state"] = self.state()
        return context


class CampaignOffer(Orderable):
    page = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="campaign_offers")
    offer = models.ForeignKey("offer.ConditionalOffer", verbose_name="优惠活动", on_delete=models.CASCADE,
                              related_name="campaign_links")

    panels = [FieldPanel("offer")]

    class Meta(Orderable.Meta):
        verbose_name = "活动优惠"
