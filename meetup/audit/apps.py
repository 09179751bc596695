from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "meetup.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self):
        from meetup.accounts import personal_data, privacy
        from meetup.audit import personal_data as audit_data

        # After every other app's eraser (they may write entries naming the person), before accounts'.
        personal_data.register("audit_log", export=audit_data.export_audit, erase=audit_data.erase_audit, order=90)
        privacy.account_deleted.connect(audit_data.account_deleted, dispatch_uid="audit.account_deleted")
        privacy.personal_data_shredded.connect(audit_data.personal_data_shredded, dispatch_uid="audit.shredded")
