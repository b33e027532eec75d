from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "marketplace.claims"
    label = "claims"
    verbose_name = "广告用语审查与消费者举报"

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save
        from oscar.core.loading import get_model
        from wagtail.signals import page_published

        from catalog.signals import product_checked
        from marketplace.claims import enforcement, screening
        from marketplace.claims.models import RedFlagTerm

        product_checked.connect(enforcement.check_product, dispatch_uid="claims-product")
        pre_save.connect(enforcement.check_attribute_value, sender=get_model("catalogue", "ProductAttributeValue"),
                         dispatch_uid="claims-attribute-value")
        page_published.connect(enforcement.unpublish_if_flagged, dispatch_uid="claims-page-published")
        post_save.connect(screening.forget_lexicon, sender=RedFlagTerm, dispatch_uid="claims-lexicon-save")
        post_delete.connect(screening.forget_lexicon, sender=RedFlagTerm, dispatch_uid="claims-lexicon-delete")
