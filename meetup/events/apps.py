from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "meetup.events"
    label = "events"
    verbose_name = "Events, RSVPs and venues"

    def ready(self):
        from meetup.broadcasts.models import Broadcast
        from meetup.broadcasts.registry import register_email
        from meetup.events.notifications import rsvp_email_for

        register_email(Broadcast.Kind.RSVP, rsvp_email_for)
