from django.db import migrations

SEARCH_INDEX = """
CREATE INDEX IF NOT EXISTS showcase_project_search ON showcase_project USING gin (
    to_tsvector('english'::regconfig, COALESCE(title, '') || ' ' || COALESCE(summary, ''))
)
"""


def create_moderators(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs its one now.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="accounts", model="user")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="moderate", defaults={"name": "Can moderate projects and comments"}
    )
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(permission)


def add_search_index(apps, schema_editor):
    # Full-text search over title and summary is PostgreSQL only; SQLite searches with LIKE.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEARCH_INDEX)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS showcase_project_search")


class Migration(migrations.Migration):
    dependencies = [
        ("showcase", "0001_initial"),
        ("accounts", "0002_organiser_group_and_ledger_guard"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_moderators, migrations.RunPython.noop),
        migrations.RunPython(add_search_index, drop_search_index),
    ]
