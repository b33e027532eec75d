"""The one parser for codes people type or scan: GTINs and lot codes.

Every view, form, service, command and export reads a GTIN or a lot code through these
functions, so a look-alike spelling can never reach a different lot than the canonical one
and a strange character can never reach ``int()``.

The rule, decided once:

* The text is NFKC-normalised first. NFKC folds compatibility characters onto ASCII:
  full-width digits and letters (``１２３`` from a Chinese input method), superscripts
  (``²``) and full-width hyphens become ``123``, ``2`` and ``-``. Those spellings therefore
  name the same lot as the ASCII code, never a different one.
* Hyphen look-alikes that NFKC keeps (‐ ‑ ‒ – — −) become ``-``; spaces are removed, since
  printed barcodes group their digits; letters are upper-cased (lot numbers are stored
  upper-case).
* After that, only ASCII is accepted. Digits NFKC does not map (Arabic-Indic ``٣``,
  Devanagari ``३``…) are rejected: ``str.isdigit()`` says True for them and ``int()``
  would read them, which is how a code of foreign digits used to reach the database.
"""

import re
import unicodedata

_HYPHENS = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-")
_SPACES = re.compile(r"\s+")
GTIN_PATTERN = re.compile(r"[0-9]{8}|[0-9]{12,14}", re.ASCII)
LOT_NUMBER_PATTERN = re.compile(r"[0-9A-Z\-._]{1,20}", re.ASCII)
MAX_CODE_LENGTH = 64  # a GTIN-14, a separator and a 20-character lot number, with room for "(01)…(10)"
_ELEMENT_STRING = re.compile(r"\(01\)([0-9]{14})\(10\)(.+)", re.ASCII)


def gtin_check_digit(body: str) -> int:
    """Check digit for the ASCII digits before it: weights 3,1,3,… from the right."""
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def normalise_code(value) -> str:
    """The canonical spelling of a typed or scanned code (NFKC, no spaces, upper-case).

    The result may still contain non-ASCII characters; the parsers below reject those.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)[: MAX_CODE_LENGTH * 4])
    text = text.translate(_HYPHENS)
    return _SPACES.sub("", text).upper()


def parse_gtin(value) -> str | None:
    """The GTIN-14 for a GTIN-8/12/13/14 with a correct check digit, or None."""
    digits = normalise_code(value)
    if not GTIN_PATTERN.fullmatch(digits):
        return None
    if gtin_check_digit(digits[:-1]) != int(digits[-1]):
        return None
    return digits.zfill(14)


def parse_lot_number(value) -> str | None:
    """The canonical lot number (GS1 AI 10, our URL-safe subset), or None."""
    lot_number = normalise_code(value)
    return lot_number if LOT_NUMBER_PATTERN.fullmatch(lot_number) else None


def parse_lot_code(code) -> tuple[str, str] | None:
    """``(gtin14, lot_number)`` for a printed lot code, or None.

    Accepts ``<GTIN>-<lot number>`` (the code on our labels and in ``/trace/<code>/``; the
    lot number may itself contain ``-``) and the GS1 element string ``(01)<GTIN>(10)<lot>``.
    """
    text = normalise_code(code)
    if len(text) > MAX_CODE_LENGTH:
        return None
    element = _ELEMENT_STRING.fullmatch(text)
    if element:
        gtin_part, lot_part = element.groups()
    else:
        gtin_part, separator, lot_part = text.partition("-")
        if not separator:
            return None
    gtin14 = parse_gtin(gtin_part)
    lot_number = parse_lot_number(lot_part)
    if gtin14 is None or lot_number is None:
        return None
    return gtin14, lot_number


def format_lot_code(*, gtin: str, lot_number: str) -> str:
    return f"{gtin}-{lot_number}"
