from django.db import migrations

EXCLUDE_SQL = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE events_booking ADD CONSTRAINT booking_no_overlap
    EXCLUDE USING gist (venue_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (status IN ('held', 'confirmed'));
"""


def add_exclusion(apps, schema_editor):
    # SQLite has no exclusion constraints; services.booking_create checks there instead.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(EXCLUDE_SQL)


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE events_booking DROP CONSTRAINT IF EXISTS booking_no_overlap")


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(add_exclusion, drop_exclusion)]
