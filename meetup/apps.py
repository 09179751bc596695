from django.apps import AppConfig


class MeetupConfig(AppConfig):
    """The project level: it composes the apps (urls, the API, the dashboard, seed data) and wires
    apps of the same layer that must not import each other (see the README's architecture)."""

    name = "meetup"
    label = "meetup"
    verbose_name = "Meetup"

    def ready(self):
        from meetup import wiring

        wiring.connect()
