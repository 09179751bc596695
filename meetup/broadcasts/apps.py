from django.apps import AppConfig


class BroadcastsConfig(AppConfig):
    name = "meetup.broadcasts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from meetup.accounts import notifications as account_notifications
        from meetup.accounts import personal_data
        from meetup.broadcasts import personal_data as broadcasts_data
        from meetup.broadcasts import receivers  # noqa: F401  (events' signals, email tracking)
        from meetup.broadcasts.models import Broadcast
        from meetup.broadcasts.registry import register_email, register_sms
        from meetup.events import ask_messages, notifications

        register_email(Broadcast.Kind.RSVP, notifications.rsvp_email_for)
        register_email(Broadcast.Kind.TEAM, notifications.invitation_email)
        register_email(Broadcast.Kind.FORECAST, notifications.forecast_alert_email)
        register_email(Broadcast.Kind.ACCOUNT, account_notifications.deletion_code_email)
        personal_data.register("messages", export=broadcasts_data.export_messages,
                               erase=broadcasts_data.erase_messages, order=20)
        register_email(Broadcast.Kind.OFFER, ask_messages.offer_email)
        register_sms(Broadcast.Kind.OFFER, ask_messages.offer_sms)
        register_email(Broadcast.Kind.RECONFIRM, ask_messages.reconfirmation_email)
        register_sms(Broadcast.Kind.RECONFIRM, ask_messages.reconfirmation_sms)
        register_email(Broadcast.Kind.REMINDER, ask_messages.reminder_email)
        register_sms(Broadcast.Kind.REMINDER, ask_messages.reminder_sms)
