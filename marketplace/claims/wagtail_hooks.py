"""Campaign texts that show merchants' products are screened before Wagtail publishes them."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.html import format_html, format_html_join
from wagtail import hooks

from marketplace.claims.enforcement import screen_page


@hooks.register("before_publish_page")
def refuse_red_flag_claims(request, page):
    findings = screen_page(page=page)
    if not findings:
        return None
    messages.error(request, format_html(
        "这个页面展示了商家的商品，但文字中有不能使用的广告用语，所以没有发布（已保存为草稿）。请修改后再发布：<ul>{}</ul>",
        format_html_join("", "<li>{}</li>", ((finding.message,) for finding in findings)),
    ))
    return redirect("wagtailadmin_pages:edit", page.pk)
