from django.apps import AppConfig


class BroadcastsConfig(AppConfig):
    name = "meetup.broadcasts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from meetup.broadcasts import receivers  # noqa: F401  (events' signals, email tracking)
        from meetup.broadcasts.models import Broadcast
        from meetup.broadcasts.registry import register_email
        from meetup.events import notifications

        register_email(Broadcast.Kind.RSVP, notifications.rsvp_email_for)
        register_email(Broadcast.Kind.TEAM, notifications.invitation_email)
        register_email(Broadcast.Kind.FORECAST, notifications.forecast_alert_email)
