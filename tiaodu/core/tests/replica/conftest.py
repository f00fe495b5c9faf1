"""The router's tests run with tiaodu.replica_test_settings (`make test-replica`, which also
installs the "multi" extra the settings tests need); the normal suite, which has no replica
database, leaves them out."""

from django.conf import settings

collect_ignore_glob = [] if "replica" in settings.DATABASES else ["test_*.py"]
