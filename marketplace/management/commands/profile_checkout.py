"""What one order costs the server: each request of a guest purchase, in-process.

    manage.py profile_checkout --orders 40

Buys one unit at a time round the sellable products the bench buys, as a new guest paying cash
on delivery, with Django's test client against the configured database and cache (run it with
the bench's settings: DEBUG off, the same DATABASE_URL and REDIS_URL). Prints each step's
median and mean milliseconds and SQL statements, and the totals per order. It places real
orders: use a bench database.
"""

import statistics

from django.core.management.base import BaseCommand, CommandError

from marketplace.bench import checkout
from marketplace.bench.pages import PageContext


class Command(BaseCommand):
    help = "Time each request of a guest purchase in-process, with its SQL count (places real orders)."

    def add_arguments(self, parser):
        parser.add_argument("--orders", type=int, default=40)

    def handle(self, *args, orders, **options):
        product_ids = PageContext().sellable_product_ids
        if not product_ids:
            raise CommandError("no product can be bought: seed_bench first")
        from marketplace.bench.runner import product_path

        timings = checkout.in_process({pk: product_path(pk) for pk in product_ids}, orders=orders)
        self.stdout.write(f"{'step':26s} {'median ms':>10s} {'mean ms':>8s} {'SQL':>4s}")
        for step, (times, counts) in timings.items():
            self.stdout.write(f"{step:26s} {statistics.median(times):10.1f} {statistics.mean(times):8.1f} "
                              f"{statistics.median_low(counts):4d}")
        total = sum(statistics.mean(times) for times, _ in timings.values())
        statements = sum(statistics.median_low(counts) for _, counts in timings.values())
        self.stdout.write(f"{'one order':26s} {'':>10s} {total:8.1f} {statements:4d}  ({orders} orders)")
