from functools import cache

from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from meetup.lib.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3


@cache
def _vendored(path: str) -> bool:
    return finders.find(path) is not None


@register.simple_tag
def vendor_script(path: str) -> str:
    """A <script> for a front-end package built by `make assets`; nothing when it was not built,
    so pages still work on a machine without Node.js."""
    if not _vendored(path):
        return ""
    return format_html('<script src="{}" defer></script>', static(path))
