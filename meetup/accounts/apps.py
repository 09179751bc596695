from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "meetup.accounts"
    label = "accounts"
    verbose_name = "Accounts and consent"

    def ready(self):
        from meetup.accounts import signals  # noqa: F401
