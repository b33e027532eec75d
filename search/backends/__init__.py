"""Which backend answers: Elasticsearch when ``ELASTICSEARCH_URL`` is set, else the database.

When Elasticsearch fails, the database backend answers instead and the failure is
logged; Elasticsearch is not asked again for ``RETRY_SECONDS`` in that process, so a
dead cluster does not cost every request a timeout.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings

from search.backends.base import SearchRequest, SearchResult
from search.backends.database import DatabaseBackend

logger = logging.getLogger("search")
RETRY_SECONDS = 30.0
_down = {"until": 0.0}


def elasticsearch_configured() -> bool:
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


def note_elasticsearch_down(error: Exception) -> None:
    _down["until"] = time.monotonic() + RETRY_SECONDS
    logger.warning("Elasticsearch unavailable (%s: %s); searching the database instead",
                   error.__class__.__name__, error)


def elasticsearch_up() -> bool:
    return time.monotonic() >= _down["until"]


def reset() -> None:
    _down["until"] = 0.0


class FallbackBackend:
    """Elasticsearch first, the database when Elasticsearch cannot answer."""

    name = "elasticsearch"

    def __init__(self):
        from search.backends.elastic import ElasticsearchBackend

        self.primary = ElasticsearchBackend()
        self.fallback = DatabaseBackend()

    def _call(self, method: str, *args, **kwargs):
        if elasticsearch_up():
            try:
                return getattr(self.primary, method)(*args, **kwargs)
            except Exception as error:  # noqa: BLE001 - any transport or API failure: answer from the database
                note_elasticsearch_down(error)
        return getattr(self.fallback, method)(*args, **kwargs)

    def search(self, request: SearchRequest) -> SearchResult:
        return self._call("search", request)

    def suggest(self, prefix: str, *, limit: int = 8) -> list[dict]:
        return self._call("suggest", prefix, limit=limit)


def get_backend(name: str | None = None):
    name = name or ("elasticsearch" if elasticsearch_configured() else "database")
    if name == "elasticsearch":
        return FallbackBackend()
    return DatabaseBackend()
