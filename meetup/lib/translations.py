"""The translation catalogues (locale/<lang>/LC_MESSAGES/django.po) and their compiled .mo files.

GNU gettext's msgfmt (through Django's compilemessages) compiles them where it is installed, as in
CI; otherwise polib does, so `make run`, the Docker image and a bare test run need nothing beyond
Python. The .mo files are build output, never committed. The tests read
the catalogues through `read_po` too (tests/i18n)."""

import os
import shutil
import tempfile
from pathlib import Path

import polib
from django.conf import settings


def read_po(path) -> list[polib.POEntry]:
    """The entries of a catalogue, its header (msgid "") first; obsolete ones flagged `obsolete`."""
    catalogue = polib.pofile(str(path))
    return [catalogue.metadata_as_entry(), *catalogue]


def write_mo(po_path, mo_path) -> None:
    """Compile a catalogue (its translated, non-fuzzy entries) to a .mo file, atomically: parallel
    test workers may race here."""
    mo_path = Path(mo_path)
    fd, tmp = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
    os.close(fd)
    try:
        polib.pofile(str(po_path)).save_as_mofile(tmp)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide it from the unprivileged user that serves it
        os.replace(tmp, mo_path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def catalogues() -> list[Path]:
    return sorted(p for base in settings.LOCALE_PATHS for p in Path(base).glob("*/LC_MESSAGES/*.po"))


def stale_catalogues() -> list[Path]:
    """Those whose .mo is missing or older than the .po."""
    stale = []
    for po in catalogues():
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            stale.append(po)
    return stale


def compile_catalogue(po: Path) -> None:
    write_mo(po, po.with_suffix(".mo"))


def has_msgfmt() -> bool:
    return shutil.which("msgfmt") is not None
