"""The API under generated requests (schemathesis, from the OpenAPI schema the site serves):
for each operation and each persona's token, no answer is a server error and every answer
is one the schema describes — its status code, content type and body.

The requests go through Django's WSGI handler in this process, on the test's database (as
Django's test client does, the connection is not closed between requests)."""

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
import time_machine
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.http import HttpRequest, HttpResponse
from hypothesis import HealthCheck, Phase, settings
from ninja.errors import ValidationError
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tiaodu.accounts.tokens import issue_api_token
from tiaodu.api import api, invalid
from tiaodu.core.tests.media_files import encode, exif, scene
from tiaodu.reporting import services
from tiaodu.reporting.models import Period
from tiaodu.supervision.meetings import services as meeting_services
from tiaodu.supervision.notices import services as notice_services
from tiaodu.supervision.rounds import services as round_services
from tiaodu.testing import TODAY, problem_in

# Each operation is called by the persona whose work it serves, so that the generated input
# reaches the operation's own code rather than a refusal of the caller: the reports' by
# rita (a reporter, whose token serves the reports only), the problems' by hank (a
# department's handler, who takes their steps), every other by alice (the city's
# dispatcher). Which persona gets which answer is the persona walk's business
# (test_api_personas.py, all eleven); this test asks that no input breaks an operation.
CALLERS = {"/api/v1/reports/": "rita", "/api/v1/problems/": "hank"}


def caller_of(path: str, callers: dict[str, str]) -> str:
    return next((who for start, who in callers.items() if path.startswith(start)), "alice")


# What the answers must be. (Whether the schema states every bound a request is refused
# for — a date of year 2000 is a date, yet the statistics refuse it with a 400 — is not
# asked: such a refusal is a documented 400.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = WSGIHandler()


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """Keep the test's connection (and so its transaction) across the WSGI requests."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def on_today() -> Iterator[None]:
    """TODAY, 10:00 in Qingdao (October is due, November under way)."""
    moment = dt.datetime.combine(TODAY, dt.time(2, 0), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=True):
        yield


@pytest.fixture
def token_for(world: Any, callers: dict[str, str], on_today: None) -> Callable[[str], str]:
    """The API token of the caller of a path (issued once a test)."""
    issued: dict[str, str] = {}

    def token(path: str) -> str:
        persona = caller_of(path, callers)
        if persona not in issued:
            user = getattr(world, persona)
            issued[persona] = issue_api_token(actor=None, user=user, name="fuzz")[1]
        return issued[persona]

    return token


@pytest.fixture
def real_ids(world: Any, on_today: None) -> dict[str, int]:
    """Objects that exist, for the path's ids: generated ids almost never name one. Each
    persona may or may not see them (a 404 is then the answer)."""
    services.open_periods(today=TODAY)
    october = Period.objects.get(cycle="monthly", start=dt.date(2026, 10, 1))
    report = services.open_draft(actor=world.rita, plan=world.plans["p1"], period=october)
    photo = encode(scene(7, (800, 600)), exif=exif(taken="2026:10:20 09:15:00"))
    upload = SimpleUploadedFile("工地.jpg", photo, content_type="image/jpeg")
    item = services.add_file(actor=world.rita, report=report, upload=upload, name="工地.jpg")
    problem = problem_in(world, "reported")
    notice = notice_services.issue_notice(
        actor=world.dora,
        kind="reminder",
        recipient_unit=world.unit_a,
        projects=[world.projects["p1"]],
        subject="进度滞后",
        body="请说明原因。",
    )
    meeting = meeting_services.create_meeting(
        actor=world.dora,
        kind="consultation",
        title="会商",
        date=TODAY,
        convening_unit=world.huangdao,
    )
    field_round = round_services.create_round(
        actor=world.dora,
        kind="inspection",
        title="督查",
        region=world.huangdao,
        start_date=TODAY,
        end_date=TODAY,
    )
    return {
        "project_id": world.projects["p1"].pk,
        "report_id": report.pk,
        "file_id": item.pk,
        "campaign_id": 1,
        "problem_id": problem.pk,
        "notice_id": notice.pk,
        "meeting_id": meeting.pk,
        "round_id": field_round.pk,
    }


@pytest.fixture
def validation_refusals() -> Iterator[list[set[str]]]:
    """The parts of the request (path, query, body…) each refusal by the schema's
    validation named, in the order of the requests: the API's own answer is unchanged."""
    refusals: list[set[str]] = []

    def recording(request: HttpRequest, error: Any) -> HttpResponse:
        refusals.append({str(item["loc"][0]) for item in error.errors if item.get("loc")})
        return invalid(request, error)

    api.add_exception_handler(ValidationError, recording)
    try:
        yield refusals
    finally:
        original: Any = invalid  # the API's own handler, put back
        api.add_exception_handler(ValidationError, original)


@pytest.fixture
def sent() -> set[str]:
    """The requests an operation's test has sent: its examples share the fixture (Hypothesis
    calls the test once for each, within one pytest test)."""
    return set()


def sent_before(case: Any, sent: set[str]) -> bool:
    """Whether this very request (method, path with its ids, query, headers, body) was sent
    in this operation's test already; if not, it is noted as sent."""
    key = repr((case.method, case.formatted_path, case.query, case.headers, case.body))
    key += repr(case.media_type)
    if key in sent:
        return True
    sent.add(key)
    return False


# pytest's own parameter gives each operation's case a test id of its own ("[GET …][by
# its persona]"): without one, the cases of every operation share one id, and the
# parallel run (pytest-xdist), which collects by id, would run one of them.
@pytest.mark.parametrize("callers", [CALLERS], ids=["by its persona"])
@schema.parametrize()
@settings(
    max_examples=3,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_no_answer_outside_the_schema(
    case: Any,
    token_for: Callable[[str], str],
    connection_kept: None,
    sent: set[str],
    validation_refusals: list[set[str]],
    request: pytest.FixtureRequest,
) -> None:
    """Each generated request as generated, then (if its path names an object) again with
    the path naming one that exists (made once per operation, only for the operations
    whose path names one). The second is not sent when it would repeat a request of the
    operation's test (the generated ids were the real ones already, or were of the wrong
    type in several examples that differ only there), nor when its answer is known
    without it: after a 405 (a method the path does not route is refused by the path's
    pattern, whichever object its ids name), and after a refusal by the schema's
    validation that named no part of the path (its query, body or headers would be
    refused the same, before the operation's code runs, whichever object the ids name)."""
    headers = {"Authorization": f"Bearer {token_for(case.path)}"}
    refused_before = len(validation_refusals)
    response = case.call_and_validate(headers=headers, checks=CHECKS)
    sent_before(case, sent)
    refused = validation_refusals[refused_before:]
    if refused and "path" not in refused[-1]:
        return
    if case.path_parameters and response.status_code != 405:
        real_ids: dict[str, int] = request.getfixturevalue("real_ids")
        case.path_parameters = {
            name: real_ids.get(name, value) for name, value in case.path_parameters.items()
        }
        if not sent_before(case, sent):
            case.call_and_validate(headers=headers, checks=CHECKS)


def test_a_body_the_schema_refuses_is_refused_before_the_path_names_anything(
    client: Any, world: Any, validation_refusals: list[set[str]]
) -> None:
    """What the fuzz test's second call may leave out: a request whose body the schema's
    validation refuses is refused alike, naming the body only, whether its path names a
    project that exists, one that does not, or one outside the caller's scope — the
    operation's code, which would look the project up, never runs."""
    token = issue_api_token(actor=None, user=world.dora, name="fuzz")[1]
    headers = {"Authorization": f"Bearer {token}"}
    before = world.projects["p1"].name
    inside, outside = world.projects["p1"].pk, world.projects["p3"].pk
    answers = []
    for project_id in (inside, outside, 999_999):
        response = client.patch(
            f"/api/v1/projects/{project_id}",
            data={"name": ["a list where a text belongs"]},
            content_type="application/json",
            headers=headers,
        )
        answers.append((response.status_code, response.json()["fields"]))
    assert [status for status, _fields in answers] == [422, 422, 422]
    assert [list(fields) for _status, fields in answers] == [["name"]] * 3
    assert answers[0] == answers[1] == answers[2]
    assert validation_refusals == [{"body"}] * 3
    world.projects["p1"].refresh_from_db()
    assert world.projects["p1"].name == before
