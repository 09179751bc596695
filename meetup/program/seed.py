"""Demo program calls for `seed_demo`: one closed and judged (ranking, a tie, a conflict, missing
scores, ready for decisions), one open for applications; a judge login."""

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from meetup.program import services
from meetup.program.models import Application, Call, Conflict, Review, Score, TeamMember

JUDGE_EMAIL = "judge@meetup.localhost"

DESCRIPTION = """\
Twelve weeks for **five startups** building on open models: compute credits, mentors from the
partner labs, and a demo day at the San Francisco meetup.

- who: teams of 1 to 5, pre-seed, building on open weights
- what we look at: the team, the problem, and how you use open models
"""
QUESTIONS = ["What are you building, and for whom?", "Which open models do you use, and why?",
             "What have you shipped so far?"]
CRITERIA = [("Team", 3), ("Problem and market", 2), ("Use of open models", 2), ("Traction", 1)]
STARTUPS = [
    ("Tiny Models Inc", "On-device assistants for field workers, on a 1.7B model.",
     ["HuggingFaceTB/SmolLM2-1.7B-Instruct"]),
    ("Caption Cloud", "Live captions for any meetup stream, in 20 languages.", ["openai/whisper-small"]),
    ("Recipe Remix", "Substitutions for what is missing in your fridge.", ["meta-llama/Llama-3.1-8B"]),
    ("Notes that find themselves", "Semantic search over a team's notes, self-hosted.",
     ["google-bert/bert-base-uncased"]),
    ("Story Printer", "Kids' stories printed on thermal paper at museums.", ["openai-community/gpt2"]),
    ("Open Eval Lab", "Evaluations of small models that anyone can rerun.", []),
    ("Data Garden", "Curated, licensed datasets for fine-tuning.", ["datasets/HuggingFaceFW/fineweb"]),
    ("Quiet RAG", "Retrieval that cites its sources, for legal teams.", ["mistralai/Mistral-7B-v0.1"]),
]


def _judge(password: str):
    User = get_user_model()
    judge, created = User.objects.get_or_create(
        username="judge", defaults={"email": JUDGE_EMAIL, "display_name": "Jun (judge)",
                                    "password": make_password(password)})
    if created:
        EmailAddress.objects.get_or_create(user=judge, email=judge.email, defaults={"verified": True, "primary": True})
    return judge


def demo_seed(*, password: str, stdout=None) -> int:
    """Load the demo calls. Idempotent: a call that exists is left as it is. Returns how many
    calls were created."""
    User = get_user_model()
    organiser, ada = User.objects.filter(username="organiser").first(), User.objects.filter(username="ada").first()
    if organiser is None or ada is None:
        return 0
    judge = _judge(password)
    now = timezone.now().replace(second=0, microsecond=0)
    created = 0
    if not Call.objects.filter(slug="accelerator-spring").exists():
        call = services.call_create(
            organiser=organiser, slug="accelerator-spring", title="Open Models Accelerator — Spring cohort",
            description=DESCRIPTION, opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=2),
            timezone="America/Los_Angeles", winners=5, questions=QUESTIONS, criteria=CRITERIA,
            judges=[judge.username, organiser.username])
        _applications(call, ada, judge, organiser)
        created += 1
    if not Call.objects.filter(slug="accelerator-autumn").exists():
        services.call_create(
            organiser=organiser, slug="accelerator-autumn", title="Open Models Accelerator — Autumn cohort",
            description=DESCRIPTION, opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=21),
            timezone="America/Los_Angeles", winners=5, questions=QUESTIONS, criteria=CRITERIA,
            judges=[judge.username, organiser.username], anonymised=True)
        created += 1
    if stdout is not None:
        stdout.write(f"Program: {created} demo calls created. Judge login: {JUDGE_EMAIL} / {password}")
    return created


def _applications(call: Call, ada, judge, organiser) -> None:
    """Eight submitted applications (Ada's first), a draft and a withdrawn one; the judge scores
    everything but declares one conflict, the organiser scores five, with one tie in the ranking."""
    rng = random.Random(2026)
    people = list(get_user_model().objects.filter(username__startswith="attendee").order_by("username")[:40])
    questions = list(call.questions.all())
    criteria = list(call.criteria.all())
    applications = []
    for i, (name, pitch, links) in enumerate(STARTUPS):
        founder = ada if i == 0 or not people else people[i * 3 % len(people)]
        team = [founder] + ([people[(i * 3 + 1) % len(people)]] if people and i % 2 else [])
        application = Application.objects.create(
            call=call, created_by=founder, startup_name=name, pitch=pitch, hub_links=links,
            answers={str(q.pk): f"{name}: {rng.choice(['a clear answer', 'a short answer', 'a long answer'])}."
                     for q in questions},
            status=Application.Status.SUBMITTED, submitted_at=call.closes_at - timedelta(days=rng.randint(1, 30)))
        TeamMember.objects.bulk_create([TeamMember(application=application, user=u, call=call) for u in team],
                                       ignore_conflicts=True)
        applications.append(application)
    for status, name in ((Application.Status.DRAFT, "Half-finished Labs"),
                         (Application.Status.WITHDRAWN, "Changed Our Minds")):
        if people:
            founder = people[-1] if status == Application.Status.DRAFT else people[-2]
            application = Application.objects.create(call=call, created_by=founder, startup_name=name, status=status)
            TeamMember.objects.create(application=application, user=founder, call=call)

    Conflict.objects.create(application=applications[6], judge=judge, reason="I advise their founder.")
    fixed = {0: [8, 7, 9, 6], 1: [7, 8, 7, 7], 2: [7, 8, 7, 7]}  # Caption Cloud and Recipe Remix tie
    for i, application in enumerate(applications):
        if i == 6:
            continue
        _review(application, judge, criteria, fixed.get(i) or [rng.randint(3, 9) for _ in criteria], rng)
        if i < 5 and i not in (1, 2):
            _review(application, organiser, criteria, [rng.randint(4, 9) for _ in criteria], rng)
    _review(applications[1], organiser, criteria, [7, 8, 7, 7], rng)
    _review(applications[2], organiser, criteria, [7, 8, 7, 7], rng)


def _review(application, judge, criteria, values, rng) -> None:
    review = Review.objects.create(application=application, judge=judge,
                                   comment=rng.choice(["Strong team.", "Needs traction.", "**Great** use of open "
                                                       "models.", "Market is crowded."]))
    Score.objects.bulk_create([Score(review=review, criterion=c, value=v) for c, v in zip(criteria, values,
                                                                                        strict=True)])
