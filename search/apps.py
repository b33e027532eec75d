import oscar.apps.search.apps as apps
from django.urls import path


class SearchConfig(apps.SearchConfig):
    name = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        super().ready()
        from search import indexing

        indexing.watch_models()

    def get_urls(self):
        from search.views import AutocompleteView

        return [
            *super().get_urls(),
            *self.post_process_urls([path("suggest/", AutocompleteView.as_view(), name="suggest")]),
        ]
