"""Typed answers to registration questions: one validator shared by the API and the page form.

`answers_clean(questions, raw)` checks a `{question_id: value}` mapping against an event's
questions and returns `{question: (value, text)}`, `value` as stored (JSON) and `text` as shown,
filtered and exported. Errors are keyed `answers.<question id>` so a 400 names the field.
"""

import math
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from meetup.events.models import Question

MAX_LENGTH = {Question.Kind.TEXT: 300, Question.Kind.LONG_TEXT: 5000, Question.Kind.URL: 500}
MAX_NUMBER = 1e12
MAX_CHOICES = 50
MAX_CHOICE_LENGTH = 100
_url = URLValidator(schemes=["http", "https"])


def _clean_text(value, kind: str) -> str:
    if not isinstance(value, str):
        raise ValueError(_("Expected text."))
    if "\x00" in value:
        raise ValueError(_("Text may not contain NUL bytes."))
    if len(value) > MAX_LENGTH[kind]:
        raise ValueError(_("At most %(value)s characters.") % {"value": format(MAX_LENGTH[kind], ',')})
    keep_newlines = kind == Question.Kind.LONG_TEXT
    # Control characters (other than newlines in long text) have no place in an answer.
    value = "".join(c for c in value if (keep_newlines and c in "\n\t") or unicodedata.category(c) != "Cc")
    return value.strip()


def _clean_number(value):
    if isinstance(value, bool):
        raise ValueError(_("Expected a number."))
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 40:
            raise ValueError(_("Expected a number."))
        try:
            value = int(text)
        except ValueError:
            try:
                value = float(text)
            except ValueError:
                raise ValueError(_("Expected a number.")) from None
    if not isinstance(value, int | float) or (isinstance(value, float) and not math.isfinite(value)):
        raise ValueError(_("Expected a number."))
    if abs(value) > MAX_NUMBER:
        raise ValueError(_("Must be between %(low)s and %(high)s.") % {
            "low": format(-MAX_NUMBER, ",.0f"), "high": format(MAX_NUMBER, ",.0f")})
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value


def _clean_yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"yes", "no", "true", "false"}:
        return value.strip().lower() in {"yes", "true"}
    raise ValueError(_("Expected yes or no (true or false)."))


def _clean_choice(value, choices: list[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise ValueError(_("Choose one of: %(value)s.") % {"value": ', '.join(choices)})
    return value


def _clean_multi(value, choices: list[str]) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(_("Expected a list of choices."))
    unknown = [v for v in value if v not in choices]
    if unknown:
        raise ValueError(_("Not a choice: %(value)r. Choose from: %(value2)s.") % {
            "value": unknown[0][:100], "value2": ', '.join(choices)})
    # Kept in the question's order, each once.
    return [c for c in choices if c in value]


def _empty(value) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def answer_clean(question: Question, value):
    """(value, text) for one answer, or None when it is empty; raises ValueError with the reason."""
    kind = question.kind
    if isinstance(value, list | dict) and kind != Question.Kind.MULTI_CHOICE:
        raise ValueError(_("Expected a single value, not a list or an object."))
    if _empty(value):
        return None
    if kind in MAX_LENGTH:
        value = _clean_text(value, kind)
        if kind == Question.Kind.URL:
            try:
                _url(value)
            except ValidationError:
                raise ValueError(_("Enter a full web address starting with https:// or http://.")) from None
        return (value, value) if value else None
    if kind == Question.Kind.NUMBER:
        value = _clean_number(value)
        return value, str(value)
    if kind == Question.Kind.YES_NO:
        value = _clean_yes_no(value)
        return value, "yes" if value else "no"
    if kind == Question.Kind.CHOICE:
        value = _clean_choice(value, question.choices)
        return value, value
    value = _clean_multi(value, question.choices)
    return (value, "; ".join(value)) if value else None


def answers_clean(questions: list[Question], raw, *, existing: dict[int, object] | None = None,
                  partial: bool = False) -> dict[Question, tuple | None]:
    """Check `raw` ({question id: value}) against the event's asked questions.

    Returns {question: (value, text) or None to clear}. With `partial` (an attendee editing), only
    the questions in `raw` change and required ones must still have an answer afterwards, counting
    `existing` ({question id: value}). Raises ValidationError keyed `answers.<id>`.
    """
    errors: dict[str, list[str]] = {}
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ValidationError({"answers": [_("Expected an object of {question id: answer}.")]})
    by_id = {q.pk: q for q in questions if not q.hidden}
    given: dict[int, object] = {}
    for key, value in raw.items():
        try:
            qid = int(key)
        except (TypeError, ValueError):
            qid = None
        if qid is None or qid not in by_id:
            errors[f"answers.{str(key)[:20]}"] = [_("No such question for this event.")]
            continue
        given[qid] = value
    cleaned: dict[Question, tuple | None] = {}
    for qid, question in by_id.items():
        if qid in given:
            try:
                cleaned[question] = answer_clean(question, given[qid])
            except ValueError as exc:
                errors[f"answers.{qid}"] = [str(exc)]
                continue
            answered = cleaned[question] is not None
        elif partial:
            answered = existing is not None and qid in existing
        else:
            cleaned[question] = None
            answered = False
        if question.required and not answered:
            errors[f"answers.{qid}"] = [_("%(value)s: an answer is required.") % {"value": question.label[:80]}]
    if errors:
        raise ValidationError(errors)
    return cleaned


def choices_clean(kind: str, choices) -> list[str]:
    """The organiser's list of choices for a choice question (empty for the other kinds)."""
    if kind not in (Question.Kind.CHOICE, Question.Kind.MULTI_CHOICE):
        if choices:
            raise ValidationError({"choices": [_("Only choice questions have choices.")]})
        return []
    if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
        raise ValidationError({"choices": [_("Expected a list of texts.")]})
    cleaned = []
    for choice in choices:
        choice = "".join(c for c in choice if unicodedata.category(c) != "Cc").strip()
        if not choice:
            continue
        if len(choice) > MAX_CHOICE_LENGTH:
            raise ValidationError({"choices": [_("Each choice has at most %(max_choice_length)s characters.") % {
                "max_choice_length": MAX_CHOICE_LENGTH}]})
        if choice not in cleaned:
            cleaned.append(choice)
    if len(cleaned) < 2:
        raise ValidationError({"choices": [_("A choice question needs at least two choices.")]})
    if len(cleaned) > MAX_CHOICES:
        raise ValidationError({"choices": [_("At most %(max_choices)s choices.") % {"max_choices": MAX_CHOICES}]})
    return cleaned
