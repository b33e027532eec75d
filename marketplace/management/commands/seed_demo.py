"""``manage.py seed_demo``: write the demo catalogue, merchants, lots and pages (see marketplace/demo/)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from marketplace.demo.accounts import DEMO_PASSWORD
from marketplace.demo.seed import seed_demo


class Command(BaseCommand):
    help = "写入演示数据（可重复运行，已有数据不会改动）。Seed the demo data; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--no-images", action="store_true", help="不生成商品图片 / skip product pictures")

    def handle(self, *args, no_images=False, **options):
        started = time.monotonic()
        report = seed_demo(demo_mode=settings.DEMO_MODE, with_images=not no_images)
        created = {what: count for what, count in sorted(report.created.items()) if count}
        if created:
            for what, count in created.items():
                self.stdout.write(f"  {what}: {count}")
        else:
            self.stdout.write("演示数据已存在，没有改动。Demo data already present; nothing changed.")
        for code in report.broken_lots:
            self.stdout.write(f"  追溯链已损坏（演示用）/ deliberately broken chain: {code}")
        if settings.DEMO_MODE:
            self.stdout.write(f"演示账号（密码 {DEMO_PASSWORD}）/ demo logins (password {DEMO_PASSWORD}):")
            for email, role in report.logins:
                self.stdout.write(f"  {email:32} {role}")
        self.stdout.write(self.style.SUCCESS(f"完成 / done in {time.monotonic() - started:.1f} s"))
