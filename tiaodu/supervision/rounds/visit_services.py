"""The only writers of site visits: recording a visit, its score, its photos and its findings,
and putting a finding on the problem ledger. Each call checks who may, writes atomically and
audits; a refusal (PermissionDenied, ValidationError or `UploadRefused`, translated)
changes nothing.

A visit is recorded by a member of the group or by a dispatcher whose region holds the
project, for a project assigned to the group, while the round is under way.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tiaodu.accounts.models import User
from tiaodu.core import audit, clock
from tiaodu.core.media.accepted import Accepted
from tiaodu.core.media.checks import inspect_upload
from tiaodu.core.media.choices import FileKind
from tiaodu.core.media.errors import RefusalReason, UploadRefused
from tiaodu.core.media.store import store
from tiaodu.core.models import AuditAction
from tiaodu.core.scoping import Actor
from tiaodu.problems import services as problem_services
from tiaodu.problems.choices import ProblemCategory, ProblemSource
from tiaodu.problems.models import Problem
from tiaodu.supervision.rounds import workflow
from tiaodu.supervision.rounds.choices import CRITERION_POINTS, MAX_SCORE
from tiaodu.supervision.rounds.models import (
    Finding,
    RoundAssignment,
    SiteVisit,
    VisitPhoto,
)
from tiaodu.supervision.rounds.permissions import may_raise_finding, may_record_visit

MAX_PHOTOS_PER_VISIT = 30
TITLE_MAX = 200
ONE_PLACE = Decimal("0.1")

Upload = tuple[IO[bytes], str]  # an uploaded file and the name it came with


def _require_recorder(actor: Actor, visit_or_assignment: SiteVisit | RoundAssignment) -> None:
    group, project = visit_or_assignment.group, visit_or_assignment.project
    if not may_record_visit(actor, group, project):
        raise PermissionDenied(
            _(
                "Only a member of %(group)s or a dispatcher of the project's region records "
                "this visit."
            )
            % {"group": group.name}
        )
    if visit_or_assignment.round.status not in workflow.RECORDING:
        raise ValidationError(
            _("Visits are recorded while the round is under way; this round is %(status)s.")
            % {"status": visit_or_assignment.round.get_status_display()}
        )


def _visit_date(visited_on: dt.date | None, visit_round: Any) -> dt.date:
    if visited_on is None:
        raise ValidationError({"visited_on": _("Give the day of the visit.")})
    if visited_on > clock.today():
        raise ValidationError({"visited_on": _("The day of the visit cannot be in the future.")})
    if not visit_round.start_date <= visited_on <= visit_round.end_date:
        raise ValidationError(
            {
                "visited_on": _("The round runs from %(start)s to %(end)s; give a day within it.")
                % {
                    "start": visit_round.start_date.isoformat(),
                    "end": visit_round.end_date.isoformat(),
                }
            }
        )
    return visited_on


# ----------------------------------------------------------------------------- visits


@transaction.atomic
def record_visit(
    *,
    actor: User,
    assignment: RoundAssignment,
    visited_on: dt.date | None,
    visitors: str = "",
    findings: str = "",
    comment: str = "",
) -> SiteVisit:
    """Record the group's visit to an assigned project (one visit per project and round)."""
    assignment = RoundAssignment.objects.select_related(
        "round__region", "group", "project__region"
    ).get(pk=assignment.pk)
    _require_recorder(actor, assignment)
    visited_on = _visit_date(visited_on, assignment.round)
    if SiteVisit.objects.filter(round=assignment.round, project=assignment.project).exists():
        raise ValidationError(
            _("%(project)s has a visit in this round already; change that one.")
            % {"project": assignment.project.name}
        )
    visit = SiteVisit.objects.create(
        round=assignment.round,
        group=assignment.group,
        project=assignment.project,
        visited_on=visited_on,
        visitors=(visitors or "").strip(),
        findings=(findings or "").strip(),
        comment=(comment or "").strip(),
        recorded_by=actor,
    )
    audit.record_create(actor=actor, instance=visit, parent=assignment.project)
    return visit


@transaction.atomic
def update_visit(
    *,
    actor: Actor,
    visit: SiteVisit,
    visited_on: dt.date | None,
    visitors: str = "",
    findings: str = "",
    comment: str = "",
) -> SiteVisit:
    """Change what a visit says: its day, who went, what they found, the comment."""
    visit = _locked(visit)
    _require_recorder(actor, visit)
    before = audit.snapshot(visit)
    visit.visited_on = _visit_date(visited_on, visit.round)
    visit.visitors = (visitors or "").strip()
    visit.findings = (findings or "").strip()
    visit.comment = (comment or "").strip()
    visit.save()
    audit.record_update(actor=actor, instance=visit, before=before, parent=visit.project)
    return visit


def _locked(visit: SiteVisit) -> SiteVisit:
    return (
        SiteVisit.objects.select_for_update(of=("self",))
        .select_related("round__region", "group", "project__region")
        .get(pk=visit.pk)
    )


def _points(value: Any, field: str, most: Decimal) -> Decimal:
    try:
        points = Decimal(str(value))
    except ArithmeticError:
        raise ValidationError({field: _("Give a number.")}) from None
    if not points.is_finite() or points < 0 or points > most:
        raise ValidationError({field: _("Give between 0 and %(most)s points.") % {"most": most}})
    if points != points.quantize(ONE_PLACE):
        raise ValidationError({field: _("Give the points with at most one decimal place.")})
    return points.quantize(ONE_PLACE)


@transaction.atomic
def score_visit(
    *,
    actor: Actor,
    visit: SiteVisit,
    score: Decimal | None = None,
    parts: Mapping[str, Decimal | None] | None = None,
) -> SiteVisit:
    """Score a visit 0–100: a total, or points for each criterion (their sum is the total).
    With neither, the visit is not scored."""
    visit = _locked(visit)
    _require_recorder(actor, visit)
    given = {key: value for key, value in (parts or {}).items() if value is not None}
    unknown = set(given) - set(CRITERION_POINTS)
    if unknown:
        raise ValidationError(_("Unknown criteria: %(names)s.") % {"names": ", ".join(unknown)})
    before = audit.snapshot(visit)
    if given:
        missing = [key for key in CRITERION_POINTS if key not in given]
        if missing:
            raise ValidationError(
                {
                    f"score_{key}": _("Give the points of every criterion, or none.")
                    for key in missing
                }
            )
        points = {
            key: _points(given[key], f"score_{key}", most) for key, most in CRITERION_POINTS.items()
        }
        total = sum(points.values(), Decimal(0))
        if score is not None and _points(score, "score", MAX_SCORE) != total:
            raise ValidationError(
                {"score": _("The total is the sum of the parts: %(total)s.") % {"total": total}}
            )
        for key, value in points.items():
            setattr(visit, f"score_{key}", value)
        visit.score = total
    else:
        for key in CRITERION_POINTS:
            setattr(visit, f"score_{key}", None)
        visit.score = None if score is None else _points(score, "score", MAX_SCORE)
    visit.save()
    audit.record_update(actor=actor, instance=visit, before=before, parent=visit.project)
    return visit


@transaction.atomic
def save_visit(
    *,
    actor: User,
    fields: Mapping[str, Any],
    score: Decimal | None = None,
    parts: Mapping[str, Decimal | None] | None = None,
    findings: Sequence[Mapping[str, Any]] = (),
    uploads: Sequence[Upload] = (),
    assignment: RoundAssignment | None = None,
    visit: SiteVisit | None = None,
) -> SiteVisit:
    """What the visit form saves, all or nothing: the visit recorded for the assignment (or
    the visit changed), its score, its new findings (a row without a title is none) and its
    photos. The visit page and the API both save through here."""
    if visit is None:
        assert assignment is not None
        visit = record_visit(actor=actor, assignment=assignment, **fields)
    else:
        visit = update_visit(actor=actor, visit=visit, **fields)
    visit = score_visit(actor=actor, visit=visit, score=score, parts=parts)
    for row in findings:
        if (row.get("title") or "").strip():
            add_finding(actor=actor, visit=visit, **row)
    if uploads:
        add_photos(actor=actor, visit=visit, uploads=uploads)
    return visit


# ----------------------------------------------------------------------------- photos


def _inspect(handle: IO[bytes], name: str) -> Accepted:
    """The photo as `core.media` accepts it; refused with the file's name in front."""
    try:
        accepted = inspect_upload(handle, name=name)
    except UploadRefused as refusal:
        raise UploadRefused(
            _("%(name)s: %(reason)s") % {"name": name, "reason": refusal.message},
            reason=refusal.reason,
        ) from refusal
    if accepted.kind is not FileKind.PHOTO:
        raise UploadRefused(
            _("%(name)s is a video; a visit keeps photos only (JPEG, PNG, WebP or HEIC).")
            % {"name": name},
            reason=RefusalReason.NOT_MEDIA,
        )
    return accepted


def add_photos(*, actor: User, visit: SiteVisit, uploads: Sequence[Upload]) -> list[VisitPhoto]:
    """Accept photos by their content (re-encoded, metadata stripped: docs/uploads.md) and
    attach them to the visit. Every photo is checked before any is stored: one refused
    photo refuses them all, naming it, and nothing is stored."""
    _require_recorder(actor, visit)
    if not uploads:
        raise ValidationError({"photos": _("Choose one or more photos.")})
    room = MAX_PHOTOS_PER_VISIT - visit.photos.count()
    if len(uploads) > room:
        raise ValidationError(
            {
                "photos": _("A visit keeps at most %(most)s photos; %(room)s more can be added.")
                % {"most": MAX_PHOTOS_PER_VISIT, "room": max(room, 0)}
            }
        )
    accepted = [(name, _inspect(handle, name)) for handle, name in uploads]
    stored: list[VisitPhoto] = []
    with transaction.atomic():
        for name, photo in accepted:
            item = VisitPhoto(visit=visit, uploaded_by=actor)
            stem = f"{visit.project_id}-{visit.pk}-{photo.sha256[:12]}"
            store(item, photo, stem=stem, original_name=name)
            item.save()
            audit.record(
                actor=actor,
                action=AuditAction.CREATE,
                instance=item,
                parent=visit.project,
                changes={"file": ["", item.original_name]},
            )
            stored.append(item)
    return stored


@transaction.atomic
def remove_photo(*, actor: Actor, photo: VisitPhoto) -> None:
    visit = photo.visit
    _require_recorder(actor, visit)
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=photo,
        parent=visit.project,
        changes={"file": [photo.original_name, ""]},
    )
    photo.delete()


# ----------------------------------------------------------------------------- findings


@transaction.atomic
def add_finding(
    *, actor: User, visit: SiteVisit, category: str, title: str, detail: str = ""
) -> Finding:
    """Note something the visit found that holds the project back, with its category."""
    _require_recorder(actor, visit)
    if category not in ProblemCategory.values:
        raise ValidationError({"category": _("Choose one of the categories.")})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Say in a line what was found.")})
    if len(title) > TITLE_MAX:
        raise ValidationError(
            {"title": _("Keep the title to %(count)s characters.") % {"count": TITLE_MAX}}
        )
    finding = Finding.objects.create(
        visit=visit,
        category=category,
        title=title,
        detail=(detail or "").strip(),
        created_by=actor,
    )
    audit.record_create(actor=actor, instance=finding, parent=visit.project)
    return finding


@transaction.atomic
def remove_finding(*, actor: Actor, finding: Finding) -> None:
    """Remove a finding that is not on the problem ledger."""
    finding = Finding.objects.select_for_update(of=("self",)).get(pk=finding.pk)
    visit = finding.visit
    _require_recorder(actor, visit)
    if finding.problem_id is not None:
        raise ValidationError(_("The finding is on the problem ledger; it stays."))
    audit.record_delete(actor=actor, instance=finding, parent=visit.project)
    finding.delete()


def _problem_description(finding: Finding) -> str:
    """The finding's detail and where it was found, in the site's language (the ledger's)."""
    visit = finding.visit
    with translation.override(settings.LANGUAGE_CODE):
        origin = _("Found on the %(kind)s “%(round)s” by %(group)s on %(date)s.") % {
            "kind": visit.round.get_kind_display(),
            "round": visit.round.title,
            "group": visit.group.name,
            "date": visit.visited_on.isoformat(),
        }
    return f"{finding.detail}\n\n{origin}" if finding.detail else origin


@transaction.atomic
def raise_finding_problem(*, actor: User, finding: Finding) -> Problem:
    """Put a finding on the problem ledger in one step: a problem of the visited project,
    source 'site visit', with the finding's category, title and detail, linked to the
    finding. A finding is raised once; a second call is refused and writes nothing."""
    finding = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("visit__round", "visit__group", "visit__project__region")
        .get(pk=finding.pk)
    )
    if finding.problem_id is not None:
        raise ValidationError(_("This finding is on the problem ledger already."))
    project = finding.visit.project
    if not may_raise_finding(actor, project):
        raise PermissionDenied(
            _("A dispatcher of the project's region puts a finding on the problem ledger.")
        )
    problem = problem_services.raise_problem(
        actor=actor,
        project=project,
        category=finding.category,
        title=finding.title,
        description=_problem_description(finding),
        source=ProblemSource.FIELD_ROUND,
    )
    before = audit.snapshot(finding)
    finding.problem = problem
    finding.save(update_fields=["problem", "updated_at"])
    audit.record_update(actor=actor, instance=finding, before=before, parent=project)
    return problem
