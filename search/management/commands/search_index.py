"""``manage.py search_index rebuild|update``: write the search index from the catalogue."""

import time

from django.core.management.base import BaseCommand, CommandError

from search import backends, indexing
from search.documents import indexable


class Command(BaseCommand):
    help = ("rebuild: rewrite every document (and, with ELASTICSEARCH_URL, fill a new Elasticsearch index and "
            "switch the alias to it). update: rewrite the documents of products changed since --since minutes "
            "ago, or all of them, and push them to Elasticsearch.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "update"])
        parser.add_argument("--since", type=int, default=None, help="update: only products changed in the last N minutes")
        parser.add_argument("--no-elasticsearch", action="store_true", help="only the database table")

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        if done >= total:
            self.stderr.write("")

    def handle(self, *args, action, since, no_elasticsearch, **options):
        started = time.monotonic()
        if action == "rebuild":
            written = indexing.rebuild(progress=self._progress)
        else:
            products = indexable()
            if since is not None:
                from datetime import timedelta

                from django.utils import timezone

                products = products.filter(date_updated__gte=timezone.now() - timedelta(minutes=since))
            ids = list(products.order_by("pk").values_list("pk", flat=True))
            written = 0
            for start in range(0, len(ids), indexing.CHUNK):
                written += indexing.update(ids[start:start + indexing.CHUNK], push=False)
                self._progress(min(start + indexing.CHUNK, len(ids)), len(ids))
        self.stdout.write(f"{written} documents written to the database index in {time.monotonic() - started:.1f} s")
        if backends.elasticsearch_configured() and not no_elasticsearch:
            self._elasticsearch(action)

    def _elasticsearch(self, action: str) -> None:
        from search.backends import elastic
        from search.documents import build_documents

        ids = list(indexable().order_by("pk").values_list("pk", flat=True))
        batches = (build_documents(ids[i:i + indexing.CHUNK]) for i in range(0, len(ids), indexing.CHUNK))
        done = {"n": 0}

        def on_batch(n):
            done["n"] += n
            self._progress(done["n"], len(ids))

        try:
            if action == "rebuild":
                started = time.time()
                name = elastic.create_and_switch(batches, on_batch=on_batch)
                self._catch_up(started)
                self.stdout.write(f"Elasticsearch: alias {elastic.alias_name()} now points at {name}")
            else:
                for batch in batches:
                    elastic.index_documents(batch)
                    on_batch(len(batch))
                self.stdout.write("Elasticsearch: documents updated")
        except Exception as error:  # noqa: BLE001
            raise CommandError(f"Elasticsearch failed: {error.__class__.__name__}: {error}") from error

    def _catch_up(self, since_epoch: float) -> None:
        """Documents written while the new index filled went to the old one: write them again."""
        from datetime import UTC, datetime

        from search.backends import elastic
        from search.documents import build_documents
        from search.models import SearchDocument

        changed = list(SearchDocument.objects.filter(
            updated_at__gte=datetime.fromtimestamp(since_epoch, tz=UTC)).values_list("product_id", flat=True))
        if changed:
            elastic.index_documents(build_documents(changed))
