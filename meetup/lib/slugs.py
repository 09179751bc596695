from django.utils.text import slugify


def unique_slug(model, title: str, *, fallback: str, max_length: int = 100) -> str:
    """A slug from `title` that no row of `model` has yet: "open-models-night", then "-2", "-3"…
    The unique constraint still decides under a race; callers turn its error into a form error."""
    base = slugify(title)[:max_length] or fallback
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
