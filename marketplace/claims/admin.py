"""The red-flag lexicon, edited by platform admins; and Oscar's product admin with screening on the
form (so a blocked product shows its findings instead of failing on save)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.models import BaseInlineFormSet
from oscar.apps.catalogue.admin import AttributeInline, ProductAdmin
from oscar.core.loading import get_model

from marketplace.claims.enforcement import attribute_value_findings
from marketplace.claims.models import PRODUCT_KINDS, RedFlagTerm

Product = get_model("catalogue", "Product")


class RedFlagTermForm(forms.ModelForm):
    product_kinds = forms.MultipleChoiceField(label="适用商品", choices=PRODUCT_KINDS,
                                              widget=forms.CheckboxSelectMultiple,
                                              error_messages={"required": "请至少选择一类商品。"})

    class Meta:
        model = RedFlagTerm
        fields = ["term", "category", "legal_basis", "product_kinds", "explanation", "allowed_phrases", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["product_kinds"] = list(self.instance.kinds)

    def clean_product_kinds(self):
        return ",".join(kind for kind, _label in PRODUCT_KINDS if kind in self.cleaned_data["product_kinds"])

    def clean_term(self):
        term = self.cleaned_data["term"].strip().replace("...", "…")
        if term.count("…") > 1 or term.startswith("…") or term.endswith("…"):
            raise ValidationError("「…」只能用一次，而且要放在两段文字中间，例如「治疗…病」。")
        return term


@admin.register(RedFlagTerm)
class RedFlagTermAdmin(admin.ModelAdmin):
    form = RedFlagTermForm
    list_display = ("term", "category", "legal_basis", "kinds_display", "is_active", "updated_at")
    list_filter = ("category", "is_active")
    search_fields = ("term", "legal_basis", "explanation")

    @admin.display(description="适用商品")
    def kinds_display(self, term):
        return term.kinds_display


class ScreenedAttributeFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form) or form.errors:
                continue
            value = form.instance
            if value.attribute_id is None:
                continue
            value.product = self.instance
            findings = attribute_value_findings(value)
            if findings:
                form.add_error(None, [finding.message for finding in findings])


class ScreenedAttributeInline(AttributeInline):
    formset = ScreenedAttributeFormSet


class ProductAdminForm(forms.ModelForm):
    def add_error(self, field, error):
        """Problems ``Product.clean()`` names by a dashboard field (``attr_<code>``) that this form
        lacks are shown at the top of the form, not raised as a server error."""
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            regrouped: dict[str, list] = {}
            for name, messages in error.error_dict.items():
                key = name if name in self.fields or name == NON_FIELD_ERRORS else NON_FIELD_ERRORS
                regrouped.setdefault(key, []).extend(messages)
            error = ValidationError(regrouped)
        super().add_error(field, error)


class ScreenedProductAdmin(ProductAdmin):
    form = ProductAdminForm
    inlines = [ScreenedAttributeInline, *ProductAdmin.inlines[1:]]


admin.site.unregister(Product)
admin.site.register(Product, ScreenedProductAdmin)
