"""The demo's tests load the demo city many times in one process (the same seed, often the
same size). Modules that read the same demo share one load per process (`demo_loaded`).
The site photos, drawn and checked as uploads, are most of a load's time: each photo is
drawn and checked once per test process and handed out again when a later load asks for
the same one. A photo is a function of what is keyed here (test_photos.py
checks that the same plan draws the same bytes, and draws without this memory), so what a
load stores is unchanged."""

from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from tiaodu.demo import photos
from tiaodu.testing import Written

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


# The demo as of 6 December 2026 with every part, which the evaluation's, the targets' and the
# consistency tests read (the group "demo-december"). (The campaigns' tests read a demo loaded in Chinese, the
# site's language, which names what it makes through the translations.)
DECEMBER = ("--projects", "40", "--year", "2026", "--as-of", "2026-12-06")

# What `demo_loaded` loaded in this test process, by the command's arguments: what it
# printed, its media folder and its rows.
LOADS: "dict[tuple[str, ...], tuple[str, Path, Written]]" = {}


@contextmanager
def demo_loaded(factory: pytest.TempPathFactory, *args: str) -> Iterator[tuple[str, Path]]:
    """The demo `load_demo *args` makes, in the open transaction, with MEDIA_ROOT on its
    photos, for the block: what the command printed (in English) and the media folder.

    The first module of a test process to ask for these arguments loads the demo; the next
    get the same rows written again (`testing.Written`) and the same folder. Modules sharing
    a load are one `xdist_group`, so that one process runs them. Only for tests that read
    the demo: one that changes it works on its own copy of the rows, inside its transaction,
    but the media folder is shared."""
    if args not in LOADS:
        media = factory.mktemp("demo-media")

        def load() -> str:
            out = StringIO()
            with override_settings(MEDIA_ROOT=media), translation.override("en"):
                call_command("load_demo", *args, stdout=out)
            return out.getvalue()

        printed, written = Written.take(load)
        LOADS[args] = (printed, media, written)
    printed, media, written = LOADS[args]
    with override_settings(MEDIA_ROOT=media):
        written.write()
        yield printed, media
