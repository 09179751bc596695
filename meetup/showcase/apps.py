from django.apps import AppConfig


class ShowcaseConfig(AppConfig):
    name = "meetup.showcase"
    label = "showcase"
    verbose_name = "Project showcase"

    def ready(self):
        from meetup.accounts import personal_data
        from meetup.showcase import personal_data as showcase_data

        personal_data.register("projects", export=showcase_data.export_projects, erase=showcase_data.erase_showcase)
        personal_data.register("comments", export=showcase_data.export_comments)
        personal_data.register("likes", export=showcase_data.export_likes)
        personal_data.register("collections", export=showcase_data.export_collections)
        personal_data.register("reports", export=showcase_data.export_reports)
