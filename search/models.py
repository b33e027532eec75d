"""The search index kept in the database, and the synonyms staff edit.

``SearchDocument`` is one row per browsable product, written only by
``search/indexing.py``: the product's tokens (computed in Python by ``search/analysis.py``,
namespaced ``t:`` title, ``m:`` category/merchant/origin/attributes, ``d:`` description,
``p:`` pinyin, ``i:`` pinyin initials) and its facet columns. The database backend
queries it (a GIN index on PostgreSQL, an FTS5 trigram table on SQLite, both created by
migration 0002); the Elasticsearch backend is fed from it, so the database backend is
always a current fallback.
"""

from django.db import models
from django.utils import timezone


class SearchDocument(models.Model):
    product = models.OneToOneField(
        "catalogue.Product", on_delete=models.CASCADE, primary_key=True, related_name="search_document",
        verbose_name="商品",
    )
    title = models.CharField("名称", max_length=255)
    title_length = models.PositiveIntegerField("名称长度", default=0)
    tokens = models.TextField("检索词", help_text="空格分隔的带前缀检索词，首尾各一个空格")
    rank_text = models.TextField("排序检索词", help_text="名称、拼音和首字母检索词")
    category_paths = models.TextField("分类路径", blank=True, help_text="空格分隔，首尾各一个空格")
    merchant_id = models.IntegerField("商家编号", null=True, blank=True)
    origin = models.CharField("产地", max_length=32, blank=True, db_index=True)
    catalogues = models.CharField("推荐目录", max_length=128, blank=True, help_text="空格分隔的在目录代码")
    price = models.DecimalField("价格", max_digits=12, decimal_places=2, null=True, blank=True)
    in_stock = models.BooleanField("有库存", default=False)
    can_buy = models.BooleanField("可购买", default=False)
    created = models.DateTimeField("商品创建时间", default=timezone.now)
    updated_at = models.DateTimeField("索引时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "搜索索引条目"
        verbose_name_plural = "搜索索引条目"
        indexes = [models.Index(fields=["-can_buy", "-created", "-product"], name="search_doc_browse_idx")]

    def __str__(self) -> str:
        return self.title


class SearchTerm(models.Model):
    """What the search box can complete to and what a misspelt word can be corrected to.

    ``key`` is what a shopper types (the name, its pinyin or its initials); ``label`` is
    what is shown. Written by the indexer (insert-only; a rebuild starts it afresh).
    """

    PRODUCT, CATEGORY, SYNONYM, WORD = "product", "category", "synonym", "word"
    KINDS = [(PRODUCT, "商品名"), (CATEGORY, "分类"), (SYNONYM, "常用叫法"), (WORD, "拼写词")]

    key = models.CharField("输入", max_length=128)
    label = models.CharField("显示", max_length=128)
    kind = models.CharField("类型", max_length=16, choices=KINDS)
    weight = models.IntegerField("权重", default=1)

    class Meta:
        verbose_name = "联想词"
        verbose_name_plural = "联想词"
        constraints = [models.UniqueConstraint(fields=["key", "label", "kind"], name="one_search_term")]

    def __str__(self) -> str:
        return f"{self.key} → {self.label}"


class SynonymGroup(models.Model):
    """Words shoppers use for the same thing (老花镜 / 老花眼镜 / 阅读眼镜).

    A search for any word of an active group also finds products named with the others.
    Edited by staff in the admin; takes effect at once, without re-indexing.
    """

    terms = models.TextField(
        "同义词", help_text="用逗号或顿号分隔，例如：老花镜，老花眼镜，阅读眼镜"
    )
    note = models.CharField("备注", max_length=255, blank=True)
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "同义词组"
        verbose_name_plural = "同义词组"
        ordering = ["pk"]

    def __str__(self) -> str:
        return " / ".join(self.term_list())

    def term_list(self) -> list[str]:
        from search.analysis import split_terms

        return split_terms(self.terms)
