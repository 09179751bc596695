"""Printable name badges (PDF, reportlab): name, pronouns, Hub handle, event and the signed ticket QR.

Layouts for common label stock: Avery 5392 (six 4x3 in badges on US Letter) and A6 (one per page).
Names in any script print where the machine has a font for it: DejaVu Sans (Latin, Greek, Cyrillic,
Arabic, Hebrew) then Droid Sans Fallback (CJK); both come from Debian packages the Dockerfile installs.
Arabic and Hebrew are shaped and put in visual order (arabic-reshaper, python-bidi) since the PDF
draws glyphs as given. Characters no font covers (emoji) are dropped rather than printed as empty boxes.
"""

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import arabic_reshaper
import segno
from bidi import get_display
from reportlab.lib.pagesizes import A6, letter
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from meetup.events import signing

FONT_FILES = [
    ("BadgeSans", ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"]),
    ("BadgeSansBold", ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"]),
    ("BadgeCJK", ["/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
                  "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"]),
]


@dataclass(frozen=True)
class Layout:
    page: tuple[float, float]
    badge: tuple[float, float]
    columns: int
    rows: int
    margin: tuple[float, float]  # left, top


LAYOUTS = {
    "avery5392": Layout(page=letter, badge=(4 * inch, 3 * inch), columns=2, rows=3, margin=(0.25 * inch, 1 * inch)),
    "a6": Layout(page=A6, badge=A6, columns=1, rows=1, margin=(0, 0)),
}


@cache
def _fonts() -> tuple[list[str], list[str]]:
    """Registered (regular, bold) font names in fallback order; Helvetica when none is installed."""
    registered = {}
    for name, paths in FONT_FILES:
        for path in paths:
            if Path(path).exists():
                pdfmetrics.registerFont(TTFont(name, path))
                registered[name] = True
                break
    regular = [n for n in ("BadgeSans", "BadgeCJK") if n in registered] or ["Helvetica"]
    bold = [n for n in ("BadgeSansBold", "BadgeCJK") if n in registered] or ["Helvetica-Bold"]
    return regular, bold


def _covers(font: str, char: str) -> bool:
    face = getattr(pdfmetrics.getFont(font), "face", None)
    if face is None:  # a standard font: Latin-1 only
        return ord(char) < 256
    return ord(char) in face.charToGlyph


def visual(text: str) -> str:
    """Right-to-left scripts in drawing order with their letters joined (Arabic presentation forms):
    the PDF draws glyphs left to right as given."""
    if any("\u0590" <= char <= "\u08ff" for char in text):
        return get_display(arabic_reshaper.reshape(text))
    return text


def runs(text: str, fonts: list[str]) -> list[tuple[str, str]]:
    """Split text into (font, chunk) runs, each character in the first font that has it; characters
    no font has (emoji, symbols) are dropped, and so are the joiners and selectors that came with them."""
    out: list[tuple[str, str]] = []
    placed = [(char, next((f for f in fonts if _covers(f, char)), None)) for char in visual(text)
              if char not in "\u200d\ufe0f\ufe0e" and ord(char) >= 32]
    kept = " ".join("".join(char for char, font in placed if font).split())  # no gap where an emoji was
    fonts_of = dict(placed)
    for char in kept:
        font = fonts_of.get(char) or fonts[0]
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + char)
        else:
            out.append((font, char))
    # Nothing left (a name of emoji only) would be an empty badge: "?" says a name is missing.
    return out or [(fonts[0], "?")]


def _width(parts, size) -> float:
    return sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in parts)


def _line(canvas: Canvas, text: str, fonts: list[str], *, x: float, y: float, size: float, max_width: float):
    parts = runs(text, fonts)
    while size > 7 and _width(parts, size) > max_width:
        size -= 1
    for font, chunk in parts:
        canvas.setFont(font, size)
        canvas.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, font, size)


def _qr(canvas: Canvas, code: str, *, x: float, y: float, size: float):
    qr = segno.make(code, error="m")
    matrix = list(qr.matrix_iter(border=2))
    cell = size / len(matrix)
    canvas.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(x + c * cell, y + size - (r + 1) * cell, cell, cell, stroke=0, fill=1)


def _badge(canvas: Canvas, rsvp, *, x: float, y: float, width: float, height: float):
    regular, bold = _fonts()
    user = rsvp.user
    pad = 0.2 * inch
    qr_size = min(height * 0.55, width * 0.4)
    text_width = width - 3 * pad - qr_size
    canvas.setStrokeColorRGB(0.8, 0.8, 0.8)
    canvas.rect(x, y, width, height, stroke=1, fill=0)
    canvas.setFillColorRGB(0.1, 0.12, 0.14)
    top = y + height - pad
    _line(canvas, rsvp.event.title, regular, x=x + pad, y=top - 10, size=10, max_width=width - 2 * pad)
    _line(canvas, user.public_name, bold, x=x + pad, y=y + height * 0.5, size=26, max_width=text_width)
    extra = [t for t in (getattr(user, "pronouns", ""), _hub_handle(user)) if t]
    for i, text in enumerate(extra):
        _line(canvas, text, regular, x=x + pad, y=y + height * 0.5 - 20 - 15 * i, size=12, max_width=text_width)
    _qr(canvas, signing.ticket_code(rsvp), x=x + width - pad - qr_size, y=y + pad, size=qr_size)


def _hub_handle(user) -> str:
    handle = getattr(user, "hub_username", "") or getattr(user, "hub_handle", "")
    return f"hf.co/{handle}" if handle else ""


def badges_pdf(rsvps, *, layout: str = "avery5392") -> bytes:
    """One badge per RSVP, laid out for `layout` (see LAYOUTS), as PDF bytes."""
    spec = LAYOUTS[layout]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=spec.page, pageCompression=1)
    canvas.setTitle("Badges")
    per_page = spec.columns * spec.rows
    width, height = spec.badge
    for i, rsvp in enumerate(rsvps):
        if i and i % per_page == 0:
            canvas.showPage()
        slot = i % per_page
        column, row = slot % spec.columns, slot // spec.columns
        x = spec.margin[0] + column * width
        y = spec.page[1] - spec.margin[1] - (row + 1) * height
        _badge(canvas, rsvp, x=x, y=y, width=width, height=height)
    if not rsvps:
        canvas.setFont("Helvetica", 12)
        canvas.drawString(72, spec.page[1] - 72, "No badges to print.")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
