"""The example client of docs/api.md (scripts/api_client_example.py) against the site on a
loopback server: a hub's nightly pull reads every project once, then only the one that
changed (the others answer 304 to their ETags), and a phone app hands in rita's October
report with a photo."""

import datetime as dt
import importlib.util
from pathlib import Path
from typing import Any

import time_machine

from tiaodu.accounts.tokens import issue_api_token
from tiaodu.core.tests.media_files import encode, scene
from tiaodu.projects import services as project_services
from tiaodu.reporting import services
from tiaodu.reporting.models import Period, ReportFile
from tiaodu.testing import TODAY, build_world

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "api_client_example.py"


def _example() -> Any:
    spec = importlib.util.spec_from_file_location("api_client_example", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_nightly_pull_and_a_phone_report(
    live_server: Any, transactional_db: None, tmp_path: Path
) -> None:
    example = _example()
    world = build_world()
    moment = dt.datetime.combine(TODAY, dt.time(2, 0), tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=True):
        services.open_periods(today=TODAY)
        alice = issue_api_token(actor=None, user=world.alice, name="一网统管")[1]
        hub = example.Tiaodu(live_server.url, alice)
        state: dict[str, Any] = {}
        assert example.nightly_pull(hub, state, limit=4) == {"read": 6, "unchanged": 0, "gone": 0}
        project_services.update_project(
            actor=world.alice, project=world.projects["p4"], remarks="已完成环评"
        )
        assert example.nightly_pull(hub, state, limit=4) == {"read": 1, "unchanged": 5, "gone": 0}
        assert state["projects"][str(world.projects["p4"].pk)]["remarks"] == "已完成环评"

        rita = issue_api_token(actor=None, user=world.rita, name="手机App")[1]
        photo = tmp_path / "工地.jpg"
        photo.write_bytes(encode(scene(5, (800, 600))))
        october = Period.objects.get(cycle="monthly", start=dt.date(2026, 10, 1))
        report = example.hand_in_report(
            example.Tiaodu(live_server.url, rita),
            plan_id=world.plans["p1"].pk,
            period_id=october.pk,
            investment="120.50",
            photo=photo,
        )
    assert (report["status"], report["investment"], len(report["files"])) == (
        "submitted",
        "120.50",
        1,
    )
    assert ReportFile.objects.get().original_name == "工地.jpg"
