"""Verify a proof bundle with nothing but Python, ``cryptography`` and the public keys.

    python -m traceability.transparency.offline proof.json --key 'shop.example.cn/tlog+…' \\
        [--witness-key 'samr.jl.example/witness+…']

Imports no Django and opens no database: a regulator or a shopper can run it anywhere.
``manage.py verify_proof`` does the same inside the project.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from traceability.transparency import bundle, note


def _key_text(value: str) -> str:
    path = Path(value)
    return path.read_text() if len(value) < 4096 and path.is_file() else value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="离线验证透明日志证明文件")
    parser.add_argument("file")
    parser.add_argument("--key", required=True)
    parser.add_argument("--witness-key", action="append", default=[])
    args = parser.parse_args(argv)
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
        log_key = note.parse_verifier(_key_text(args.key))
        witnesses = tuple(note.parse_verifier(_key_text(k), algorithm=note.ALG_COSIGNATURE_V1)
                          for k in args.witness_key)
        result = bundle.verify_bundle(text, log_key=log_key, witness_keys=witnesses)
    except (OSError, note.NoteError, bundle.BundleError) as error:
        print(f"证明无效：{error}", file=sys.stderr)
        return 1
    print(f"证明有效：批次 {result.lot} 的 {len(result.leaves)} 条记录（其中 {len(result.events)} 个追溯事件）"
          f"都在日志 {result.checkpoint.origin} 的第 {result.checkpoint.size} 号检查点中。")
    for name, timestamp in result.witnessed_at.items():
        print(f"见证方 {name} 已加签（UNIX 时间 {timestamp}）。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
