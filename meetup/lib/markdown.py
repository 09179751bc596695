"""Untrusted Markdown to safe HTML: render with markdown-it (raw HTML off), then clean with nh3.

Images load only from the site itself and the Hub: one from anywhere else (a tracking pixel
reporting who read a pitch or opened a project page) loses its address and shows its alt text."""

from functools import lru_cache
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(["table", "strikethrough"])

_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "img",
}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}, "th": {"align"},
               "td": {"align"}}


IMAGE_HOSTS = frozenset({"huggingface.co", "cdn-uploads.huggingface.co"})


def image_allowed(src: str, own: str | None) -> bool:
    """`own`: this site's host name."""
    parts = urlsplit(src or "")
    if not parts.scheme and not parts.netloc:
        return (src or "").startswith("/") and not src.startswith("//")  # this site
    return parts.scheme == "https" and (parts.hostname in IMAGE_HOSTS or (own is not None and parts.hostname == own))


def render_markdown(text: str) -> str:
    return _render(text or "", urlsplit(settings.PUBLIC_BASE_URL).hostname)


@lru_cache(maxsize=256)
def _render(text: str, own: str | None) -> str:
    """The same text always gives the same HTML, so the last few hundred are kept: an event page
    read by thousands renders its description once per process."""

    def keep_allowed_images(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src" and not image_allowed(value, own):
            return None  # the image shows its alt text and loads nothing
        return value

    return nh3.clean(_md.render(text), tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="nofollow noopener noreferrer", attribute_filter=keep_allowed_images)
