"""Django admin actions that change a status through the service functions, with a reason.

The admin has no status fields to edit: a suspension, reinstatement, recall or catalogue
exit done here goes through ``traceability/regulation.py`` exactly as from the regulator
console, so it is checked the same way and leaves the same audit entry.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因（记入监管操作记录）", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写原因。原因会记入监管操作记录，并告知商家。"})

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("请填写原因。原因会记入监管操作记录，并告知商家。")
        return reason


def reason_action(*, name: str, description: str, service, permission: str, label=str):
    """An admin action that asks for a reason, then calls ``service(obj, reason=, actor=)`` per row."""

    @admin.action(description=description, permissions=[permission])
    def action(modeladmin, request, queryset):
        form = ReasonForm(request.POST if "apply_reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            done, refused = 0, []
            for obj in queryset:
                try:
                    service(obj, reason=form.cleaned_data["reason"], actor=request.user)
                    done += 1
                except ValidationError as error:
                    refused.append(f"{label(obj)}：{'；'.join(error.messages)}")
            if done:
                modeladmin.message_user(request, f"{description}：已处理 {done} 项，并已记入监管操作记录。",
                                        messages.SUCCESS)
            for line in refused:
                modeladmin.message_user(request, line, messages.ERROR)
            return None
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": description,
            "description": description,
            "form": form,
            "objects": [label(obj) for obj in queryset],
            "queryset": queryset,
            "action_name": name,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        }
        return TemplateResponse(request, "admin/silver/reason_action.html", context)

    action.__name__ = name
    return action
