"""Every email template, rendered in French in each of its variants over French data, has no English
left from the site's own text (see tests/i18n/english.py). The outbox renders them inside the
recipient's language (tests/broadcasts/test_recipient_language.py sends some for real)."""

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tests.i18n.english import english_left

EMAILS = Path(__file__).resolve().parents[2] / "templates" / "emails"
NAMES = sorted({p.name.rsplit("-", 1)[0] for p in EMAILS.glob("*-body.txt")})


class Thing:
    """A record with French-looking values: named attributes as given, anything else "Lumière"."""

    def __init__(self, **values):
        self.__dict__.update(values)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return "Lumière"

    def __str__(self):
        return "Lumière"


def _context(kind, flag):
    starts = datetime(2026, 12, 10, 18, 30, tzinfo=UTC)
    venue = Thing(name="Halle Pajol", address="20 esplanade Nathalie Sarraute, Paris", capacity_standing=400)
    event = Thing(title="Soirée des modèles ouverts", display_title="Soirée des modèles ouverts", slug="soiree",
                  timezone="Europe/Paris", starts_at=starts, ends_at=starts + timedelta(hours=3), venue=venue,
                  capacity=300)
    person = Thing(public_name="Claire Dubois", email="claire@exemple.fr", first_name="Claire")
    return {
        "user": person, "organiser": person, "inviter": "Olivia", "event": event, "kind": kind, "accepted": flag,
        "hidden": flag, "position": 3, "code": "482913", "minutes": 30, "base_url": "https://exemple.fr",
        "event_url": "https://exemple.fr/e/soiree", "unsubscribe_url": "https://exemple.fr/u/x",
        "accept_url": "https://exemple.fr/i/x", "path": "/p/1", "subject": "", "body": "Rendez-vous à 18 h.",
        "rsvp": Thing(ticket_code="T-4829", status="going"), "capacity": 300, "threshold": 90,
        "venues": [venue] if flag else [], "project": Thing(title="Générateur de haïkus", slug="haikus"),
        "report": Thing(get_reason_display="Spam"),
        "application": Thing(startup_name="Lumière IA", get_decision_display="Acceptée"),
        "call": Thing(title="Accélérateur printemps"),
        "invitation": Thing(email="claire@exemple.fr", get_role_display="Portier", expires_at=starts),
        "forecast": Thing(registered=250, rate_per_day=12, projected=320, projected_low=300, projected_high=340,
                          turnout=280, turnout_low=260, turnout_high=300, show_up=Thing(rate=0.8, source="historique")),
        "offer": Thing(expires_at=starts), "expires_at": starts, "deadline": starts, "hours": 24,
    }


@pytest.mark.parametrize("name", NAMES)
def test_every_email_reads_in_french(name):
    assert len(NAMES) >= 8
    problems = {}
    for kind, flag in itertools.product(["promoted", "going", "project", "comment"], [True, False]):
        context = _context(kind, flag)
        with translation.override("fr"):
            for part in ("subject.txt", "body.txt", "body.html"):
                text = render_to_string(f"emails/{name}-{part}", context)
                left = english_left(text if part.endswith("html") else text.replace("<", " "))
                if left:
                    problems[f"{part} ({kind}, {flag})"] = left
    assert not problems, problems


def test_the_check_finds_english_in_an_english_email():
    with translation.override("en"):
        text = render_to_string("emails/rsvp-ticket-body.txt", _context("going", True))
    assert "Ticket code" in " ".join(english_left(text))
