"""Platform admins decide applications here, only through ``services.approve`` / ``services.reject``.

Nothing on an application is edited by hand: the status changes by the two actions, and a
rejection asks for the reason the applicant will see (``admin/silver/reason_action.html``).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from marketplace.onboarding import services
from marketplace.onboarding.models import MerchantApplication


class RejectionForm(forms.Form):
    reason = forms.CharField(label="不通过的原因（申请人会看到）", max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请写明不通过的原因，申请人会看到。"})


def _decide(modeladmin, request, queryset, decide, done_words):
    done = 0
    for application in queryset:
        try:
            decide(application)
            done += 1
        except ValidationError as error:
            modeladmin.message_user(request, f"{application.legal_name}：{'；'.join(error.messages)}", messages.ERROR)
    if done:
        modeladmin.message_user(request, f"{done_words} {done} 份申请，并已通知申请人。", messages.SUCCESS)


@admin.action(description="通过入驻申请（开设商家和商家员工账号）", permissions=["change"])
def approve(modeladmin, request, queryset):
    _decide(modeladmin, request, queryset,
            lambda application: services.approve(application=application, actor=request.user), "已通过")


@admin.action(description="不通过入驻申请（需写明原因）", permissions=["change"])
def reject(modeladmin, request, queryset):
    form = RejectionForm(request.POST if "apply_reason" in request.POST else None)
    if form.is_bound and form.is_valid():
        reason = form.cleaned_data["reason"]
        _decide(modeladmin, request, queryset,
                lambda application: services.reject(application=application, reason=reason, actor=request.user),
                "已退回")
        return None
    return TemplateResponse(request, "admin/silver/reason_action.html", {
        **modeladmin.admin_site.each_context(request), "title": "不通过入驻申请", "description": "不通过入驻申请",
        "form": form, "objects": [str(application) for application in queryset], "queryset": queryset,
        "action_name": "reject", "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "opts": modeladmin.model._meta,
    })


@admin.register(MerchantApplication)
class MerchantApplicationAdmin(admin.ModelAdmin):
    list_display = ("legal_name", "shop_name", "credit_code", "contact_name", "contact_phone", "status",
                    "submitted_at")
    list_filter = ("status",)
    search_fields = ("legal_name", "shop_name", "credit_code", "contact_name")
    actions = [approve, reject]
    readonly_fields = [field.name for field in MerchantApplication._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
