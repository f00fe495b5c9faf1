"""The audit log's index on `object_type` alone goes: the (object_type, object_id, at)
index serves every lookup by type, and each index costs every insert (a bulk import
writes tens of thousands of events). The index is dropped by name, not by altering the
field: SQLite would rebuild the table, and with it lose the append-only triggers."""

from django.db import migrations, models

INDEXES = ("core_auditevent_object_type_e0bee35e", "core_auditevent_object_type_e0bee35e_like")


def drop(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def restore(apps, schema_editor):
    model = apps.get_model("core", "AuditEvent")
    field = models.CharField(max_length=64, blank=True, db_index=True)
    field.set_attributes_from_name("object_type")
    field.model = model
    for statement in schema_editor._field_indexes_sql(model, field):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_idempotency_key"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="object_type",
                    field=models.CharField(blank=True, max_length=64, verbose_name="object type"),
                ),
            ],
            database_operations=[migrations.RunPython(drop, restore)],
        ),
    ]
