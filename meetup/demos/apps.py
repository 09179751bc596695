from django.apps import AppConfig


class DemosConfig(AppConfig):
    name = "meetup.demos"
    label = "demos"
    verbose_name = "Model demos"

    def ready(self):
        # Worker-process hooks: they import nothing heavy until a gpu worker's child starts.
        from meetup.accounts import personal_data
        from meetup.demos import personal_data as demos_data
        from meetup.demos import worker  # noqa: F401

        personal_data.register("demo_runs", export=demos_data.export_demo_runs, erase=demos_data.erase_demo_runs)
