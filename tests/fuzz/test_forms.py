"""Hypothesis-driven text into every form the organiser's pages show: NUL bytes, lone surrogates,
right-to-left overrides, huge values and arbitrary Unicode never give a server error."""

import re
from urllib.parse import quote

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetup.program.models import Call
from meetup.showcase.models import Project
from tests.factories import EventFactory

NASTY = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["\x00", "a\x00b", "\ud800", "x\udfffy", "\u202egnp.exe", "\u05e9\u05dc\u05d5\u05dd ABC",
                     "x" * 100_000, "9999-12-31T23:59", "-1", "99999999999999999999", "javascript:alert(1)",
                     "<script>alert(1)</script>", "../../etc/passwd", " ", ""]),
)
FORM = re.compile(r'<form[^>]*method="post"[^>]*>(.*?)</form>', re.S | re.I)
ACTION = re.compile(r'<form[^>]*action="([^"]*)"', re.I)
NAME = re.compile(r'name="([^"]+)"')
SKIP = {"csrfmiddlewaretoken"}


def _encode(fields: dict[str, str]) -> bytes:
    # Lone surrogates cannot be UTF-8: send the bytes a broken client would (surrogatepass).
    return "&".join(f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'))}" for k, v in fields.items()).encode()


def _forms(client, path):
    page = client.get(path).content.decode()
    found = []
    for match in FORM.finditer(page):
        action = ACTION.search(match.group(0))
        names = sorted(set(NAME.findall(match.group(1))) - SKIP)
        found.append(((action.group(1) if action and action.group(1) else path), names))
    return found


@pytest.fixture
def pages(client, organiser, settings):
    settings.ACCOUNT_RATE_LIMITS = False
    event = EventFactory(slug="night")
    event.organisers.add(organiser)
    Project.objects.create(title="P", slug="p", summary="s", created_by=organiser)
    client.force_login(organiser)
    from tests.program.conftest import make_call
    make_call(organiser, title="Accelerator")
    call = Call.objects.get()
    paths = ["/events/new/", "/venues/new/", "/projects/new/", "/projects/p/", "/projects/p/edit/", "/collections/",
             "/profile/", f"/events/{event.slug}/edit/", f"/events/{event.slug}/team/",
             f"/events/{event.slug}/broadcasts/", f"/events/{event.slug}/capacity/", f"/events/{event.slug}/door/",
             "/program/new/", f"/program/{call.slug}/edit/", f"/program/{call.slug}/apply/"]
    forms = [form for path in paths for form in _forms(client, path)]
    assert len(forms) >= 12
    return forms


@settings(max_examples=15, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(text=NASTY, data=st.data())
def test_nasty_text_in_every_form_never_gives_a_server_error(client, pages, text, data):
    for action, names in pages:
        cache.clear()  # rate limits are not what this checks
        fields = {name: data.draw(st.one_of(st.just(text), NASTY), label=name) for name in names}
        response = client.post(action, _encode(fields), content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500, (action, fields)
