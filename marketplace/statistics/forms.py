"""The date range a regulator asks about, with errors in plain Chinese."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.statistics.period import LONGEST_DAYS

DATE_ERRORS = {"required": _("请填写日期。"), "invalid": _("日期格式不正确，请按 2026-11-01 这样的格式填写。")}


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("开始日期"), error_messages=DATE_ERRORS, input_formats=["%Y-%m-%d", "%Y/%m/%d"],
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("结束日期（含这一天）"), error_messages=DATE_ERRORS,
                          input_formats=["%Y-%m-%d", "%Y/%m/%d"],
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    @classmethod
    def for_request(cls, query) -> PeriodForm:
        """Bound to the query string, or to this month so far (Beijing time) when nothing was asked."""
        if "start" in query or "end" in query:
            return cls(query)
        today = timezone.localdate()
        return cls({"start": today.replace(day=1).isoformat(), "end": today.isoformat()})

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("结束日期不能早于开始日期。"))
            elif end - start > timedelta(days=LONGEST_DAYS):
                self.add_error("end", _("一次最多统计 %(years)s 年，请缩短日期范围。") % {"years": LONGEST_DAYS // 366})
        return data
