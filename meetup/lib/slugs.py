from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

# Words the site's own addresses use beside a slug (/events/new/, /projects/invitations/,
# /program/applications/...): an event or project with one of these slugs could never be opened.
RESERVED = frozenset({
    "new", "edit", "invitations", "applications", "collections", "comments", "moderation", "venues", "events",
    "projects", "program", "api", "admin", "accounts", "profile", "static", "media", "hooks", "healthz",
    "anymail", "delete", "remove", "search", "export", "dashboard", "team", "door", "unsubscribe",
})


def validate_not_reserved(value: str) -> None:
    """A model field validator for slugs people may choose."""
    if value in RESERVED:
        raise ValidationError(_("“%(value)s” is a word the site's addresses use; choose another.") % {
            "value": value}, code="reserved")


def unique_slug(model, title: str, *, fallback: str, max_length: int = 100) -> str:
    """A slug from `title` that no row of `model` has yet and no address of the site uses:
    "open-models-night", then "-2", "-3"… The unique constraint still decides under a race;
    callers turn its error into a form error."""
    base = slugify(title)[:max_length] or fallback
    slug, n = base, 1
    while slug in RESERVED or model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
