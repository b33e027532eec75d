"""The display settings page and the small forms in every page's header post here.

Plain forms, no JavaScript: the choice is saved (cookie, and the account when logged in) and
the shopper goes back to the page they were on.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from marketplace.preferences import display
from marketplace.preferences.models import DisplayPreference

ON_OFF = [("on", gettext_lazy("开")), ("off", gettext_lazy("关"))]
NOT_UNDERSTOOD = gettext_lazy("没有看懂这个选择，请在下面重新点一下。")


class DisplayForm(forms.Form):
    """Each field is optional: a header button sends one of them, the settings page any."""

    text_size = forms.ChoiceField(label=gettext_lazy("字号"), required=False,
                                  choices=DisplayPreference.TEXT_SIZES,
                                  error_messages={"invalid_choice": NOT_UNDERSTOOD})
    high_contrast = forms.ChoiceField(label=gettext_lazy("高对比度"), required=False, choices=ON_OFF,
                                      error_messages={"invalid_choice": NOT_UNDERSTOOD})
    elder_mode = forms.ChoiceField(label=gettext_lazy("长辈模式"), required=False, choices=ON_OFF,
                                   error_messages={"invalid_choice": NOT_UNDERSTOOD})

    def changes(self) -> dict:
        data = self.cleaned_data
        chosen = {}
        if data.get("text_size"):
            chosen["text_size"] = data["text_size"]
        for name in ("high_contrast", "elder_mode"):
            if data.get(name):
                chosen[name] = data[name] == "on"
        return chosen


def safe_next(request) -> str:
    """Where to go back to: a path on this site only, never another site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("display-settings")


@require_http_methods(["GET", "POST"])
def display_settings(request):
    current = display.display_for(request=request)
    form = DisplayForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            response = redirect(safe_next(request))
            display.save_display(request=request, response=response,
                                 display=display.changed(display=current, **form.changes()))
            messages.success(request, _("显示设置已保存，每一页都会这样显示。"))
            return response
    status = 400 if form.errors else 200
    context = {"form": form, "current": current, "next": safe_next(request)}
    return render(request, "preferences/display_settings.html", context, status=status)
