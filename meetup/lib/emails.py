"""One builder for every email: subject, text and HTML from templates/emails/<name>-*.{txt,html}."""

from dataclasses import dataclass
from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string


@dataclass
class InlineImage:
    content_id: str
    data: bytes
    subtype: str = "png"


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template (subject, text body) rendered with autoescape off: "R&D's night"
    stays as written, never "R&amp;D&#x27;s night"."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def build(name: str, *, to: str, context: dict, attachments=(), inline_images=(), headers=None):
    context = {"base_url": settings.PUBLIC_BASE_URL, **context}
    subject = " ".join(render_text(f"emails/{name}-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject, body=render_text(f"emails/{name}-body.txt", context), to=[to], headers=headers or {},
    )
    message.attach_alternative(render_to_string(f"emails/{name}-body.html", context), "text/html")
    if inline_images:
        message.mixed_subtype = "related"
    for image in inline_images:
        part = MIMEImage(image.data, _subtype=image.subtype)
        part.add_header("Content-ID", f"<{image.content_id}>")
        part.add_header("Content-Disposition", "inline", filename=f"{image.content_id}.{image.subtype}")
        message.attach(part)
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message

