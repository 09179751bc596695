from django.apps import AppConfig


class DemosConfig(AppConfig):
    name = "meetup.demos"
    label = "demos"
    verbose_name = "Model demos"

    def ready(self):
        # Worker-process hooks: they import nothing heavy until a gpu worker's child starts.
        from meetup.demos import worker  # noqa: F401
