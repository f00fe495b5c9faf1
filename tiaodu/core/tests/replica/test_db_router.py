"""Which database a request reads (core/db_router.py): the marked heavy pages on the
replica, everything else on the primary, and a request that wrote on the primary from
then on. The replica is Django's test mirror of `default` (tiaodu.replica_test_settings):
the same database through a second connection, so each connection's queries say where
the router sent them. The tests commit (transaction=True): the second connection sees
only committed rows."""

import pytest
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiaodu.core import audit
from tiaodu.core.db_router import (
    PIN_COOKIE,
    ReplicaRouter,
    ReplicaRoutingMiddleware,
    replica_reads,
)
from tiaodu.core.models import AuditAction
from tiaodu.projects.models import AnnualPlan, Project

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def _tables(captured: CaptureQueriesContext) -> str:
    return "\n-- \n".join(query["sql"] for query in captured.captured_queries)


def _get(client, url):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.get(url)
    return response, _tables(primary), _tables(replica)


def test_the_statistics_page_reads_the_figures_from_the_replica(client, world):
    client.force_login(world.dora)
    response, primary, replica = _get(client, reverse("analytics:figures"))
    replica_sql = replica.split("\n-- \n")
    assert response.status_code == 200
    assert '"projects_annualplan"' in replica
    assert '"projects_annualplan"' not in primary
    # The session and the signed-in account are read on the primary, before the view.
    assert '"django_session"' in primary
    assert '"django_session"' not in replica
    # Reads only (PostgreSQL reads a long list through a server-side cursor: DECLARE … SELECT).
    writes = ("INSERT", "UPDATE", "DELETE")
    assert [sql for sql in replica_sql if sql.lstrip().upper().startswith(writes)] == []


def test_the_statistics_api_reads_from_the_replica(client, world):
    client.force_login(world.dora)
    response, primary, replica = _get(client, "/api/v1/stats")
    assert response.status_code == 200
    assert '"projects_annualplan"' in replica
    assert '"projects_annualplan"' not in primary


def test_an_unmarked_page_reads_from_the_primary(client, world):
    client.force_login(world.dora)
    response, primary, replica = _get(client, reverse("projects:list"))
    assert response.status_code == 200
    assert '"projects_annualplan"' in primary
    assert replica == ""


def test_a_marked_request_that_wrote_reads_its_own_write_on_the_primary(world):
    seen: dict[str, int] = {}

    @replica_reads
    def view(request: HttpRequest) -> HttpResponse:
        with CaptureQueriesContext(connections["replica"]) as before:
            seen["before"] = Project.objects.count()
        seen["before_on_replica"] = len(before.captured_queries)
        audit.record(actor=world.dora, action=AuditAction.EXPORT, instance=world.dora)
        with CaptureQueriesContext(connections["default"]) as after:
            seen["after"] = AnnualPlan.objects.count()
        seen["after_on_primary"] = len(after.captured_queries)
        return HttpResponse("ok")

    request = RequestFactory().get("/analytics/")
    response = ReplicaRoutingMiddleware(view)(request)
    assert seen["before"] == Project.objects.count() and seen["before_on_replica"] == 1
    assert seen["after"] == AnnualPlan.objects.count() and seen["after_on_primary"] == 1
    # The browser keeps to the primary for a few seconds after its write.
    assert response.cookies[PIN_COOKIE]["max-age"] > 0

    pinned = RequestFactory().get("/analytics/")
    pinned.COOKIES[PIN_COOKIE] = "1"
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        ReplicaRoutingMiddleware(
            replica_reads(lambda request: HttpResponse(str(Project.objects.count())))
        )(pinned)
    assert on_replica.captured_queries == []


def test_a_marked_request_that_only_read_leaves_no_pin(world):
    request = RequestFactory().get("/analytics/")
    response = ReplicaRoutingMiddleware(
        replica_reads(lambda request: HttpResponse(str(Project.objects.count())))
    )(request)
    assert PIN_COOKIE not in response.cookies


def test_migrations_run_on_the_primary_only():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "projects")
    assert not router.allow_migrate("replica", "projects")
