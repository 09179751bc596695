import pytest

from meetup.broadcasts.sms import segments


@pytest.mark.parametrize(("text", "encoding", "count"), [
    ("", "GSM-7", 0),
    ("a" * 160, "GSM-7", 1),
    ("a" * 161, "GSM-7", 2),
    ("a" * 306, "GSM-7", 2),
    ("a" * 307, "GSM-7", 3),
    ("€" * 80, "GSM-7", 1),  # extension characters take two septets
    ("€" * 81, "GSM-7", 2),
    ("Café @ 8pm, £5 à l'entrée", "GSM-7", 1),
    ("a" * 69 + "😀", "UCS-2", 2),  # an emoji is two UTF-16 units: 71 > 70
    ("ж" * 70, "UCS-2", 1),
    ("ж" * 71, "UCS-2", 2),
    ("ж" * 134, "UCS-2", 2),
    ("ж" * 135, "UCS-2", 3),
    ("“quoted”", "UCS-2", 1),  # curly quotes are not in the GSM alphabet
])
def test_segments_follow_the_gsm7_and_ucs2_limits(text, encoding, count):
    result = segments(text)

    assert (result.encoding, result.count) == (encoding, count)


def test_a_two_septet_character_is_never_split_across_segments():
    # 152 plain characters then an escape pair: 154 septets would fit 2 segments of 153 only by
    # splitting the pair, so the pair starts the second segment.
    text = "a" * 152 + "€" + "a" * 152

    assert segments(text).units == 306
    assert segments(text).count == 3


def test_one_non_gsm_character_switches_the_whole_text_to_ucs2():
    assert segments("a" * 100).count == 1
    assert segments("a" * 100 + "✓").encoding == "UCS-2"
    assert segments("a" * 100 + "✓").count == 2
