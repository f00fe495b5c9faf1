"""The demo city's dispatch rounds (`load_demo`'s reports part): every status, late and
missing reports, photos stored by their content and some reused, the figures adding the
approved reports after the ledger's date, and the same rounds for the same seed."""

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, Sum
from django.test import override_settings
from django.utils import translation

from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, User
from tiaodu.analytics.figures import figure_set
from tiaodu.core.roles import Role
from tiaodu.demo.reports.reporters import PREFIX
from tiaodu.demo.reports.rounds import Fate
from tiaodu.projects.models import AnnualPlan
from tiaodu.reporting import workflow
from tiaodu.reporting.choices import ReportStatus
from tiaodu.reporting.figures import counting_reports
from tiaodu.reporting.models import Report, ReportFile
from tiaodu.reporting.permissions import relations
from tiaodu.reporting.selectors import due_for, review_queue
from tiaodu.testing import rolled_back

AS_OF = dt.date(2026, 11, 22)
# One test process loads the demo for all of them: the photos are drawn once (conftest.py).
pytestmark = pytest.mark.xdist_group("demo-reports")


def load(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command(
            "load_demo", "--projects", "24", "--year", "2026", "--as-of", AS_OF.isoformat(),
            *args, stdout=out,
        )  # fmt: skip
    return out.getvalue()


def fingerprint() -> tuple[Any, ...]:
    """What the rounds wrote, by names and values (not ids)."""
    reports = Report.objects.order_by("project__name", "period__start", "amendment")
    return (
        sorted(Counter(reports.values_list("status", flat=True)).items()),
        [(r.project.name, str(r.period.start), r.amendment, r.investment) for r in reports],
        sorted(ReportFile.objects.values_list("sha256", flat=True)),
    )


@pytest.mark.django_db
def test_the_reports_can_be_left_out(media_root: Path):
    """This one writes the demo itself: it runs before the module's shared load."""
    load("--without", "reports")
    assert not Report.objects.exists()
    assert Fate.MISSING == "missing"


@pytest.fixture(scope="module")
def loads(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path, tuple[Any, ...]]]:
    """The demo with its rounds loaded twice with the same seed: the first load's
    fingerprint, taken and rolled back; then the second load, kept for the tests that only
    read it (what it printed, its media folder), rolled back after them."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), rolled_back():
        with transaction.atomic(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("first")):
            load()
            first = fingerprint()
            transaction.set_rollback(True)
        assert not Report.objects.exists()
        with override_settings(MEDIA_ROOT=media):
            yield load(), media, first


@pytest.fixture
def loaded(loads: tuple[str, Path, tuple[Any, ...]]) -> tuple[str, Path]:
    printed, media, _first = loads
    return printed, media


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_rounds(loads: tuple[str, Path, tuple[Any, ...]]):
    _printed, _media, first = loads
    assert fingerprint() == first
    assert Counter(status for status, _n in first[0])


@pytest.mark.django_db
def test_the_demo_writes_two_years_of_rounds_with_photos(loaded: tuple[str, Path]):
    out, media_root = loaded

    assert "reports:" in out and "report photos:" in out
    statuses = set(Report.objects.values_list("status", flat=True))
    assert statuses == set(ReportStatus.values)
    years = {period.year for period in Report.objects.values_list("period__end", flat=True)}
    assert years == {2025, 2026}
    # Late: submitted after the due date; an amendment corrects an approved report.
    late = Report.objects.filter(
        status=ReportStatus.APPROVED, submitted_at__date__gt=F("period__due_date")
    )
    assert late.exists()
    assert Report.objects.filter(amendment__gt=0, is_current=True).exists()
    assert Report.objects.filter(
        amendment=0, status=ReportStatus.APPROVED, is_current=False
    ).exists()
    # Photos are stored by their content, with a thumbnail, and a reused one is flagged.
    photos = ReportFile.objects.all()
    assert photos.count() > 10
    for item in photos[:5]:
        stored = media_root / str(item.file.name)
        assert stored.is_file() and item.sha256[:12] in stored.name
        assert (media_root / str(item.thumbnail.name)).is_file()
    assert photos.exclude(looks_like=None).exists()
    assert len(set(photos.values_list("phash", flat=True))) > photos.count() * 0.9
    assert Report.objects.filter(warnings__icontains='"rule": 5').exists()
    assert Report.objects.filter(warnings__icontains='"rule": 4').exists()

    # The demo accounts: the reporter has reports due, a returned one and approved history;
    # the dispatchers have a review queue.
    reporter = User.objects.get(username="reporter")
    due = due_for(reporter, AS_OF)
    assert any(item.report is None for item in due)
    assert any(item.status == ReportStatus.RETURNED for item in due)
    scope = reporter.scope_grants()[0].unit_path
    assert (
        Report.objects.filter(
            project__owner_unit__path__startswith=scope, status=ReportStatus.APPROVED
        ).count()
        > 20
    )
    assert review_queue(User.objects.get(username="dispatcher"))
    assert review_queue(User.objects.get(username="district"))

    # The figures: the ledger's figure plus the approved reports after the ledger's date.
    counted = Report.objects.filter(counting_reports(), plan__year=2026)
    assert counted.exists()
    first = counted.first()
    assert first is not None
    plan = AnnualPlan.objects.get(pk=first.plan_id)
    added = counted.filter(plan=plan).aggregate(total=Sum("investment"))["total"]
    assert plan.reported_investment == added
    ledger = AnnualPlan.objects.filter(year=2026).aggregate(total=Sum("ytd_completed"))["total"]
    reported = counted.aggregate(total=Sum("investment"))["total"]
    dispatcher = User.objects.get(username="dispatcher")
    figures = figure_set(actor=dispatcher, year=2026, as_of=AS_OF)
    assert Decimal(str(figures["ytd_completed"])) == ledger + reported


@pytest.mark.django_db
def test_every_report_past_draft_has_its_submitter_and_reviewer(loaded: tuple[str, Path]):
    out, _media = loaded

    reporters = User.objects.filter(username__startswith=PREFIX)
    owner_units = OrgUnit.objects.filter(kind=OrgUnitKind.OWNER_UNIT)
    covered = User.objects.get(username="reporter").scope_grants()[0].unit_path
    # One reporter for every owner unit the demo `reporter` does not cover; none can sign
    # in, and none is printed: the printed accounts are the eleven that can (the bank too).
    assert reporters.count() == owner_units.exclude(path__startswith=covered).count() > 0
    assert not any(user.has_usable_password() for user in reporters)
    assert set(reporters.values_list("org_unit_id", flat=True)) == set(
        owner_units.exclude(path__startswith=covered).values_list("pk", flat=True)
    )
    assert not any(user.username in out for user in reporters)
    assert User.objects.exclude(username__startswith=PREFIX).count() == 11
    for user in reporters:
        assert user.org_unit is not None
        assert [(g.role, g.unit_path) for g in user.scope_grants()] == [
            (Role.REPORTER, user.org_unit.path)
        ]

    past_draft = Report.objects.exclude(status=ReportStatus.DRAFT).select_related(
        "project", "project__region", "project__owner_unit", "project__service_officer"
    )
    assert past_draft.count() > 500
    assert not past_draft.filter(submitted_by=None).exists()
    by_officer = 0
    for report in past_draft:
        submitter, owner = report.submitted_by, report.project.owner_unit
        assert submitter is not None and owner is not None
        assert workflow.REPORTER in relations(submitter, report.project), report
        if submitter.username == "officer":
            by_officer += 1
            continue
        # Otherwise a reporter whose unit covers the project's owner unit.
        grants = submitter.scope_grants()
        assert any(
            g.role == Role.REPORTER and owner.path.startswith(g.unit_path) for g in grants
        ), report
    assert by_officer < past_draft.count() / 10
    approved = Report.objects.filter(status=ReportStatus.APPROVED)
    assert not approved.filter(approved_by=None).exists()
    assert not approved.filter(approved_at=None).exists()
    assert not Report.objects.filter(
        status=ReportStatus.DISTRICT_APPROVED, district_approved_by=None
    ).exists()
