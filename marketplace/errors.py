"""Error pages in plain words, in the visitor's language.

404, 403 and 400 are Django's own handlers rendering our templates. A 500 happens when
something already went wrong, perhaps the database: its page needs no context processor,
only the language the request was in. A CSRF failure is almost always a form left open
too long, so it says that instead of "forbidden".
"""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def server_error(request, template_name="500.html"):
    try:
        home_url = reverse("home_page")
    except Exception:  # noqa: BLE001 - the error page must render whatever broke
        home_url = "/"
    template = loader.get_template(template_name)
    return HttpResponseServerError(template.render({"home_url": home_url}))


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
