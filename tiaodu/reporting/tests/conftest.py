"""The reporting world: the personas' city with the monthly periods of 2026 opened."""

from typing import Any

import pytest

from tiaodu.reporting import services
from tiaodu.reporting.models import Period
from tiaodu.testing import TODAY


@pytest.fixture
def periods(world: Any) -> dict[int, Period]:
    """The monthly periods of 2026 up to November, by month."""
    services.open_periods(today=TODAY)
    return {p.start.month: p for p in Period.objects.filter(cycle="monthly", start__year=2026)}


@pytest.fixture
def october(periods: dict[int, Period]) -> Period:
    return periods[10]
