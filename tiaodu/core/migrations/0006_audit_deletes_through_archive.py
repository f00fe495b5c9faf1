"""Audit events are deleted through one door only (`tiaodu.core.audit_guard`).

PostgreSQL: the append-only trigger function lets a DELETE through when the transaction
has set `tiaodu.audit_deletes` to `on` (the archive's prune); UPDATE stays refused.
SQLite: a DELETE trigger refuses the delete unless the connection's
`tiaodu_audit_deletes_allowed()` says the door is open (the archive's prune, `flush`).
And the archive of old events is an audited action.
"""

from django.db import migrations, models

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('tiaodu.audit_deletes', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;
"""
POSTGRES_DOWN = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;
"""
SQLITE_UP = """
CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
WHEN NOT tiaodu_audit_deletes_allowed()
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS core_auditevent_no_delete;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_audit_backup_actions'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('create', 'Create'), ('update', 'Update'), ('delete', 'Delete'), ('sign_in', 'Sign-in'), ('sign_in_failed', 'Failed sign-in'), ('lockout', 'Account locked'), ('unlock', 'Account unlocked'), ('sign_out', 'Sign-out'), ('session_expired', 'Session expired'), ('password_change', 'Password changed'), ('export', 'Export'), ('denied', 'Access denied'), ('backup', 'Backup'), ('restore', 'Restore'), ('archive', 'Archive')], max_length=32, verbose_name='action'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
