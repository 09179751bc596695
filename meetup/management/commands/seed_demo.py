"""The demo data `make run` loads: venues, events with a surge of RSVPs, projects, program calls.
Project level: it composes every app's seed data (showcase/seed.py, program/seed.py)."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from meetup.accounts.services import organiser_grant, signup_consent_record
from meetup.events import capacity, services
from meetup.events.models import RSVP, Event, Venue
from meetup.program import seed as program_seed
from meetup.showcase import seed as showcase_seed

ORGANISER_EMAIL = "organiser@meetup.localhost"
ATTENDEE_EMAIL = "ada@meetup.localhost"
DEMO_PASSWORD = "open-models-2026"

FIRST = ["Ada", "Grace", "Alan", "Katherine", "Yann", "Fei", "Andrej", "Timnit", "Margaret", "Thomas", "Clem",
         "Julien", "Sasha", "Lewis", "Leandro", "Omar", "Merve", "Niels", "Sylvain", "Lysandre", "Victor",
         "Priya", "Wei", "Amara", "Diego", "Ingrid", "Kenji", "Olu", "Rosa", "Sven"]
LAST = ["Lovelace", "Hopper", "Turing", "Johnson", "Okafor", "Nakamura", "Silva", "Novak", "Haddad", "Kowalski",
        "Moreau", "Garcia", "Chen", "Singh", "Andersen", "Rossi", "Dubois", "Kim", "Mensah", "Ivanova"]

VENUES = [
    ("founders-loft", "Founders Loft", "500 Howard St, San Francisco, CA", 150, 90),
    ("mission-bay-hall", "Mission Bay Hall", "1455 3rd St, San Francisco, CA", 1200, 700),
    ("pier-48", "Pier 48", "Pier 48, San Francisco, CA", 6000, 3000),
    ("soma-lab", "SoMa Community Lab", "88 Townsend St, San Francisco, CA", 400, 250),
]

DESCRIPTION = """\
An evening for everyone building with **open models**: lightning demos, a project fair and the
kick-off of the accelerator program.

- 18:00 doors, project fair and demos
- 19:00 lightning talks: fine-tuning on a budget, evaluating small models, open datasets
- 20:30 accelerator program: how to apply

Bring your laptop and your model card. Please read the code of conduct before you RSVP.
"""


class Command(BaseCommand):
    help = "Load demo data: venues, a surging meetup with ~1,500 RSVPs and a waitlist, an organiser login."

    def add_arguments(self, parser):
        parser.add_argument("--attendees", type=int, default=1500)

    @transaction.atomic
    def handle(self, attendees, **options):
        User = get_user_model()
        organiser, created = User.objects.get_or_create(
            username="organiser", defaults={"email": ORGANISER_EMAIL, "display_name": "Olu (organiser)",
                                            "password": make_password(DEMO_PASSWORD)})
        if created:
            organiser_grant(user=organiser)
            self._verify_email(organiser)
            signup_consent_record(user=organiser)
        ada, created = User.objects.get_or_create(
            username="ada", defaults={"email": ATTENDEE_EMAIL, "display_name": "Ada",
                                      "password": make_password(DEMO_PASSWORD)})
        if created:
            self._verify_email(ada)
            signup_consent_record(user=ada)

        venues = {}
        for slug, name, address, standing, seated in VENUES:
            venues[slug], _ = Venue.objects.get_or_create(
                slug=slug, defaults={"name": name, "address": address, "timezone": "America/Los_Angeles",
                                     "capacity_standing": standing, "capacity_seated": seated,
                                     "accessibility": "Step-free entrance, lift to all floors, accessible toilets."})

        if Event.objects.filter(slug="open-source-ai-sf").exists():
            self.stdout.write("Demo data already loaded.")
        else:
            self._load_events(organiser, venues, attendees)

        showcase_seed.demo_seed(stdout=self.stdout)
        program_seed.demo_seed(password=DEMO_PASSWORD, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(
            f"Organiser login: {ORGANISER_EMAIL} / {DEMO_PASSWORD}   Attendee login: {ATTENDEE_EMAIL} / {DEMO_PASSWORD}"
        ))

    def _verify_email(self, user):
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})

    def _load_events(self, organiser, venues, attendees):
        User = get_user_model()
        rng = random.Random(2026)
        now = timezone.now()
        starts = (now + timedelta(days=6)).replace(hour=2, minute=0, second=0, microsecond=0)  # 18:00 Pacific
        main = services.event_create(
            organiser=organiser, title="Open Source AI Meetup — San Francisco", slug="open-source-ai-sf",
            description=DESCRIPTION, starts_at=starts, ends_at=starts + timedelta(hours=4),
            timezone="America/Los_Angeles", venue=venues["mission-bay-hall"], capacity=1200,
            status=Event.Status.PUBLISHED, rsvp_opens_at=now - timedelta(days=14), rsvp_closes_at=starts,
            code_of_conduct_url="https://www.contributor-covenant.org/version/2/1/code_of_conduct/")
        services.booking_create(venue=venues["mission-bay-hall"], starts_at=starts - timedelta(hours=2),
                                ends_at=starts + timedelta(hours=5), confirmed=True, event=main,
                                note="Doors 18:00, load-in from 16:00", created_by=organiser)
        for name in ("Main doors", "Bay side"):
            services.entrance_create(event=main, name=name, actor=organiser)
        services.booking_create(venue=venues["soma-lab"], starts_at=starts + timedelta(days=1),
                                ends_at=starts + timedelta(days=1, hours=4), hold_minutes=72 * 60,
                                note="Workshop day (tentative)", created_by=organiser)
        services.event_create(
            organiser=organiser, title="Open Models Night #11", slug="open-models-night-11",
            description="Small models, big ideas.", starts_at=now - timedelta(days=60),
            ends_at=now - timedelta(days=60) + timedelta(hours=3), timezone="America/Los_Angeles",
            venue=venues["founders-loft"], capacity=150, status=Event.Status.PUBLISHED)
        services.event_create(
            organiser=organiser, title="Open Source AI Meetup — Paris", slug="open-source-ai-paris",
            description="Coming soon.", starts_at=now + timedelta(days=40),
            ends_at=now + timedelta(days=40, hours=4), timezone="Europe/Paris", capacity=300)

        password = make_password(None)  # unusable: demo attendees cannot sign in
        users = [
            User(username=f"attendee{i:05d}", email=f"attendee{i:05d}@example.org", password=password,
                 display_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", email_opt_in=rng.random() > 0.05)
            for i in range(attendees)
        ]
        User.objects.bulk_create(users, batch_size=1000)
        users = list(User.objects.filter(username__startswith="attendee").order_by("username"))

        # A registration curve that starts slowly and surges after the announcement went viral.
        window = (now - main.rsvp_opens_at).total_seconds()
        times = sorted(now - timedelta(seconds=window * (1 - rng.random() ** 0.35)) for _ in users)
        rsvps = []
        for i, (user, at) in enumerate(zip(users, times, strict=True)):
            going = i < main.capacity
            rsvps.append(RSVP(event=main, user=user, created_at=at,
                              status=RSVP.Status.GOING if going else RSVP.Status.WAITLISTED,
                              notified_status=RSVP.Status.GOING if going else RSVP.Status.WAITLISTED,
                              ticket_code=capacity.new_ticket_code()))
        RSVP.objects.bulk_create(rsvps, batch_size=1000)
        capacity.recount(main)
        services.forecast_alerts_check(event=main)
        self.stdout.write(f"Loaded {len(rsvps):,} RSVPs to {main.title} ({main.capacity:,} going, "
                          f"{max(0, len(rsvps) - main.capacity):,} waitlisted).")
