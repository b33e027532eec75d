"""The regulator, as witness, cosigns the latest checkpoint once it is consistent with the last."""

from django.core.management.base import BaseCommand, CommandError

from traceability.transparency import checkpoints, merkle


class Command(BaseCommand):
    help = "监管见证：核对最新检查点与上次见证的检查点一致后加签；不一致则拒绝（退出码 1）。"

    def handle(self, *args, **options):
        try:
            result = checkpoints.cosign()
        except (checkpoints.WitnessRefused, merkle.ProofError) as error:
            raise CommandError(f"拒绝见证：{error}") from error
        self.stdout.write(
            f"已见证：{result.checkpoint.size} 条记录（上次见证 {result.previous_size} 条），一致。\n"
        )
        self.stdout.write(checkpoints.published_note(result.checkpoint), ending="")
