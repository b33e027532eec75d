"""Sign a checkpoint of the transparency log (run from cron, e.g. every few minutes)."""

from django.core.management.base import BaseCommand, CommandError

from traceability.transparency import checkpoints, merkle, note


class Command(BaseCommand):
    help = "为透明日志签署新的检查点（与上一个检查点核对一致后才签）。"

    def handle(self, *args, **options):
        try:
            signed = checkpoints.sign()
        except (merkle.ProofError, note.NoteError) as error:
            raise CommandError(f"拒绝签署检查点：{error}") from error
        self.stdout.write(checkpoints.published_note(signed), ending="")
