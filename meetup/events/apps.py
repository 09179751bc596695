from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "meetup.events"
    label = "events"
    verbose_name = "Events, RSVPs and venues"
