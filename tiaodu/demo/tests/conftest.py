"""The demo's tests load the demo city many times in one process (the same seed, often the
same size): its site photos, drawn and checked as uploads, are most of a load's time. Here
each photo is drawn and checked once per test process and handed out again when a later
load asks for the same one. A photo is a function of what is keyed here (test_photos.py
checks that the same plan draws the same bytes, and draws without this memory), so what a
load stores is unchanged."""

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tiaodu.demo import photos

if TYPE_CHECKING:
    from tiaodu.core.media.accepted import Accepted
    from tiaodu.demo.reports.rounds import Entry, PhotoPlan

DRAWN: "dict[tuple[object, ...], Accepted]" = {}
DRAW = photos._accept


def _drawn_once(job: "tuple[PhotoPlan, Entry]") -> "Accepted":
    photo, entry = job
    key = (
        photo.scene,
        photo.taken_at,
        photo.phone,
        photo.brighten,
        entry.latitude,
        entry.longitude,
    )
    if key not in DRAWN:
        DRAWN[key] = DRAW(job)
    return DRAWN[key]


@pytest.fixture(scope="module", autouse=True)
def _photos_drawn_once(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.module.__name__.endswith(".test_photos"):
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(photos, "_accept", _drawn_once)
        yield
