"""Give pending records their place in the transparency log (run from cron, e.g. every minute).

Records are normally integrated right after their transaction commits; this is the backstop
for one whose after-commit attempt found another integrator busy (see ``log``).
"""

from django.core.management.base import BaseCommand

from traceability.transparency import log


class Command(BaseCommand):
    help = "把已收到、尚未写入透明日志的记录写入日志（分配序号）。"

    def handle(self, *args, **options):
        count = log.integrate()
        self.stdout.write(f"已写入 {count} 条记录；日志共 {log.tree_size()} 条，待写入 {log.pending_count()} 条。")
