from django.apps import AppConfig


class BroadcastsConfig(AppConfig):
    name = "meetup.broadcasts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from meetup.broadcasts import receivers  # noqa: F401  (email tracking events)
