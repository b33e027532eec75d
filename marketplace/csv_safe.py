"""CSV that a spreadsheet opens as data, never as formulas (CSV/formula injection).

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run
as a formula by Excel, WPS and LibreOffice; a merchant could plant one in a product title
or an event's place and have it run on a regulator's machine. Such cells get a leading
apostrophe, which the spreadsheet shows as text (OWASP's advice). Every CSV writer in the
project uses ``writer()`` below.
"""

from __future__ import annotations

import csv
import unicodedata

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value, neutralised if it is text a spreadsheet would run as a formula."""
    if not isinstance(value, str) or not value:
        return value
    # Full-width ＝＋－＠ fold to ASCII under NFKC; some spreadsheets fold them too.
    first = unicodedata.normalize("NFKC", value.lstrip(" ")[:1]) if value.lstrip(" ") else ""
    if value[0] in FORMULA_STARTS or first in FORMULA_STARTS:
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` whose rows pass through ``safe_cell``."""

    def __init__(self, fileobj, **kwargs):
        self._writer = csv.writer(fileobj, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(fileobj, **kwargs) -> SafeWriter:
    return SafeWriter(fileobj, **kwargs)
