from django.utils.translation import gettext as _

from catalog.selectors import top_categories
from search import facets, lexicon
from search import query as query_module
from search.analysis import MAX_QUERY_CHARS
from search.elder_mode import display_settings_url
from search.views.base import ProductListView


class FacetedSearchView(ProductListView):
    """Search results with facets; a search with no results still offers ways on."""

    template_name = "oscar/search/results.html"
    with_facets = True

    def get(self, request, *args, **kwargs):
        self.query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY_CHARS]
        self.filters = facets.filters_from(request.GET)
        return super().get(request, *args, **kwargs)

    def get_text(self) -> str:
        return self.query

    def get_filters(self):
        return self.filters

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        base = facets.base_params(self.query, self.filters)
        parsed = query_module.parse(self.query) if self.query else None
        context.update({
            "query": self.query,
            "facet_groups": facets.groups(self.result, self.filters, base),
            "has_filters": any(v for k, v in base.items() if k != "q"),
            "page_query": facets._url(base)[1:],
            "relaxed": self.result.relaxed,
            "elder_mode_url": display_settings_url() if parsed and parsed.elder_mode else "",
        })
        if not self.result.total:
            context["popular_categories"] = top_categories()
            context["suggestions"] = [s["label"] for s in lexicon.suggest(self.query[:2].lower(), limit=6)] \
                if self.query else []
            context["zero_message"] = _("没有找到“%(q)s”。") % {"q": self.query} if self.query else ""
        return context
