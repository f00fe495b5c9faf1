"""The plan entries' index on `project_id` alone goes: the unique (project, year)
constraint's index serves every lookup by project, and each index costs every insert (a
20,000-row ledger). Dropped by name: SQLite would rebuild the table to alter the field."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "projects_annualplan_project_id_bd761494"


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(INDEX)}")


def restore(apps, schema_editor):
    model = apps.get_model("projects", "AnnualPlan")
    table = schema_editor.quote_name(model._meta.db_table)
    schema_editor.execute(
        f'CREATE INDEX {schema_editor.quote_name(INDEX)} ON {table} ("project_id")'
    )


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0015_library_export"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="annualplan",
                    name="project",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="plans",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop, restore)],
        ),
    ]
