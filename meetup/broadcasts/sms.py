"""SMS length in segments: what a text costs and how long it takes to send.

A text that fits the GSM 03.38 alphabet is GSM-7: 160 characters in one segment, 153 per segment
when split (the rest carries the join header); characters from the extension table take two. One
character outside it switches the whole text to UCS-2: 70 in one segment, 67 per segment, counted
in UTF-16 code units (an emoji takes two). A character is never split across two segments.
"""

from dataclasses import dataclass

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class Segments:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    count: int
    per_segment: int


def segments(text: str) -> Segments:
    if all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text):
        sizes = [2 if ch in GSM_EXTENDED else 1 for ch in text]
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        sizes = [len(ch.encode("utf-16-le")) // 2 for ch in text]
        single, multi, encoding = 70, 67, "UCS-2"
    units = sum(sizes)
    if units == 0:
        return Segments(encoding, 0, 0, single)
    if units <= single:
        return Segments(encoding, units, 1, single)
    count, used = 1, 0
    for size in sizes:
        if used + size > multi:
            count, used = count + 1, 0
        used += size
    return Segments(encoding, units, count, multi)
