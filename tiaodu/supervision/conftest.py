"""The supervision tests' clock: Thursday 5 November 2026, 18:00 in Shanghai, for the
notices', the meetings' and the field rounds' tests alike."""

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine

NOW = dt.datetime(2026, 11, 5, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield
