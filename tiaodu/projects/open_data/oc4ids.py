"""A year's published projects as an OC4IDS 0.9 project package (docs/open-data.md).

`build_package` is the one place the package is made: `manage.py export_oc4ids` writes it to
a file and `GET /api/v1/open-data/oc4ids` answers it. It shows the projects of
`published.published_plans` and nothing else; of each, only what a project's public page
would say: no contacts, no people, no figures of the dispatch rounds.

Texts (the labels of levels, natures and procedures) are written in Chinese whatever the
caller's language: the package says `"language": "zh"`.
"""

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tiaodu.accounts.models import OrgUnit
from tiaodu.core import clock
from tiaodu.projects.choices import ProcedureKind, ProcedureStatus, ProjectFundingType
from tiaodu.projects.models import AnnualPlan, ListMembership, Procedure
from tiaodu.projects.open_data import codes
from tiaodu.projects.open_data.published import (
    NotPublished,
    Publication,
    open_data_list,
    publication,
    published_plans,
)

OC4IDS_VERSION = "0.9"
CURRENCY = "CNY"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# The identifier schemes the package names (docs/open-data.md, "Identifiers").
PROJECT_CODE_SCHEME = "CN-TZXMDM"  # 投资项目统一代码, GB/T 40058-2021
CREDIT_CODE_SCHEME = "CN-USCC"  # 统一社会信用代码, GB 32100-2015
DIVISION_SCHEME = "CN-GB2260"  # 行政区划代码, GB/T 2260
LEVEL_SCHEME = "tiaodu-level"
NATURE_SCHEME = "tiaodu-nature"


def day_start(day: dt.date) -> str:
    """A date of the domain as OC4IDS's date-time: its first moment in Shanghai."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=SHANGHAI).isoformat()


def day_end(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=SHANGHAI).isoformat()


def moment(value: dt.datetime) -> str:
    return timezone.localtime(value, SHANGHAI).isoformat(timespec="seconds")


def yuan(amount: Decimal) -> int:
    """万元 (two places) in yuan: a whole number, exactly."""
    return int((amount * 10000).to_integral_value())


def value(amount: Decimal) -> dict[str, Any]:
    return {"amount": yuan(amount), "currency": CURRENCY}


def _period(start: dt.date | None, end: dt.date | None) -> dict[str, str]:
    period = {}
    if start is not None:
        period["startDate"] = day_start(start)
    if end is not None:
        period["endDate"] = day_end(end)
    return period


def _party(unit: OrgUnit, roles: list[str]) -> dict[str, Any]:
    party: dict[str, Any] = {"id": f"unit-{unit.pk}", "name": unit.name}
    if unit.credit_code:
        party["identifier"] = {"scheme": CREDIT_CODE_SCHEME, "id": unit.credit_code}
    if roles:
        party["roles"] = roles
    return party


def parties(plan: AnnualPlan) -> list[dict[str, Any]]:
    """The owner unit (publicAuthority for a government investment, funder for an
    enterprise's) and the responsible department (administrativeEntity)."""
    project = plan.project
    found: list[dict[str, Any]] = []
    roles_by_funding: dict[str, list[str]] = {
        ProjectFundingType.GOVERNMENT: ["publicAuthority"],
        ProjectFundingType.ENTERPRISE: ["funder"],
    }
    owner_roles = roles_by_funding.get(project.funding_type, [])
    if project.owner_unit is not None:
        found.append(_party(project.owner_unit, owner_roles))
    responsible = project.responsible_unit
    if responsible is not None:
        if responsible == project.owner_unit:
            found[0].setdefault("roles", []).append("administrativeEntity")
        else:
            found.append(_party(responsible, ["administrativeEntity"]))
    return found


def locations(plan: AnnualPlan) -> list[dict[str, Any]]:
    """The project's region (its division code) and, when it has one, its point."""
    project = plan.project
    region = project.region
    location: dict[str, Any] = {
        "id": "1",
        "description": project.location or region.name,
        "address": {"region": region.name, "countryName": _("China")},
    }
    if region.region_code:
        location["gazetteer"] = {"scheme": DIVISION_SCHEME, "identifiers": [region.region_code]}
    if project.longitude is not None and project.latitude is not None:
        location["geometry"] = {
            "type": "Point",
            "coordinates": [float(project.longitude), float(project.latitude)],
        }
    return [location]


def _milestone_status(due: dt.date | None, met: dt.date | None, today: dt.date) -> str:
    if met is not None:
        return "met"
    return "notMet" if due is not None and due < today else "scheduled"


def milestones(plan: AnnualPlan, today: dt.date) -> list[dict[str, Any]]:
    """Start, completion and production (planned on the year's entry, actual on the
    project), then the procedures that are needed, each with its state."""
    project = plan.project
    found: list[dict[str, Any]] = []
    dated = (
        ("commencement", _("Start of construction"), plan.planned_start, project.actual_start),
        (
            "completion",
            _("Completion of construction"),
            plan.planned_completion,
            project.actual_completion,
        ),
        (
            "commissioning",
            _("Start of production"),
            plan.planned_production,
            project.actual_production,
        ),
    )
    for code, title, due, met in dated:
        if due is None and met is None:
            continue
        milestone: dict[str, Any] = {
            "id": code,
            "title": title,
            "type": "delivery",
            "code": code,
            "status": _milestone_status(due, met, today),
        }
        if due is not None:
            milestone["dueDate"] = day_start(due)
        if met is not None:
            milestone["dateMet"] = day_start(met)
        found.append(milestone)
    order = [kind.value for kind in ProcedureKind]
    procedures: list[Procedure] = sorted(
        project.procedures.all(), key=lambda item: order.index(item.kind)
    )
    for procedure in procedures:
        if procedure.status == ProcedureStatus.NOT_NEEDED:
            continue
        done = procedure.status == ProcedureStatus.DONE
        milestone = {
            "id": f"procedure-{procedure.kind}",
            "title": procedure.get_kind_display(),
            "type": "approval",
            "status": "met" if done else "notMet",
        }
        if procedure.kind == ProcedureKind.PROJECT_APPROVAL:
            milestone["code"] = "projectApproval"
        if done and procedure.completed_on is not None:
            milestone["dateMet"] = day_start(procedure.completed_on)
        found.append(milestone)
    return found


def project_record(plan: AnnualPlan, site: Publication, today: dt.date) -> dict[str, Any]:
    """One published plan entry as an OC4IDS project."""
    project = plan.project
    record: dict[str, Any] = {
        "id": f"{site.prefix}-{project.pk}",
        "updated": moment(max(project.updated_at, plan.updated_at)),
        "language": "zh",
        "title": project.name,
    }
    if project.code:
        record["identifiers"] = [{"scheme": PROJECT_CODE_SCHEME, "id": project.code}]
    if project.construction_content.strip():
        record["description"] = project.construction_content.strip()
    record["status"] = codes.project_status(plan)
    record["type"] = codes.project_type(project.name)
    sectors = codes.project_sectors(
        industry=project.industry, name=project.name, category=project.category
    )
    if sectors:
        record["sector"] = sectors
    record["additionalClassifications"] = [
        {"scheme": LEVEL_SCHEME, "id": plan.level, "description": plan.get_level_display()},
        {"scheme": NATURE_SCHEME, "id": plan.nature, "description": plan.get_nature_display()},
    ]
    period = _period(
        project.actual_start or plan.planned_start,
        project.actual_completion or plan.planned_completion,
    )
    if period:
        record["period"] = period
    year = plan.year
    record["budget"] = {
        "amount": value(project.total_investment),
        "budgetBreakdowns": [
            {
                "id": "annual-plan",
                "description": _("Annual planned investment"),
                "budgetBreakdown": [
                    {
                        "id": str(year),
                        "description": _("Planned investment of %(year)s") % {"year": year},
                        "amount": value(plan.planned_investment),
                        "period": _period(dt.date(year, 1, 1), dt.date(year, 12, 31)),
                    }
                ],
            }
        ],
    }
    record["locations"] = locations(plan)
    found_parties = parties(plan)
    if found_parties:
        record["parties"] = found_parties
    if project.funding_type == ProjectFundingType.GOVERNMENT and project.owner_unit is not None:
        record["publicAuthority"] = {
            "id": f"unit-{project.owner_unit.pk}",
            "name": project.owner_unit.name,
        }
    found_milestones = milestones(plan, today)
    if found_milestones:
        record["milestones"] = found_milestones
    if project.actual_completion is not None:
        record["completion"] = {"endDate": day_end(project.actual_completion)}
    return record


def _latest_change(plans: list[AnnualPlan], year: int) -> dt.datetime:
    """The last change to what the package shows: a project, its entry, or the list."""
    changes = [max(plan.project.updated_at, plan.updated_at) for plan in plans]
    key_list = open_data_list(year)
    if key_list is not None:
        marks = ListMembership.objects.filter(key_project_list=key_list).aggregate(
            added=Max("added_at"), ended=Max("end")
        )
        if marks["added"] is not None:
            changes.append(marks["added"])
        if marks["ended"] is not None:
            changes.append(dt.datetime.combine(marks["ended"], dt.time(0), tzinfo=SHANGHAI))
    return max(changes)


def build_package(*, year: int, uri: str) -> dict[str, Any]:
    """The OC4IDS project package of the year's published projects, at `uri`.

    `NotPublished` when the site's settings are missing or no project of the year is
    published (OC4IDS has no empty package).
    """
    site = publication()
    plans = list(published_plans(year))
    if not plans:
        raise NotPublished(
            _(
                "No project of %(year)s is published as open data: put the projects to "
                "publish on the list “%(list)s” of %(year)s."
            )
            % {"year": year, "list": site.list_name}
        )
    today = clock.today()
    with translation.override("zh-hans"):
        projects = [project_record(plan, site, today) for plan in plans]
    return {
        "uri": uri,
        "publishedDate": moment(_latest_change(plans, year)),
        "version": OC4IDS_VERSION,
        "publisher": {"name": site.publisher},
        "projects": projects,
    }
