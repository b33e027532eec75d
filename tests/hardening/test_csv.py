"""Class 5: every CSV cell that a spreadsheet would run as a formula is neutralised."""

import csv
import io

import pytest

from marketplace.csv_safe import safe_cell, writer


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1+A1", "@SUM(A1)", "\t=1", "\r=1", "＝1+1", " =1", "=cmd|'/c calc'!A0"])
def test_formula_starts_get_a_leading_apostrophe(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["人参", "L-1", "06901234567892-L1", "", 5, -5, None])
def test_plain_values_are_unchanged(value):
    assert safe_cell(value) == value


def test_the_writer_escapes_every_cell():
    out = io.StringIO()
    writer(out).writerow(["=1", "ok", "@x"])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'=1", "ok", "'@x"]]


def test_no_csv_writer_bypasses_the_safe_writer():
    """Every module that writes CSV goes through marketplace.csv_safe (found by reading the source)."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.glob("**/*.py"):
        if any(part in (".venv", "tests", "node_modules") for part in path.parts) or path.name == "csv_safe.py":
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        if "csv.writer(" in text or "csv.DictWriter(" in text:
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
