"""Our catalogue: Oscar's models plus English names, origin and catalogue listings.

Models defined before Oscar's star import replace Oscar's own (Oscar's fork mechanism).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from oscar.apps.catalogue.abstract_models import AbstractCategory, AbstractProduct, AbstractProductImage

from catalog.rules import product_rule_errors
from catalog.sanitise import clean_html
from catalog.signals import product_problems
from catalog.thumbnails import MissingProductImage
from marketplace.storefront_cache import VersionedQuerySet


def english_active() -> bool:
    return (translation.get_language() or "").startswith("en")


class Category(AbstractCategory):
    name_en = models.CharField("英文名称", max_length=255, blank=True)

    @property
    def display_name(self) -> str:
        return self.name_en if self.name_en and english_active() else self.name

    def get_absolute_url(self):
        """The category's URL in the active language, worked out once per instance: navigation
        shows the same few categories on every page (``catalog.selectors.top_categories``)."""
        urls = self.__dict__.setdefault("_urls", {})
        language = translation.get_language()
        if language not in urls:
            urls[language] = super().get_absolute_url()
        return urls[language]


class GeographicalIndication(models.Model):
    """A geographical-indication mark (地理标志), e.g. 长白山人参 or 吉林梅花鹿."""

    name = models.CharField("名称", max_length=64, unique=True)
    name_en = models.CharField("英文名称", max_length=128, blank=True)
    registration = models.CharField("登记/公告号", max_length=128, blank=True)
    authority = models.CharField("登记机关", max_length=128, blank=True)

    class Meta:
        verbose_name = "地理标志"
        verbose_name_plural = "地理标志"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.name_en if self.name_en and english_active() else self.name


class Product(AbstractProduct):
    title_en = models.CharField("英文名称", max_length=255, blank=True)
    origin_region = models.CharField(
        "产地", max_length=128, blank=True, help_text="例如：吉林省白山市抚松县"
    )
    gi_marks = models.ManyToManyField(
        GeographicalIndication, blank=True, related_name="products", verbose_name="地理标志"
    )

    def get_missing_image(self):
        return MissingProductImage()

    def get_title(self) -> str:
        if english_active():
            title_en = self.title_en or (self.parent.title_en if self.parent_id else "")
            if title_en:
                return title_en
        return super().get_title()

    def save(self, *args, **kwargs):
        # Merchant rich text is stored only in its cleaned form (and cleaned again when shown).
        self.description = clean_html(self.description)
        # Whatever path saves it (dashboard, admin, import, shell), changed text is checked again
        # (claim screening: catalog/signals.py); clean() has shown the same problems on the form.
        changed = self._changed_texts()
        problems = product_problems(self, fields=changed) if changed else {}
        if problems:
            raise ValidationError(problems)
        super().save(*args, **kwargs)

    def _changed_texts(self) -> set[str]:
        """Title, description and attribute values (``attr_<code>``) that differ from the stored row."""
        changed = {"attr_" + code for code in self.attr._dirty}
        stored = None if self._state.adding else (
            type(self).objects.filter(pk=self.pk).values("title", "description").first())
        for name in ("title", "description"):
            if stored is None or stored[name] != getattr(self, name):
                changed.add(name)
        return changed

    def clean(self):
        super().clean()
        self.description = clean_html(self.description)
        errors: dict[str, list[str]] = {}
        if self.get_product_class():
            errors = {"attr_" + code: [message] for code, message in product_rule_errors(self).items()}
        for field, messages in product_problems(self).items():
            errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)


class ProductImage(AbstractProductImage):
    """Oscar's product image, passed through the upload rules (``marketplace/uploads.py``).

    A new file is decoded and re-encoded (EXIF dropped) and stored under a name the server
    chooses; the dashboard's form shows the plain-words error from ``clean()``.
    """

    def clean(self):
        super().clean()
        self._clean_new_file()

    def save(self, *args, **kwargs):
        self._clean_new_file()
        super().save(*args, **kwargs)

    def _clean_new_file(self):
        from marketplace import uploads

        original = self.original
        if not original or getattr(original, "_committed", True) or getattr(original.file, "kind", None):
            return
        cleaned = uploads.clean_upload(original.file, kinds=uploads.IMAGE_KINDS,
                                       max_bytes=uploads.IMAGE_MAX_BYTES, purpose="商品图片")
        self.original = cleaned
        self.original.file.kind = cleaned.kind


class CatalogueListing(models.Model):
    """A product's place in an official recommended catalogue or certification.

    Regulators suspend or exit a listing (动态退出); a product with a listing that is
    not ``listed`` cannot be bought (see ``traceability/availability.py``).
    """

    ELDER_PRODUCTS = "elder_products"
    SMART_HEALTH = "smart_health"
    JIZHI_JIPIN = "jizhi_jipin"
    CATALOGUES = [
        (ELDER_PRODUCTS, "《老年用品产品推广目录》"),
        (SMART_HEALTH, "《智慧健康养老产品及服务推广目录》"),
        (JIZHI_JIPIN, "「吉致吉品」认证"),
    ]
    CATALOGUE_NAMES_EN = {
        ELDER_PRODUCTS: "Elderly Products Promotion Catalogue",
        SMART_HEALTH: "Smart Health & Elderly Care Catalogue",
        JIZHI_JIPIN: "Jizhi Jipin certified",
    }
    CATALOGUE_NAMES = dict(CATALOGUES)
    LISTED, SUSPENDED, EXITED = "listed", "suspended", "exited"
    STATUSES = [(LISTED, "在目录中"), (SUSPENDED, "暂停"), (EXITED, "已退出")]

    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="catalogue_listings", verbose_name="商品"
    )
    catalogue = models.CharField("目录/认证", max_length=32, choices=CATALOGUES)
    certificate_number = models.CharField("证书/公告编号", max_length=64, blank=True)
    listed_on = models.DateField("入选日期")
    status = models.CharField("状态", max_length=16, choices=STATUSES, default=LISTED, db_index=True)
    status_reason = models.TextField("状态原因", blank=True)
    status_changed_at = models.DateTimeField("状态变更时间", default=timezone.now)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = "推荐目录收录"
        verbose_name_plural = "推荐目录收录"
        constraints = [
            models.UniqueConstraint(fields=["product", "catalogue"], name="one_listing_per_catalogue")
        ]
        ordering = ["catalogue"]

    def __str__(self) -> str:
        return f"{self.product_id} · {self.get_catalogue_display()} · {self.get_status_display()}"

    @property
    def is_listed(self) -> bool:
        return self.status == self.LISTED

    @classmethod
    def name_for(cls, catalogue: str) -> str:
        """A catalogue's name in the active language, as the storefront shows it on badges."""
        if english_active():
            return cls.CATALOGUE_NAMES_EN[catalogue]
        return cls.CATALOGUE_NAMES[catalogue]

    @property
    def display_name(self) -> str:
        return self.name_for(self.catalogue)


from oscar.apps.catalogue.models import *  # noqa: E402,F401,F403
