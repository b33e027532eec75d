"""Where a page's time goes: pyinstrument over many in-process requests.

    manage.py profile_page /catalogue/<slug>_<pk>/ --requests 300
    manage.py profile_page /basket/add/<pk>/ --post quantity=1 --new-visitor

Runs the whole middleware stack with Django's test client against the configured database
and cache (run it with the bench's settings: DEBUG off, the same DATABASE_URL and
REDIS_URL) and prints the functions that take the most time, flat, as percentages.
"""

import time
from urllib.parse import parse_qsl

from django.core.management.base import BaseCommand, CommandError
from django.test import Client


class Command(BaseCommand):
    help = "Profile one page over many in-process requests (pyinstrument)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--requests", type=int, default=200)
        parser.add_argument("--post", default=None, help="POST this form body (a=1&b=2) instead of GET")
        parser.add_argument("--new-visitor", action="store_true", help="drop cookies before each request")
        parser.add_argument("--top", type=int, default=40, help="lines of the flat profile to print")

    def handle(self, *args, path, requests, post, new_visitor, top, **options):
        try:
            from pyinstrument import Profiler
            from pyinstrument.renderers import ConsoleRenderer
        except ImportError as error:
            raise CommandError("pyinstrument is a dev dependency: pip install -e '.[dev]'") from error
        client = Client()
        data = dict(parse_qsl(post)) if post is not None else None

        def request():
            if new_visitor:
                client.cookies.clear()
            return client.post(path, data) if data is not None else client.get(path)

        for _ in range(3):
            warm = request()
        profiler = Profiler(interval=0.0005)
        started = time.perf_counter()
        profiler.start()
        for _ in range(requests):
            request()
        profiler.stop()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{path}: HTTP {warm.status_code}, "
                          f"{elapsed / requests * 1000:.2f} ms per request over {requests}")
        text = profiler.output(ConsoleRenderer(unicode=True, color=False, flat=True, time="percent_of_total"))
        self.stdout.write("\n".join([line for line in text.splitlines() if line.strip()][: top + 5]))
