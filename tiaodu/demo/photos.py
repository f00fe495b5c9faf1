"""The demo's site photos: a generated scene per project and period, as a phone would send it.

Each scene is drawn from its own seed: a sky and ground whose light falls from a random
side, buildings under construction, a crane or two, a fence, scaffolding and piles of
material, each at a random place and in random colours, so that the perceptual hashes of
two scenes differ in about half their bits, as photos of different sites do. A reused
photo is the same scene again, slightly brighter and re-encoded: its hash stays within a
few bits, which the sixth check catches. The JPEG carries the EXIF date it was taken, a
GPS position near the project and a phone's make and model.

The photos of the earlier rounds are stored here as an upload stores them (accepted by the
upload check, saved by their content with a thumbnail, the photo each looks like found
among those sent before it); all of the demo's photo storing is in this module. Drawing and
checking them is most of the demo's loading time and needs nothing but the pictures, so
where the system can fork it is spread over the machine's cores (`accept_all`).
"""

import io
import multiprocessing
import os
import random
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageEnhance

from tiaodu.core import bulk
from tiaodu.core.media.accepted import Accepted
from tiaodu.core.media.checks import inspect_upload
from tiaodu.core.media.choices import FileKind
from tiaodu.core.media.phash import NEAR
from tiaodu.core.media.store import store
from tiaodu.reporting.models import Report, ReportFile

if TYPE_CHECKING:
    from tiaodu.demo.reports.rounds import Entry, PhotoPlan, ReportPlan
    from tiaodu.demo.reports.writer import Staff

WIDTH, HEIGHT = 640, 480
# Below this many photos the workers would cost more to start than they save.
PARALLEL_FROM = 64
MAX_WORKERS = 8
QUALITY = 82
PHONES = (
    ("HUAWEI", "ALN-AL00"),
    ("HUAWEI", "Mate 60"),
    ("Xiaomi", "23127PN0CC"),
    ("OPPO", "PHZ110"),
    ("vivo", "V2309A"),
    ("Apple", "iPhone 15"),
)
SKIES = ((118, 168, 222), (176, 196, 214), (205, 214, 222), (96, 150, 210), (224, 200, 170))
GROUNDS = ((140, 118, 92), (120, 110, 100), (160, 150, 130), (98, 90, 80), (150, 128, 96))
STEEL = ((214, 160, 32), (200, 60, 40), (230, 200, 40), (60, 90, 160))
WALLS = ((190, 190, 186), (160, 160, 156), (210, 204, 190), (120, 124, 130), (176, 150, 128))


def _mix(colour: tuple[int, ...], other: tuple[int, ...], share: float) -> tuple[int, ...]:
    return tuple(round(a + (b - a) * share) for a, b in zip(colour, other, strict=True))


def _jitter(rng: random.Random, colour: tuple[int, ...], spread: int = 24) -> tuple[int, ...]:
    return tuple(max(0, min(255, c + rng.randint(-spread, spread))) for c in colour)


def scene(seed: str) -> Image.Image:
    """A construction site drawn from `seed` (the same seed, the same picture)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    horizon = rng.randint(HEIGHT // 3, HEIGHT * 2 // 3)
    sky, ground = _jitter(rng, rng.choice(SKIES)), _jitter(rng, rng.choice(GROUNDS))
    light_from_left = rng.random() < 0.5
    bright: tuple[int, ...] = (255, 255, 250)
    dim: tuple[int, ...] = (40, 40, 60)
    for x in range(0, WIDTH, 8):  # the light falls from one side: the scene is never flat
        share = x / WIDTH if light_from_left else 1 - x / WIDTH
        draw.rectangle((x, 0, x + 8, horizon), fill=_mix(sky, bright, 0.35 * (1 - share)))
        draw.rectangle((x, horizon, x + 8, HEIGHT), fill=_mix(ground, dim, 0.45 * share))
    x = -rng.randint(0, 40)
    while x < WIDTH:  # the city behind the site: a skyline of every height and tone
        width = rng.randint(20, 70)
        tone = _mix(sky, dim, rng.uniform(0.15, 0.6))
        draw.rectangle(
            (x, horizon - rng.randint(10, horizon * 3 // 4), x + width, horizon), fill=tone
        )
        x += width + rng.randint(0, 30)
    for _ in range(rng.randint(4, 10)):  # patches of soil, gravel and puddles
        x, y = rng.randint(-60, WIDTH), rng.randint(horizon, HEIGHT)
        patch = _mix(ground, (255, 255, 255) if rng.random() < 0.5 else dim, rng.uniform(0.1, 0.4))
        draw.ellipse((x, y, x + rng.randint(60, 220), y + rng.randint(20, 90)), fill=patch)
    for _ in range(rng.randint(2, 5)):  # buildings going up, floor by floor
        width = rng.randint(50, 190)
        left = rng.randint(-40, WIDTH - 20)
        top = rng.randint(40, horizon - 10)
        wall = _jitter(rng, rng.choice(WALLS), 30)
        draw.rectangle((left, top, left + width, horizon + 12), fill=wall)
        for floor in range(top + 12, horizon, rng.randint(14, 26)):
            draw.line((left, floor, left + width, floor), fill=_mix(wall, dim, 0.4), width=2)
        if rng.random() < 0.6:  # scaffolding on one face
            step = rng.randint(8, 14)
            for x in range(left, left + width // 2, step):
                draw.line((x, top, x, horizon), fill=(90, 80, 70), width=1)
    for _ in range(rng.randint(1, 2)):  # tower cranes
        mast = rng.randint(30, WIDTH - 30)
        top = rng.randint(15, max(20, horizon - 150))
        colour = rng.choice(STEEL)
        draw.rectangle((mast - 5, top, mast + 5, horizon), fill=colour)
        jib = rng.randint(120, 300) * (1 if rng.random() < 0.5 else -1)
        draw.line((mast - jib // 4, top + 8, mast + jib, top + 8), fill=colour, width=6)
        hook = mast + jib * rng.randint(3, 9) // 10
        draw.line((hook, top + 8, hook, top + rng.randint(40, 160)), fill=(40, 40, 40), width=2)
    fence = _jitter(rng, (40, 110, 170), 30)
    draw.rectangle((0, horizon + 10, WIDTH, horizon + rng.randint(24, 44)), fill=fence)
    for _ in range(rng.randint(3, 9)):  # piles of material and machines on the ground
        x, y = rng.randint(0, WIDTH), rng.randint(horizon + 30, HEIGHT)
        w, h = rng.randint(20, 120), rng.randint(10, 60)
        pile = _jitter(rng, rng.choice((*STEEL, *WALLS, (70, 70, 70))), 30)
        if rng.random() < 0.5:
            draw.ellipse((x, y, x + w, y + h), fill=pile)
        else:
            draw.rectangle((x, y, x + w, y + h), fill=pile)
    return image


def _dms(value: Decimal) -> tuple[int, int, float]:
    """Decimal degrees as degrees, minutes and seconds, as EXIF writes a position."""
    degrees = int(value)
    minutes_full = (value - degrees) * 60
    minutes = int(minutes_full)
    return (degrees, minutes, round(float(minutes_full - minutes) * 60, 2))


def jpeg(
    image: Image.Image,
    *,
    taken_at: datetime,
    latitude: Decimal,
    longitude: Decimal,
    phone: tuple[str, str],
    brighten: float = 1.0,
) -> bytes:
    """The picture as a phone's JPEG: its EXIF date (local time), GPS position and camera."""
    if brighten != 1.0:
        image = ImageEnhance.Brightness(image).enhance(brighten)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = phone  # Make, Model
    details = exif.get_ifd(0x8769)
    details[0x9003] = taken_at.strftime("%Y:%m:%d %H:%M:%S")  # DateTimeOriginal
    details[0x9011] = "+08:00"  # OffsetTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", _dms(abs(latitude))
    gps[3], gps[4] = "E", _dms(abs(longitude))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=QUALITY, exif=exif.tobytes())
    return out.getvalue()


def _accept(job: "tuple[PhotoPlan, Entry]") -> Accepted:
    """One photo drawn as the phone sent it, and accepted as an upload is."""
    photo, entry = job
    return inspect_upload(io.BytesIO(photo.content(entry)), name=photo.name)


def _workers() -> int:
    """How many processes may draw and check photos: one per core, where the system forks
    and this process runs a single thread (a thread holding a lock at the fork would leave
    the child waiting on it forever); else none."""
    if "fork" not in multiprocessing.get_all_start_methods() or not _single_threaded():
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(cores or 1, MAX_WORKERS)


def _single_threaded() -> bool:
    """Whether the process runs one thread, counting those Python's `threading` does not
    know of (a test runner's, a driver's)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return threading.active_count() == 1


def accept_all(
    jobs: "Sequence[tuple[PhotoPlan, Entry]]", *, workers: int | None = None
) -> Iterator[Accepted]:
    """The photos accepted, in the order of `jobs`; drawn and checked by `workers` forked
    processes when there are enough of them (the same bytes as one process draws)."""
    workers = _workers() if workers is None else workers
    if workers < 2 or len(jobs) < PARALLEL_FROM:
        yield from map(_accept, jobs)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(_accept, jobs, chunksize=16)


def store_report_photos(
    written: "list[tuple[ReportPlan, Report]]", staff: "Staff"
) -> list[ReportFile]:
    """Each report's photos, accepted and stored as uploads are, oldest period first."""
    items: list[ReportFile] = []
    seen: list[tuple[int, tuple[int, int], ReportFile]] = []
    ordered = sorted(written, key=lambda pair: (pair[0].period.end, pair[0].entry.name))
    sent = [(plan, report, photo) for plan, report in ordered for photo in plan.photos]
    accepted_photos = accept_all([(photo, plan.entry) for plan, _report, photo in sent])
    for (plan, report, photo), accepted in zip(sent, accepted_photos, strict=True):
        item = ReportFile(
            report=report,
            kind=FileKind.PHOTO,
            phash=accepted.phash or "",
            uploaded_by=staff.reporters.get(plan.entry.project_id) or staff.city,
        )
        stem = f"{report.project_id}-{report.period_id}-{accepted.sha256[:12]}"
        store(item, accepted, stem=stem, original_name=photo.name)
        key = (report.project_id, report.period_id)
        phash = int(item.phash, 16)
        best: tuple[int, ReportFile] | None = None
        for other_hash, other_key, other in seen:
            distance = (phash ^ other_hash).bit_count()
            closer = best is None or distance < best[0]
            if other_key != key and distance <= NEAR and closer:
                best = (distance, other)
        item.looks_like = best[1] if best else None
        seen.append((phash, key, item))
        items.append(item)
    bulk.insert(ReportFile, items)
    return items
