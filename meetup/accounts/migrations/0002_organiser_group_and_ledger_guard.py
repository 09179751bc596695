from django.db import migrations

GUARD_SQL = """
CREATE OR REPLACE FUNCTION accounts_consent_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'accounts_consentrecord is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_consent_ledger_no_update BEFORE UPDATE ON accounts_consentrecord
    FOR EACH ROW EXECUTE FUNCTION accounts_consent_ledger_append_only();
"""
UNGUARD_SQL = """
DROP TRIGGER IF EXISTS accounts_consent_ledger_no_update ON accounts_consentrecord;
DROP FUNCTION IF EXISTS accounts_consent_ledger_append_only();
"""


def create_organiser_group(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs its one now.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="accounts", model="user")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="organise", defaults={"name": "Can create and run events"}
    )
    group, _ = Group.objects.get_or_create(name="Organisers")
    group.permissions.add(permission)


def guard_ledger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GUARD_SQL)


def unguard_ledger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNGUARD_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_organiser_group, migrations.RunPython.noop),
        migrations.RunPython(guard_ledger, unguard_ledger),
    ]
