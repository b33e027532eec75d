"""The applicant's page: apply, and see each application's status and the reason of a rejection."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from marketplace.onboarding import services
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
                messages.success(request, "申请已提交。平台审核后会发邮件通知您，也可以回到这个页面查看结果。")
                return redirect("onboarding:apply")
        status = 400
    return render(request, "onboarding/apply.html", {
        "form": form, "refusal": refusal, "status_code": status,
        "applications": MerchantApplication.objects.filter(applicant=request.user).order_by("-submitted_at"),
    }, status=status)
