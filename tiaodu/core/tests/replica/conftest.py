"""The router's tests run with tiaodu.replica_test_settings (`make test-replica`); the
normal suite, which has no replica database, leaves them out."""

from django.conf import settings

collect_ignore = [] if "replica" in settings.DATABASES else ["test_db_router.py"]
