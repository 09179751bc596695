from django.db import migrations

from meetup.lib.migrations import append_only


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [append_only("audit_auditentry", name="audit_entry_append_only", refuse="UPDATE OR DELETE")]
