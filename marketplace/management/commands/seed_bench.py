"""``manage.py seed_bench --products 100000``: a large, purchasable catalogue for load tests."""

from django.core.management.base import BaseCommand

from marketplace.demo.bulk import seed_bench


class Command(BaseCommand):
    help = "批量写入压测商品（再次运行会补足到指定数量）。Bulk-create a benchmark catalogue; tops up on re-runs."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=100_000, help="压测商品总数 / total bench products")

    def handle(self, *args, products, **options):
        result = seed_bench(products=products, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(
            f"created {result['created']}, bench total {result['total']}, "
            f"sample chains verified {result['verified_sample']}, {result['seconds']} s"
        ))
