"""Blocks the CMS pages share (bakerydemo's base/blocks.py)."""

from wagtail import blocks


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="标题", max_length=80)

    class Meta:
        icon = "title"
        template = "cms/blocks/heading.html"
        label = "标题"


class ProductGridBlock(blocks.StructBlock):
    """Live products from a catalogue category; the catalogue's selectors pick them."""

    heading = blocks.CharBlock(label="标题", max_length=80)
    category_slug = blocks.CharBlock(label="商品分类（slug）", max_length=255)
    count = blocks.IntegerBlock(label="数量", min_value=1, max_value=24, default=8)

    class Meta:
        icon = "list-ul"
        template = "cms/blocks/product_grid.html"
        label = "商品列表"

    def get_context(self, value, parent_context=None):
        from catalog.selectors import products_in_category_slug

        context = super().get_context(value, parent_context=parent_context)
        products = products_in_category_slug(value["category_slug"], limit=value["count"])
        request = (parent_context or {}).get("request")
        if request is not None and hasattr(request, "strategy"):
            request.strategy.preload([product.pk for product in products])
        context["products"] = products
        return context


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label="段落", features=["bold", "link", "ul", "ol"])
    product_grid = ProductGridBlock()
