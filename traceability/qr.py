"""QR codes of a lot's GS1 Digital Link, and a printable label sheet.

The QR code carries ``SITE_URL + lot.digital_link_path`` (DOMAIN.md §2, GS1 Digital
Link), so any phone camera opens the public trace page. Error correction level M keeps
the code readable when a label is scuffed. The SVG is drawn from segno's module matrix,
so the same drawing serves the web page, the download and the label sheet.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.utils.html import escape

QUIET_ZONE = 4  # modules of white border the QR specification asks for

# The label sheet: A4 in millimetres, 3 × 8 labels of 70 × 37 mm (a common label stock).
PAGE_WIDTH, PAGE_HEIGHT = 210, 297
LABEL_COLUMNS, LABEL_ROWS = 3, 8
LABEL_WIDTH, LABEL_HEIGHT = 70, 37
MAX_LABELS = LABEL_COLUMNS * LABEL_ROWS


def digital_link_url(lot) -> str:
    return settings.SITE_URL + lot.digital_link_path


def _qr(url: str):
    return segno.make(url, error="m", micro=False)


def _module_path(qr) -> tuple[str, int]:
    """An SVG path of the dark modules (one unit per module) and the symbol's width in modules."""
    parts = []
    size = 0
    for y, row in enumerate(qr.matrix_iter(scale=1, border=QUIET_ZONE)):
        row = list(row)
        size = len(row)
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                parts.append(f"M{start} {y}h{x - start}v1h{start - x}z")
            else:
                x += 1
    return "".join(parts), size


def qr_svg(url: str, *, title: str, pixels: int = 240, standalone: bool = False) -> str:
    """The QR code as SVG with a text alternative; ``standalone`` adds what a .svg file needs."""
    path, size = _module_path(_qr(url))
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if standalone else ""
    return (
        f'{head}<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{pixels}" height="{pixels}" role="img" aria-label="{escape(title)}" '
        f'shape-rendering="crispEdges" class="trace-qr">'
        f"<title>{escape(title)}</title>"
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{path}"/></svg>'
    )


def lot_qr_svg(lot, *, pixels: int = 240, standalone: bool = False) -> str:
    url = digital_link_url(lot)
    return qr_svg(url, title=f"追溯二维码：{lot.code}，扫码打开 {url}", pixels=pixels, standalone=standalone)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(x: float, y: float, size: float, text: str, *, max_width: float, bold: bool = False) -> str:
    """One line of label text, squeezed to ``max_width`` mm if it would run over (SVG textLength)."""
    wide = sum(1.0 if ord(char) > 0x2E80 else 0.6 for char in text) * size
    fit = f' textLength="{max_width}" lengthAdjust="spacingAndGlyphs"' if wide > max_width else ""
    weight = ' font-weight="bold"' if bold else ""
    return f'<text x="{x}" y="{y}" font-size="{size}"{weight}{fit}>{escape(text)}</text>'


def label_sheet_svg(lot, *, count: int = MAX_LABELS) -> str:
    """An A4 sheet of ``count`` labels, each with the QR code, product name, lot code and link."""
    count = max(1, min(int(count), MAX_LABELS))
    url = digital_link_url(lot)
    path, size = _module_path(_qr(url))
    qr_mm = 29
    scale = qr_mm / size
    text_x = qr_mm + 3
    text_width = LABEL_WIDTH - text_x - 2
    code = escape(lot.code)
    body = (
        _text(text_x, 8, 3.6, _shorten(lot.product.get_title(), 14), max_width=text_width, bold=True)
        + _text(text_x, 14, 2.6, "追溯码", max_width=text_width)
        + _text(text_x, 18, 2.8, lot.code, max_width=text_width)
        + _text(text_x, 26, 2.6, "扫码查看来源与检验", max_width=text_width)
        + _text(2, 35, 2.2, url, max_width=LABEL_WIDTH - 4)
    )
    margin_x = (PAGE_WIDTH - LABEL_COLUMNS * LABEL_WIDTH) / 2
    margin_y = (PAGE_HEIGHT - LABEL_ROWS * LABEL_HEIGHT) / 2
    labels = []
    for index in range(count):
        column, row = index % LABEL_COLUMNS, index // LABEL_COLUMNS
        x = margin_x + column * LABEL_WIDTH
        y = margin_y + row * LABEL_HEIGHT
        labels.append(
            f'<g transform="translate({x:.2f} {y:.2f})">'
            f'<rect x="0.5" y="0.5" width="{LABEL_WIDTH - 1}" height="{LABEL_HEIGHT - 1}" rx="2" '
            f'fill="none" stroke="#999" stroke-width="0.2" stroke-dasharray="1 1"/>'
            f'<g transform="translate(2 1.5) scale({scale:.5f})"><path fill="#000" d="{path}"/></g>'
            f"{body}</g>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{PAGE_WIDTH}mm" height="{PAGE_HEIGHT}mm" '
        f'viewBox="0 0 {PAGE_WIDTH} {PAGE_HEIGHT}" font-family="sans-serif" role="img" '
        f'aria-label="{code} 追溯标签 {count} 张">'
        f"<title>{code} 追溯标签</title>"
        f'<rect width="{PAGE_WIDTH}" height="{PAGE_HEIGHT}" fill="#fff"/>'
        + "".join(labels)
        + "</svg>"
    )
