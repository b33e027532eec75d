"""The 接口令牌 page: a user makes and revokes their own API tokens. The secret is shown once."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.api import tokens
from marketplace.api.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称（写明给哪个系统用）"), max_length=64,
                           error_messages={"required": gettext_lazy("请给令牌起个名字，例如“ERP 系统”。")})
    scopes = forms.MultipleChoiceField(label=gettext_lazy("权限"), widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": gettext_lazy("请至少选择一项权限。")})

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(scope, f"{scope}：{tokens.scope_label(scope)}") for scope in allowed]


def _page(request, form, *, issued=None, status=200):
    return render(request, "api/tokens.html", {
        "form": form, "issued": issued, "allowed": bool(form.fields["scopes"].choices),
        "tokens": tokens.tokens_for(user=request.user),
    }, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def token_list(request):
    allowed = tokens.scopes_for(request.user)
    if request.method == "GET":
        return _page(request, TokenForm(allowed=allowed))
    form = TokenForm(request.POST, allowed=allowed)
    if not allowed:
        form.add_error(None, _("您的账户不能使用数据接口。"))
        return _page(request, form, status=403)
    if form.is_valid():
        try:
            issued = tokens.issue_token(user=request.user, name=form.cleaned_data["name"],
                                        scopes=form.cleaned_data["scopes"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _page(request, TokenForm(allowed=allowed), issued=issued)
    return _page(request, form, status=400)


@require_POST
@login_required
def revoke(request, pk: int):
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404(_("没有找到这个令牌。"))
    tokens.revoke_token(token=token, user=request.user)
    messages.success(request, _("令牌“%(name)s”已作废，用它的系统将不能再访问。") % {"name": token.name})
    return redirect("api:tokens")

