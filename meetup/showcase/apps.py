from django.apps import AppConfig


class ShowcaseConfig(AppConfig):
    name = "meetup.showcase"
    label = "showcase"
    verbose_name = "Project showcase"
