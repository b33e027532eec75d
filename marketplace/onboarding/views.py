"""The applicant's page (apply, see each application's status and a rejection's reason) and the licence files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from marketplace import uploads
from marketplace.onboarding import licences, services
from marketplace.onboarding.forms import ApplicationForm
from marketplace.onboarding.models import MerchantApplication


@login_required
def apply(request):
    refusal = services.refusal_to_apply(request.user)
    form = ApplicationForm()
    status = 200
    if request.method == "POST":
        if refusal:
            raise PermissionDenied(refusal)
        form = ApplicationForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.apply(applicant=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("申请已提交。平台审核后会发邮件通知您，也可以回到这个页面查看结果。"))
                return redirect("onboarding:apply")
        status = 400
    return render(request, "onboarding/apply.html", {
        "form": form, "refusal": refusal, "status_code": status,
        "applications": MerchantApplication.objects.filter(applicant=request.user).order_by("-submitted_at"),
    }, status=status)


@require_GET
@login_required
def licence_file(request, name: str):
    """A licence file, for platform admins, regulators and its applicant; 404 for anyone else
    (whether the file exists is not told)."""
    application = licences.application_holding(name=name)
    if application is None or not licences.may_open(user=request.user, application=application):
        raise Http404(_("没有找到这个文件。"))
    stored = application.business_licence if application.business_licence.name == name else application.other_licence
    try:
        handle = stored.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("没有找到这个文件。")) from missing
    return uploads.protect_response(FileResponse(handle), name)
