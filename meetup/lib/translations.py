"""Compiling the translation catalogues (locale/<lang>/LC_MESSAGES/django.po to .mo).

GNU gettext's msgfmt (through Django's compilemessages) is used where it is installed, as in CI;
otherwise polib writes the same .mo, so `make run`, the Docker image and a bare test run need
nothing beyond Python. The .mo files are build output, never committed."""

import os
import shutil
import tempfile
from pathlib import Path

import polib
from django.conf import settings


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


def compile_with_polib(po: Path) -> None:
    """Write the .mo next to the .po, atomically (parallel test workers may race here). Fuzzy
    entries are left out, as msgfmt does."""
    catalogue = polib.pofile(str(po))
    for entry in catalogue.fuzzy_entries():
        catalogue.remove(entry)
    fd, tmp = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
    os.close(fd)
    try:
        catalogue.save_as_mofile(tmp)
        os.replace(tmp, po.with_suffix(".mo"))
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def has_msgfmt() -> bool:
    return shutil.which("msgfmt") is not None
