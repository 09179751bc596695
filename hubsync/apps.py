from django.apps import AppConfig


class HubsyncConfig(AppConfig):
    name = "hubsync"
    verbose_name = "Hub sync"
    default_auto_field = "django.db.models.BigAutoField"
