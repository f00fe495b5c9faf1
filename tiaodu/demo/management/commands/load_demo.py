"""`manage.py load_demo [--year 2026] [--projects 1200] [--seed N] [--as-of DATE] [--ledger-out DIR] [--without NAME]`.

Loads a demo city (青岛市 with its districts and two functional zones) into an empty
database: departments, owner units, officials, key-project lists, projects with two
years of plan entries and their procedures, and one account per role. The projects come
in as a site's do: the city dispatcher imports the standard ledger of each plan year.
Then the demo's other parts follow (`demo.parts`: the dispatch rounds' reports and photos,
the problem ledger, notices, meetings and a field round), written through the services at
past moments on the clock; `--without reports` leaves that part out. The same arguments give
the same demo. A database that already holds it is left alone.
"""

import time
import unicodedata
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, Person, User
from tiaodu.core import clock
from tiaodu.core.models import AuditEvent
from tiaodu.core.roles import ADMINISTRATOR_ROLES, Role
from tiaodu.demo import parts as demo_parts
from tiaodu.demo.library import builder
from tiaodu.demo.library.generate import DEFAULT_PROJECTS, DEFAULT_SEED, generate
from tiaodu.demo.library.ledger import DemoLedger, ledgers
from tiaodu.demo.library.spec import DemoSpec
from tiaodu.projects.choices import AnnualPlanLevel, AnnualPlanNature, ProcedureStatus
from tiaodu.projects.models import AnnualPlan, ListMembership, Procedure, Project
from tiaodu.projects.selectors import projects_visible_to

MAX_PROJECTS = 20_000


def width(text: str) -> int:
    """Columns a string takes in a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def table(rows: list[list[str]]) -> list[str]:
    widths = [max(width(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        cells = [cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row)]
        lines.append("  " + "  ".join(cells).rstrip())
        if index == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return lines


class Command(BaseCommand):
    help = "Load a reproducible demo city (青岛市) with projects and one account per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="The demo year (default: this year).")
        parser.add_argument(
            "--projects",
            type=int,
            default=DEFAULT_PROJECTS,
            help=f"How many projects (default {DEFAULT_PROJECTS}).",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Seed of the random draws."
        )
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            help="The date the demo is 'today' (default: today, or 31 December of a past year).",
        )
        parser.add_argument(
            "--ledger-out",
            type=Path,
            metavar="DIR",
            help="Also write the ledgers the demo imports (one .xlsx per plan year) into DIR.",
        )
        parser.add_argument(
            "--without",
            action="append",
            default=[],
            metavar="NAME",
            help="Leave out a part other apps add to the demo (e.g. reports); repeatable.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = clock.today()
        year = options["year"] or today.year
        as_of = options["as_of"] or min(today, date(year, 12, 31))
        projects = options["projects"]
        if not 2001 <= year <= 2099:
            raise CommandError(_("Give a demo year between 2001 and 2099."))
        if not date(year, 1, 1) <= as_of <= date(year, 12, 31):
            raise CommandError(
                _("The as-of date %(date)s is not in %(year)s; give --as-of within the year.")
                % {"date": as_of.isoformat(), "year": year}
            )
        if not 1 <= projects <= MAX_PROJECTS:
            raise CommandError(_("Give --projects between 1 and %(max)d.") % {"max": MAX_PROJECTS})
        parts = {part.name: part for part in demo_parts.ordered()}
        unknown = sorted(set(options["without"]) - set(parts))
        if unknown:
            raise CommandError(
                _("There is no demo part %(names)s; the parts are: %(parts)s.")
                % {"names": ", ".join(unknown), "parts": ", ".join(parts) or "—"}
            )
        chosen = [part for name, part in parts.items() if name not in options["without"]]
        if builder.demo_present():
            self.stdout.write(
                _(
                    "The demo is already loaded (%(projects)d projects); nothing was changed. "
                    "To load it afresh, migrate an empty database and run load_demo there."
                )
                % {"projects": Project.objects.count()}
            )
            spec = generate(year=year, as_of=as_of, projects=projects, seed=options["seed"])
            if options["ledger_out"]:
                self._write_ledgers(ledgers(spec), options["ledger_out"])
            users = {
                u.username: u for u in User.objects.filter(username__in=builder.DEMO_USERNAMES)
            }
            self._print_accounts(spec, users)
            return
        conflicts = builder.conflicts()
        if conflicts:
            raise CommandError(
                _(
                    "This database already holds %(what)s; the demo loads only into a database "
                    "without projects or demo accounts. Nothing was changed."
                )
                % {"what": "; ".join(conflicts)}
            )

        started = time.perf_counter()
        spec = generate(year=year, as_of=as_of, projects=projects, seed=options["seed"])
        demo_ledgers = ledgers(spec)
        loaded = builder.load(spec, demo_ledgers, chosen)
        seconds = time.perf_counter() - started

        for line in self._summary(spec, loaded, seconds):
            self.stdout.write(line)
        if options["ledger_out"]:
            self._write_ledgers(demo_ledgers, options["ledger_out"])
        self._print_accounts(spec, loaded.users)

    def _write_ledgers(self, demo_ledgers: tuple[DemoLedger, ...], folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for ledger in demo_ledgers:
            path = folder / ledger.filename
            path.write_bytes(ledger.content())
            self.stdout.write(
                _("Wrote the %(year)d ledger (%(rows)d rows, as of %(as_of)s) to %(path)s")
                % {
                    "year": ledger.year,
                    "rows": len(ledger.rows),
                    "as_of": ledger.as_of.isoformat(),
                    "path": path,
                }
            )

    def _print_accounts(self, spec: DemoSpec, users: dict[str, User]) -> None:
        self.stdout.write("")
        self.stdout.write(_("Demo accounts (one password for all: %s)") % spec.password)
        for line in table(self._account_rows(spec, users)):
            self.stdout.write(line)
        self.stdout.write(
            self.style.WARNING(
                _("These accounts are for demonstration only; do not use them on a real site.")
            )
        )

    def _summary(self, spec: DemoSpec, loaded: builder.Loaded, seconds: float) -> list[str]:
        root = loaded.root
        units = Counter(OrgUnit.objects.subtree_of(root).values_list("kind", flat=True))
        projects = Project.objects.filter(region__path__startswith=root.path)
        total = projects.aggregate(total=Sum("total_investment"))["total"] or Decimal(0)
        lines = [
            self.style.SUCCESS(
                _(
                    "Loaded the demo city %(city)s for %(year)d (as of %(as_of)s, seed %(seed)d) in %(seconds).1f s."
                )
                % {
                    "city": root.name,
                    "year": spec.year,
                    "as_of": spec.as_of.isoformat(),
                    "seed": spec.seed,
                    "seconds": seconds,
                }
            ),
            _("  regions: %(districts)d districts and counties, %(zones)d functional zones")
            % {"districts": units[OrgUnitKind.COUNTY], "zones": units[OrgUnitKind.ZONE]},
            _("  units: %(departments)d departments, %(owners)d owner units; %(people)d people")
            % {
                "departments": units[OrgUnitKind.DEPARTMENT],
                "owners": units[OrgUnitKind.OWNER_UNIT],
                "people": Person.objects.count(),
            },
            _(
                "  projects: %(count)d (%(coded)d with a project code), total investment %(total)s 亿元"
            )
            % {
                "count": projects.count(),
                "coded": projects.exclude(code=None).count(),
                "total": f"{total / 10000:,.2f}",
            },
        ]
        for item in loaded.imports:
            lines.append(
                _(
                    "  %(year)d ledger imported by the dispatcher (figures as of %(as_of)s): "
                    "%(rows)d rows, %(new)d new, %(updated)d updated, %(unchanged)d unchanged"
                )
                % {
                    "year": item.year,
                    "as_of": item.as_of.isoformat(),
                    "rows": item.rows,
                    **item.counts,
                }
            )
        natures = dict(AnnualPlanNature.choices)
        levels = dict(AnnualPlanLevel.choices)
        for plan_year in (spec.year - 1, spec.year):
            plans = AnnualPlan.objects.filter(year=plan_year)
            by_nature = dict(plans.values_list("nature").annotate(n=Count("id")).order_by())
            by_level = dict(plans.values_list("level").annotate(n=Count("id")).order_by())
            planned = plans.aggregate(total=Sum("planned_investment"))["total"] or Decimal(0)
            parts = [f"{natures[key]} {by_nature.get(key, 0)}" for key in natures]
            parts += [f"{levels[key]} {by_level.get(key, 0)}" for key in levels]
            lines.append(
                _("  %(year)d plan: %(count)d entries, planned %(planned)s 亿元 — %(parts)s")
                % {
                    "year": plan_year,
                    "count": plans.count(),
                    "planned": f"{planned / 10000:,.2f}",
                    "parts": ", ".join(parts),
                }
            )
            on_lists = (
                ListMembership.objects.filter(key_project_list__year=plan_year, end__isnull=True)
                .values_list("key_project_list__name")
                .annotate(n=Count("id"))
                .order_by("key_project_list__name")
            )
            lines.append(
                _("  %(year)d lists: %(lists)s")
                % {"year": plan_year, "lists": ", ".join(f"{name} {n}" for name, n in on_lists)}
            )
        statuses = dict(Procedure.objects.values_list("status").annotate(n=Count("id")).order_by())
        lines.append(
            _("  procedures: %(parts)s")
            % {
                "parts": ", ".join(
                    f"{label} {statuses.get(key, 0)}" for key, label in ProcedureStatus.choices
                )
            }
        )
        lines.extend(loaded.notes)
        lines.append(_("  audit events written: %d") % AuditEvent.objects.count())
        return lines

    def _account_rows(self, spec: DemoSpec, users: dict[str, User]) -> list[list[str]]:
        rows = [
            [_("Username"), _("Role"), _("Scope"), _("Projects visible"), _("Name"), _("Password")]
        ]
        roles = dict(Role.choices)
        for item in spec.accounts:
            user = users[item.username]
            if item.role in ADMINISTRATOR_ROLES:
                scope = _("audit log only") if item.role == Role.AUDITOR else _("no business data")
                visible = "—"
            elif item.role == Role.FINANCIAL_INSTITUTION:
                scope = _("published financing-needs lists")
                visible = "—"
            else:
                if item.assigned_only or item.scope is None:
                    scope = _("assigned projects")
                else:
                    scope = item.scope or OrgUnit.objects.get(region_code=spec.root_code).name
                visible = str(projects_visible_to(user).count())
            rows.append(
                [
                    item.username,
                    str(roles[item.role]),
                    scope,
                    visible,
                    item.display_name,
                    spec.password,
                ]
            )
        return rows
