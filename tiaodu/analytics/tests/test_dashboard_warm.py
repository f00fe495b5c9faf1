"""The warm round draws the dashboard a reader read lately before they come back (Monday,
after a weekend's changes), so the first read of the day waits for nothing."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tiaodu.analytics import dashboard
from tiaodu.analytics.tests.conftest import AS_OF
from tiaodu.core import clock, stamps
from tiaodu.core.models import KeptRead
from tiaodu.testing import PASSWORD, state_ytd

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2026, 9, 4)
MONDAY = dt.date(2026, 9, 7)


def test_monday_s_dashboard_is_drawn_before_its_first_reader(
    client: Client, stats: Any, settings: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    client.login(username=stats.alice.username, password=PASSWORD)
    with clock.frozen(FRIDAY):
        friday = client.get(reverse("dashboard:page"))
    assert friday.status_code == 200
    assert set(KeptRead.objects.values_list("refresher", flat=True)) >= {"analytics.dashboard"}
    # A change over the weekend.
    with clock.frozen(FRIDAY):
        state_ytd(stats, {"p4": "9000"}, AS_OF)
    drawn: list[dt.date] = []
    build = dashboard.build

    def counted(actor: Any, scope: Any) -> Any:
        drawn.append(scope.as_of)
        return build(actor, scope)

    monkeypatch.setattr(dashboard, "build", counted)

    with clock.frozen(MONDAY):
        done = stamps.warm(MONDAY)
        assert done.failed == 0 and done.computed >= 1
        assert drawn == [AS_OF]  # the page's own date on Monday: the end of August
        drawn.clear()
        monday = client.get(reverse("dashboard:page"))

    assert drawn == []  # Monday's first reader waits for nothing
    assert b"data-refreshed-url" not in monday.content  # and sees the weekend's change
    before = Decimal(friday.context["board"]["figures"]["ytd_completed"])
    assert Decimal(monday.context["board"]["figures"]["ytd_completed"]) != before
