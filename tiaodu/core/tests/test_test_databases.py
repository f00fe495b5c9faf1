"""The database a test runs on holds what the migrations make, however it was created (in
a run of several processes, a copy of the run's migrated template: tiaodu/test_databases.py):
every migration recorded as applied and none left to run, the rows the data migrations
write (the audit log's triggers are tried in test_audit_log.py)."""

from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def test_every_migration_is_applied_and_none_is_left(db: None) -> None:
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    assert set(executor.loader.disk_migrations) <= set(executor.loader.applied_migrations)


def test_the_data_migrations_rows_are_there(db: None) -> None:
    rule_set = apps.get_model("scoring", "RuleSet")
    assert rule_set.objects.filter(version=1).exists()
