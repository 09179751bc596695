from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "meetup.audit"
    label = "audit"
    verbose_name = "Audit log"
