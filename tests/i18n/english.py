"""Finding English left on a page rendered in French.

Two nets: (1) every English text marked for translation (the msgids of the French catalogue,
split around their placeholders and tags) that differs from its French, searched as whole words in
the page's visible text (leaving out elements marked `lang` of another language: records such as
audit summaries, kept as they were written); (2) English function words ("the", "your"...) that French never uses,
which also catches text nobody marked. Pages are rendered over French or neutral data, so what is
left is the site's own text."""

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from meetup.lib.translations import read_po

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# Names that stay as they are in every language.
PROPER_NOUNS = ("Open AI Meetups", "Hugging Face Hub", "Hugging Face", "English", "GitHub", "Markdown", "E.164")
ENGLISH_WORDS = {"the", "your", "you", "and", "with", "this", "that", "for", "from", "here", "what", "when", "where",
                 "will", "have", "has", "not", "are", "is", "was", "yet", "been", "their", "they", "our", "we",
                 "of", "to", "by", "or", "be", "it", "no", "any", "all", "who", "how", "can", "may", "should"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%%|<[^>]*>")
EDGES = " \t\n.,:;!?()[]·–—-“”\"'‘’«»…#/|"
VISIBLE_ATTRIBUTES = {"placeholder", "aria-label", "title", "alt"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.other_language: list[str] = []  # the open elements declared in another language (records kept as written)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.other_language:
            if tag == self.other_language[-1]:
                self.other_language.append(tag)
            return
        if attrs.get("lang") and not attrs["lang"].startswith("fr") and tag not in ("html", "option"):
            self.other_language.append(tag)
            return
        if tag in ("script", "style", "template", "code"):  # code: identifiers and commands, not prose
            self.skipping += 1
        for name in VISIBLE_ATTRIBUTES & set(attrs):
            self.parts.append(attrs[name] or "")
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if self.other_language:
            if tag == self.other_language[-1]:
                self.other_language.pop()
            return
        if tag in ("script", "style", "template", "code") and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and not self.other_language:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    text = " ".join(" ".join(parser.parts).split())
    text = re.sub(r"(https?://|/)[^\s]*|\{\w+\}", " ", text)  # addresses, paths and {placeholders}
    for name in PROPER_NOUNS:
        text = text.replace(name, " ")
    return text


@cache
def marked_fragments() -> tuple[str, ...]:
    """English pieces of every msgid whose French differs, at least four characters long."""
    fragments = set()
    for entry in read_po(CATALOGUE):
        if entry.obsolete or not entry.msgid:
            continue
        french = " ".join([entry.msgstr, *entry.msgstr_plural.values()])
        for english in filter(None, (entry.msgid, entry.msgid_plural)):
            for piece in PLACEHOLDER.split(english):
                piece = " ".join(piece.split()).strip(EDGES)
                if len(piece) >= 4 and re.search(r"[A-Za-z]", piece) and piece not in french:
                    fragments.add(piece)
    return tuple(sorted(fragments, key=len, reverse=True))


def english_left(html: str) -> list[str]:
    text = visible_text(html)
    found = [piece for piece in marked_fragments()
             if re.search(r"(?<!\w)" + re.escape(piece) + r"(?!\w)", text)]
    words = {}
    for match in re.finditer(r"\w+", text):
        if match.group().lower() in ENGLISH_WORDS:
            words.setdefault(match.group(), text[max(0, match.start() - 30):match.end() + 30])
    return found + [f"word {w!r} in …{context}…" for w, context in sorted(words.items())]
