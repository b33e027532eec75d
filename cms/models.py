"""Wagtail pages. The home page shows the catalogue's top categories and product grids."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from cms.blocks import BaseStreamBlock


class HomePage(Page):
    hero_title = models.CharField("主标题", max_length=80)
    hero_text = models.TextField("导语", blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name="正文", blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("body"),
    ]

    max_count_per_parent = 1
    subpage_types = ["cms.ContentPage"]

    class Meta:
        verbose_name = "首页"

    def get_context(self, request, *args, **kwargs):
        from catalog.selectors import top_categories

        context = super().get_context(request, *args, **kwargs)
        context["categories"] = top_categories()
        return context


class ContentPage(Page):
    """A plain page: help, about, returns policy."""

    intro = models.TextField("导语", blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name="正文", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage", "cms.ContentPage"]

    class Meta:
        verbose_name = "内容页"
