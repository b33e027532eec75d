"""Verify a downloaded proof bundle offline, with only public keys: no database is touched.

Exit status 0 when every record is proved, 1 otherwise (the reason is printed).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from traceability.transparency import bundle, note


def _key_text(value: str) -> str:
    path = Path(value)
    return path.read_text() if len(value) < 4096 and path.is_file() else value


class Command(BaseCommand):
    help = "离线验证批次的透明日志证明文件（只需要日志公钥，可选见证方公钥）。"
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="证明文件（JSON），用 - 表示标准输入")
        parser.add_argument("--key", required=True, help="日志的验证公钥（vkey：名称+哈希+base64，或其文件）")
        parser.add_argument("--witness-key", action="append", default=[], help="见证方验证公钥（可重复）")

    def handle(self, *args, file, key, witness_key, **options):
        import sys

        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"无法读取证明文件：{error}") from error
        try:
            log_key = note.parse_verifier(_key_text(key))
            witnesses = tuple(note.parse_verifier(_key_text(k), algorithm=note.ALG_COSIGNATURE_V1)
                              for k in witness_key)
            result = bundle.verify_bundle(text, log_key=log_key, witness_keys=witnesses)
        except (note.NoteError, bundle.BundleError) as error:
            raise CommandError(f"证明无效：{error}") from error
        events = len(result.events)
        self.stdout.write(
            f"证明有效：批次 {result.lot} 的 {len(result.leaves)} 条记录（其中 {events} 个追溯事件）"
            f"都在日志 {result.checkpoint.origin} 的第 {result.checkpoint.size} 号检查点中，"
            f"根哈希 {result.checkpoint.root_hash.hex()[:16]}…\n"
        )
        for name, timestamp in result.witnessed_at.items():
            self.stdout.write(f"见证方 {name} 已加签（UNIX 时间 {timestamp}）。\n")
