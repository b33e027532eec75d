"""Error pages in plain words, in the visitor's language.

404, 403 and 400 are Django's own handlers rendering our templates. A 500 happens when
something already went wrong, perhaps the database: its page needs no context processor,
only the language the request was in. A CSRF failure is almost always a form left open
too long, so it says that instead of "forbidden".
"""

import logging

from django.core.exceptions import ObjectDoesNotExist
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)


class MissingObjectIsNotFound:
    """A view that looks up what the URL names with ``.get()`` (Oscar's order-line page does:
    ``order.lines.get(id=…)``) raises ``DoesNotExist`` for an id that is not there; that is a
    404 in plain words, not a 500. Logged, so a lookup that should never miss is still seen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ObjectDoesNotExist):
            return None
        logger.warning("%s for %s answered 404", type(exception).__name__, request.path, exc_info=exception)
        return response_for_exception(request, Http404(str(exception)))


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
