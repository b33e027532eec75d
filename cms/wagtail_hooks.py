"""Wagtail admin registration: the Oscar product chooser used by the product-grid block."""

from django import forms
from django.db.models import Q
from oscar.core.loading import get_model
from wagtail import hooks
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")
Category = get_model("catalogue", "Category")


class ProductFilterForm(BaseFilterForm):
    q = forms.CharField(label="商品名称", required=False,
                        widget=forms.TextInput(attrs={"placeholder": "按商品名称搜索"}))
    merchant = forms.ModelChoiceField(label="商家", queryset=Partner.objects.order_by("name"), required=False)
    category = forms.ModelChoiceField(label="分类", queryset=Category.objects.order_by("path"), required=False)

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            self.is_searching, self.search_query = True, query
            objects = objects.filter(Q(title__icontains=query) | Q(title_en__icontains=query) | Q(upc__iexact=query))
        merchant = self.cleaned_data.get("merchant")
        if merchant is not None:
            objects = objects.filter(stockrecords__partner=merchant)
        category = self.cleaned_data.get("category")
        if category is not None:
            tree = Category.objects.filter(path__startswith=category.path).values("pk")
            objects = objects.filter(categories__in=tree)
        return objects.distinct()


class ProductChooseMixin:
    filter_form_class = ProductFilterForm
    ordering = ["title", "pk"]

    def get_object_list(self):
        return (Product.objects.exclude(structure=Product.CHILD)
                .prefetch_related("stockrecords__partner"))

    @property
    def columns(self):
        return super().columns + [
            Column("merchant", label="商家",
                   accessor=lambda p: "、".join(s.partner.name for s in p.stockrecords.all())),
            Column("is_public", label="上架", accessor=lambda p: "是" if p.is_public else "否"),
        ]


class ProductChooseView(ProductChooseMixin, ChooseView):
    pass


class ProductChooseResultsView(ProductChooseMixin, ChooseResultsView):
    pass


class ProductChooserViewSet(ChooserViewSet):
    model = Product
    icon = "list-ul"
    choose_one_text = "选择商品"
    choose_another_text = "换一个商品"
    edit_item_text = "编辑商品"
    choose_view_class = ProductChooseView
    choose_results_view_class = ProductChooseResultsView
    per_page = 20


product_chooser_viewset = ProductChooserViewSet("product_chooser", url_prefix="product-chooser")


@hooks.register("register_admin_viewset")
def register_product_chooser():
    return product_chooser_viewset
