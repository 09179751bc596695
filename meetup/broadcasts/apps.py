from django.apps import AppConfig


class BroadcastsConfig(AppConfig):
    name = "meetup.broadcasts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from meetup.broadcasts import receivers  # noqa: F401  (events' signals, email tracking)
        from meetup.broadcasts.models import Broadcast
        from meetup.broadcasts.registry import register_email, register_sms
        from meetup.events import ask_messages, notifications

        register_email(Broadcast.Kind.RSVP, notifications.rsvp_email_for)
        register_email(Broadcast.Kind.TEAM, notifications.invitation_email)
        register_email(Broadcast.Kind.FORECAST, notifications.forecast_alert_email)
        register_email(Broadcast.Kind.OFFER, ask_messages.offer_email)
        register_sms(Broadcast.Kind.OFFER, ask_messages.offer_sms)
        register_email(Broadcast.Kind.RECONFIRM, ask_messages.reconfirmation_email)
        register_sms(Broadcast.Kind.RECONFIRM, ask_messages.reconfirmation_sms)
        register_email(Broadcast.Kind.REMINDER, ask_messages.reminder_email)
        register_sms(Broadcast.Kind.REMINDER, ask_messages.reminder_sms)
