from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "meetup.accounts"
    label = "accounts"
    verbose_name = "Accounts and consent"

    def ready(self):
        from meetup.accounts import personal_data, privacy, signals  # noqa: F401

        personal_data.register("profile", export=privacy.export_profile, erase=privacy.erase_account, order=100)
        personal_data.register("consent_ledger", export=privacy.export_consent, order=100)
