from urllib.parse import urlencode

from django.http import JsonResponse
from django.urls import reverse
from django.views import View

from search import analysis
from search.backends import get_backend


def suggestions(text: str, *, limit: int = 8) -> list[dict]:
    """What the search box offers for the letters typed so far."""
    prefix = analysis.normalise(text).strip().replace(" ", "")[:30]
    if not prefix:
        return []
    found = get_backend().suggest(prefix, limit=limit)
    url = reverse("search:search")
    return [{**item, "url": f"{url}?{urlencode({'q': item['label']})}"} for item in found]


class AutocompleteView(View):
    def get(self, request):
        text = request.GET.get("q", "").replace("\x00", "")
        response = JsonResponse({"query": text[:100], "suggestions": suggestions(text)},
                                json_dumps_params={"ensure_ascii": False})
        response["Cache-Control"] = "public, max-age=60"
        return response
