"""Migration operations the apps share."""

from django.db import migrations


def append_only(table: str, *, name: str, refuse: str = "UPDATE") -> migrations.RunPython:
    """On PostgreSQL, a trigger that refuses `refuse` ("UPDATE", or "UPDATE OR DELETE") on every
    row of `table`, whatever the application does. Elsewhere the model's own guard has to do."""
    guard_sql = f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{table} is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {name}_trigger BEFORE {refuse} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();
"""
    unguard_sql = f"DROP TRIGGER IF EXISTS {name}_trigger ON {table}; DROP FUNCTION IF EXISTS {name}();"

    def guard(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(guard_sql)

    def unguard(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(unguard_sql)

    return migrations.RunPython(guard, unguard)
