"""Badges: a PDF for one person or many, names in any script, and a QR that decodes to the signed ticket."""

import shutil
import subprocess

import pytest

from meetup.events import badges, signing
from meetup.events.models import RSVP
from tests.factories import RSVPFactory, UserFactory

NAMES = ["山田 太郎", "محمد الأحمد", "Zoë 🚀 Ng", "🎉🎉", "Ada Lovelace"]


@pytest.fixture
def people(event):
    return [RSVPFactory(event=event, user=UserFactory(display_name=name)) for name in NAMES]


def render_pages(pdf: bytes, tmp_path) -> list:
    from PIL import Image

    (tmp_path / "badges.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(tmp_path / "badges.pdf"), str(tmp_path / "page")], check=True)
    return [Image.open(p) for p in sorted(tmp_path.glob("page*.png"))]


def pdf_text(pdf: bytes, tmp_path) -> str:
    (tmp_path / "t.pdf").write_bytes(pdf)
    return subprocess.run(["pdftotext", str(tmp_path / "t.pdf"), "-"], check=True, capture_output=True,
                          text=True).stdout


needs_poppler = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils (pdftoppm)")


def test_arabic_is_shaped_and_in_drawing_order():
    assert badges.visual("محمد") == "ﺪﻤﺤﻣ"
    assert badges.visual("Ada") == "Ada"


def test_names_are_split_over_fonts_and_emoji_are_dropped():
    regular, _ = badges._fonts()

    assert "".join(chunk for _, chunk in badges.runs("Zoë 🚀 Ng", regular)) == "Zoë Ng"
    assert badges.runs("🎉🎉", regular)[0][1] == "?"
    if "BadgeCJK" in regular:
        assert {font for font, _ in badges.runs("山田 Taro", regular)} == {"BadgeSans", "BadgeCJK"}


@needs_poppler
def test_badges_print_non_latin_names_and_their_qr_decodes_to_the_signed_ticket(event, people, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    pdf = badges.badges_pdf(people, layout="avery5392")

    pages = render_pages(pdf, tmp_path)

    assert len(pages) == 1  # five badges, six to a sheet
    found = {r.text for r in zxingcpp.read_barcodes(pages[0]) if r.format == zxingcpp.BarcodeFormat.QRCode}
    assert found == {signing.ticket_code(p) for p in people}
    assert all(signing.verify(event, code).rsvp_id for code in found)
    text = pdf_text(pdf, tmp_path)
    assert "Ada Lovelace" in text and "Zoë" in text and "🚀" not in text
    if "BadgeCJK" in badges._fonts()[0]:
        assert "山田" in text
    assert "ﻣﺤﻤﺪ" in text  # joined presentation forms (pdftotext gives them back in reading order)


@needs_poppler
def test_a6_badges_are_one_per_page(event, people, tmp_path):
    pages = render_pages(badges.badges_pdf(people[:2], layout="a6"), tmp_path)

    assert len(pages) == 2


def test_the_api_prints_one_badge_for_the_door_or_everyone_going_for_organisers(api, organiser, event, people):
    RSVP.objects.filter(pk=people[-1].pk).update(status="cancelled")

    one = api(organiser).get(f"/api/events/{event.slug}/badges.pdf?rsvp={people[0].pk}&layout=a6")
    everyone = api(organiser).get(f"/api/events/{event.slug}/badges.pdf")

    assert one.status_code == 200 and one.content.startswith(b"%PDF")
    assert everyone.status_code == 200 and everyone.content.startswith(b"%PDF")
