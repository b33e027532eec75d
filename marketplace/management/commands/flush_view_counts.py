from django.core.management.base import BaseCommand

from marketplace.view_counts import flush_view_counts


class Command(BaseCommand):
    help = "把缓存中累计的商品浏览次数批量写入数据库（建议每分钟由 cron 运行）。"

    def handle(self, *args, **options):
        updated = flush_view_counts()
        self.stdout.write(f"已更新 {updated} 个商品的浏览次数。")
