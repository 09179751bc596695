"""Invariant 6: untrusted text (descriptions, comments, model cards) is inert when shown."""

from html.parser import HTMLParser

import pytest

from hubsync.client import RepoRef
from hubsync.services import repo_sync
from tests.showcase.factories import CommentFactory, LinkFactory, ProjectFactory

pytestmark = pytest.mark.django_db

PAYLOADS = (
    "<script>alert('x')</script> <img src=x onerror=alert(1)> [click](javascript:alert(2)) "
    "<a href=\"javascript:alert(3)\">a</a> <iframe src=//evil></iframe> <svg onload=alert(4)> "
    "![i](javascript:alert(5)) <style>body{display:none}</style> **bold**"
)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_inert(html: str):
    """No element that runs code: no script-like tags, no event handlers, no javascript: URLs.
    (The payload may still show as escaped text, which is the point.)"""
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag not in {"script", "iframe", "svg", "style", "object", "embed"}, tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src", "action", "formaction"):
            assert not (attrs.get(name) or "").strip().lower().startswith(("javascript:", "data:")), (tag, attrs)


def main_of(html: str) -> str:
    """The page's own content, without the layout's scripts (htmx, the door scanner)."""
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_project_description_is_inert(client, db):
    project = ProjectFactory(title="<script>alert('t')</script>", description=PAYLOADS)

    page = client.get(f"/projects/{project.slug}/").content.decode()

    assert_inert(main_of(page))
    assert "<strong>bold</strong>" in page and "&lt;script&gt;alert(&#x27;t&#x27;)" in page


def test_a_comment_is_inert(client, db):
    comment = CommentFactory(body=PAYLOADS)

    page = client.get(f"/projects/{comment.project.slug}/").content.decode()

    assert_inert(main_of(page))
    assert "<strong>bold</strong>" in page


def test_a_model_card_from_the_hub_is_inert(client, fake_hub):
    fake_hub.add("mallory/evil-model", readme="---\nlicense: mit\n---\n# Evil\n" + PAYLOADS)
    hub_model = repo_sync(ref=RepoRef("model", "mallory/evil-model"))
    link = LinkFactory(hub_model=hub_model)

    page = client.get(f"/projects/{link.project.slug}/").content.decode()

    assert_inert(hub_model.card_html)
    assert_inert(main_of(page))
    assert "<strong>bold</strong>" in hub_model.card_html


def test_the_api_returns_text_as_given_for_clients_to_escape(api, db):
    project = ProjectFactory(summary="<b>hi</b>")

    assert api(None).get(f"/api/projects/{project.slug}").json()["summary"] == "<b>hi</b>"
