"""The demo's 百日会战: last year's finished with its final comparison kept, this year's
copied from it and running on the demo's date, over the key-project lists with Suihua's
targets."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from tiaodu.campaigns.models import Campaign
from tiaodu.demo.campaigns import window

AS_OF = dt.date(2026, 12, 6)


def test_the_window_is_a_hundred_days_around_the_demos_date() -> None:
    assert window(2026, AS_OF) == (dt.date(2026, 9, 2), dt.date(2026, 12, 10))
    assert window(2025, AS_OF) == (dt.date(2025, 9, 2), dt.date(2025, 12, 10))
    assert window(2026, dt.date(2026, 2, 1)) == (dt.date(2026, 1, 1), dt.date(2026, 2, 5))


@pytest.mark.django_db
def test_last_years_campaign_ended_and_this_years_runs() -> None:
    call_command(
        "load_demo", "--projects", "40", "--year", "2026", "--as-of", AS_OF.isoformat(),
        "--without", "reports", stdout=StringIO(),
    )  # fmt: skip
    last, current = Campaign.objects.order_by("year")
    assert (last.year, current.year) == (2025, 2026)
    assert current.copied_from == last and current.name == "2026年重点项目百日会战"
    assert last.final is not None and last.final["as_of"] == "2025-12-10"
    assert current.final is None and current.start <= AS_OF <= current.end
    assert [t.indicator for t in current.targets.all()] == [
        "start_rate", "completion_rate", "start_rate", "funds_spent_rate"
    ]  # fmt: skip
    subsets = {t.subset_list.name for t in current.targets.all() if t.subset_list is not None}
    assert subsets == {"专项债券项目"}
    assert sorted(current.lists.values_list("name", flat=True)) == ["市重点项目", "省重点项目"]
    # The trend of the days gone by: one day in ten and the last one.
    days = list(current.days.values_list("day", flat=True))
    assert days[0] == current.start and days[-1] == AS_OF and len(days) == 11
    latest = current.days.order_by("day").last()
    assert latest is not None
    assert set(latest.values) == {str(t.pk) for t in current.targets.all()}
