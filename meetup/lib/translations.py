"""The translation catalogues (locale/<lang>/LC_MESSAGES/django.po) and their compiled .mo files.

GNU gettext's msgfmt (through Django's compilemessages) compiles them where it is installed, as in
CI; otherwise the small reader and writer here do, so `make run`, the Docker image and a bare test
run need nothing beyond Python. The .mo files are build output, never committed. The tests read
the catalogues through `read_po` too (tests/i18n)."""

import ast
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings


@dataclass
class Entry:
    msgid: str = ""
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        if self.msgid_plural:
            return bool(self.msgstr_plural) and all(self.msgstr_plural.values())
        return bool(self.msgstr)


def read_po(path) -> list[Entry]:
    """The entries of a .po file as makemessages writes it (entries separated by blank lines), the
    header (msgid "") first."""
    entries = []
    for block in Path(path).read_text(encoding="utf-8").split("\n\n"):
        entry, target, index = Entry(), None, 0
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#~"):
                entry.obsolete, line = True, line[2:].strip()
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
                continue
            if not line or line.startswith("#"):
                continue
            if line.startswith('"'):
                value = ast.literal_eval(line)
                if target == "msgstr_plural":
                    entry.msgstr_plural[index] += value
                elif target:
                    setattr(entry, target, getattr(entry, target) + value)
                continue
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if keyword.startswith("msgstr["):
                index, target = int(keyword[7:-1]), "msgstr_plural"
                entry.msgstr_plural[index] = value
            elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
                target = keyword
                setattr(entry, keyword, value)
        if target is not None:
            entries.append(entry)
    return entries


def write_mo(entries: list[Entry], path) -> None:
    """A GNU .mo file (no hash table) of the translated, non-fuzzy entries; written atomically, as
    parallel test workers may race here."""
    messages = {}
    for entry in entries:
        if entry.obsolete or (entry.fuzzy and entry.msgid) or not (entry.translated or entry.msgid == ""):
            continue
        key = entry.msgid
        if entry.msgid_plural:
            key += "\0" + entry.msgid_plural
        if entry.msgctxt is not None:
            key = entry.msgctxt + "\x04" + key
        value = "\0".join(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)) if entry.msgid_plural \
            else entry.msgstr
        messages[key.encode()] = value.encode()
    keys = sorted(messages)
    ids = b"".join(k + b"\0" for k in keys)
    strs = b"".join(messages[k] + b"\0" for k in keys)
    start = 7 * 4 + 16 * len(keys)
    key_table, value_table, offset = [], [], 0
    for k in keys:
        key_table += [len(k), start + offset]
        offset += len(k) + 1
    offset = 0
    for k in keys:
        value_table += [len(messages[k]), start + len(ids) + offset]
        offset += len(messages[k]) + 1
    data = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    data += struct.pack(f"{len(key_table)}i", *key_table) + struct.pack(f"{len(value_table)}i", *value_table)
    data += ids + strs
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".mo.tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
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
    write_mo(read_po(po), po.with_suffix(".mo"))


def has_msgfmt() -> bool:
    return shutil.which("msgfmt") is not None
