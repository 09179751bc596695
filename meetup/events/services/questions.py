"""Registration questions and the answers attendees give.

Invariants kept here:
- an answer is stored only after `answers.answers_clean` accepted it for its question's kind;
- a question that has answers is never deleted (`question_delete` refuses with 409): it can be
  hidden, which stops asking it and keeps the answers readable in the list, exports and the door;
- attendees change their answers only until the event starts.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from meetup.events.answers import answers_clean, choices_clean
from meetup.events.models import RSVP, Answer, Event, Question
from meetup.lib.errors import Refused

QUESTION_FIELDS = {"label", "kind", "choices", "required", "show_at_checkin", "help_text", "position", "hidden"}
MAX_QUESTIONS = 50


def _label(value) -> str:
    if not isinstance(value, str) or "\x00" in value or not value.strip():
        raise ValidationError({"label": [_("A question needs a label.")]})
    if len(value) > 200:
        raise ValidationError({"label": [_("At most 200 characters.")]})
    return value.strip()


def _asks_refresh(event_id: int) -> None:
    """Keep Event.asks_questions true exactly when a question is asked (one statement)."""
    Event.objects.filter(pk=event_id).update(
        asks_questions=Exists(Question.objects.filter(event=OuterRef("pk"), hidden=False)))


def _validated(question: Question) -> None:
    question.label = _label(question.label)
    if question.kind not in Question.Kind.values:
        raise ValidationError({"kind": [_("One of: %(value)s.") % {"value": ', '.join(Question.Kind.values)}]})
    question.choices = choices_clean(question.kind, question.choices)
    if "\x00" in question.help_text or len(question.help_text) > 300:
        raise ValidationError({"help_text": [_("At most 300 characters, no NUL bytes.")]})


def question_create(*, event: Event, label: str, kind: str, choices=None, required: bool = False,
                    show_at_checkin: bool = False, help_text: str = "", position: int | None = None,
                    hidden: bool = False) -> Question:
    """Add a question to the event's registration form (at the end unless `position` is given)."""
    if event.questions.count() >= MAX_QUESTIONS:
        raise Refused("too_many_questions", _("An event asks at most %(max_questions)s questions.") % {
            "max_questions": MAX_QUESTIONS})
    if position is None:
        position = (event.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    question = Question(event=event, label=label, kind=kind, choices=choices or [], required=required,
                        show_at_checkin=show_at_checkin, help_text=help_text or "", position=position, hidden=hidden)
    _validated(question)
    with transaction.atomic():
        question.save()
        _asks_refresh(event.pk)
    event.asks_questions = not question.hidden or event.asks_questions
    return question


def question_add_access_needs(*, event: Event) -> Question:
    """Add the standard "access needs" question (long text, optional, shown to door staff), in the
    organiser's language; refused when the event already asks it."""
    label = _("Access needs")
    if event.questions.filter(label=label).exists():
        raise Refused("already_asked", _("This event already asks about access needs."))
    return question_create(
        event=event, label=label, kind=Question.Kind.LONG_TEXT, show_at_checkin=True,
        help_text=_("Anything that helps you take part: a step-free route, seating, captions, a quiet space, "
                    "a companion's place. Door staff see it when you arrive."))


def question_update(*, question: Question, **changes) -> Question:
    """Change a question. Its kind and choices are fixed once someone answered it (the answers
    would no longer fit); labels, help text, order, required, check-in display and hiding are not."""
    unknown = set(changes) - QUESTION_FIELDS
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    answered = question.answers.exists()
    for name in ("kind", "choices"):
        if name in changes and changes[name] != getattr(question, name) and answered:
            raise Refused("has_answers", _("People have answered this question: its %(name)s can no longer change. "
                                           "Hide it and ask a new one instead.") % {
                "name": name})
    for name, value in changes.items():
        setattr(question, name, value)
    _validated(question)
    with transaction.atomic():
        question.save()
        _asks_refresh(question.event_id)
    return question


def question_delete(*, question: Question) -> None:
    """Delete a question nobody answered; one with answers is refused (hide it instead)."""
    with transaction.atomic():
        Question.objects.select_for_update().filter(pk=question.pk).first()
        if question.answers.exists():
            raise Refused("has_answers", _("People have answered this question, so it cannot be deleted; hide it "
                                           "instead (PATCH with {\"hidden\": true})."))
        question.delete()
        _asks_refresh(question.event_id)


def questions_asked(event: Event) -> list[Question]:
    return list(event.questions.filter(hidden=False))


def answers_check(*, event: Event, answers) -> dict:
    """Validate a new RSVP's answers before it is placed (raises ValidationError)."""
    return answers_clean(questions_asked(event), answers)


def answers_store(*, rsvp: RSVP, cleaned: dict) -> None:
    """Write checked answers ({question: (value, text) or None}) for an RSVP."""
    with transaction.atomic():
        for question, answer in cleaned.items():
            if answer is None:
                Answer.objects.filter(rsvp=rsvp, question=question).delete()
            else:
                Answer.objects.update_or_create(rsvp=rsvp, question=question,
                                                defaults={"value": answer[0], "text": answer[1]})


def answers_update(*, rsvp: RSVP, answers) -> None:
    """An attendee changes some of their answers, until the event starts."""
    event = rsvp.event
    if timezone.now() >= event.starts_at:
        raise Refused("event_started", _("The event has started: answers can no longer change."))
    if rsvp.status in (RSVP.Status.CANCELLED, RSVP.Status.DECLINED):
        raise Refused("not_registered", _("Your RSVP is not active."))
    existing = dict(Answer.objects.filter(rsvp=rsvp).values_list("question_id", "value"))
    cleaned = answers_clean(questions_asked(event), answers, existing=existing, partial=True)
    answers_store(rsvp=rsvp, cleaned=cleaned)
