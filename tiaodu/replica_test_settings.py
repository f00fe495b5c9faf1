"""Settings of the database router's tests (`make test-replica`, tiaodu/core/tests/replica):
the site's settings with a `replica` database that the test runner points at the test
database of `default` (Django's test mirror), the router and its middleware. The normal
suite runs without them, as a site without DATABASE_REPLICA_URL does."""

from tiaodu.settings import *  # noqa: F403
from tiaodu.settings import DATABASES, MIDDLEWARE

DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["tiaodu.core.db_router.ReplicaRouter"]
if "tiaodu.core.db_router.ReplicaRoutingMiddleware" not in MIDDLEWARE:
    MIDDLEWARE = ["tiaodu.core.db_router.ReplicaRoutingMiddleware", *MIDDLEWARE]
