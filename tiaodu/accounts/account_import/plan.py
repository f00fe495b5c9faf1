"""Checking an accounts workbook against the site: every row of both sheets, every error with
its sheet, row and column, and what the import would write. Writes nothing (`apply` writes).

Units are matched by region, parent department, kind and name, so a unit already on the
site (one the ledger import made for an owner unit, under its region) is found, not made
twice. Accounts are matched by username; an existing account is left as it is, and only the
roles it does not hold yet are given.

Who writes what (三权分立, DOMAIN.md §2): the system administrator's import creates the
units and the accounts, never roles; the security administrator's import of the same
workbook gives the roles, and creates nothing, so every unit and account must be there by
then; the command (no actor, the site's set-up on the server) does all of it.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from tiaodu.accounts.account_import.workbook import (
    ADMINISTRATOR_NAMES,
    KIND_NAMES,
    NO,
    ROLE_NAMES,
    UNIT_COLUMNS,
    UNITS_SHEET,
    USER_COLUMNS,
    USERS_SHEET,
    YES,
    AccountsWorkbook,
    SheetRow,
)
from tiaodu.accounts.choices import REGION_KINDS, OrgUnitKind
from tiaodu.accounts.models import OrgUnit, User
from tiaodu.accounts.org_units import check_kind_under
from tiaodu.accounts.permissions import grants_roles, manages_accounts
from tiaodu.core.roles import ADMINISTRATOR_ROLES, Role
from tiaodu.core.scoping import Actor

HEADERS = {
    UNITS_SHEET: {column.key: column.header for column in UNIT_COLUMNS},
    USERS_SHEET: {column.key: column.header for column in USER_COLUMNS},
}
SEPARATORS = re.compile(r"[；;、,，\s]+")
USERNAME = re.compile(r"^[\w.@+-]+\Z")


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    message: str


@dataclass
class UnitLine:
    """A row of 组织机构: the unit on the site (`existing`) or the one to create."""

    row: int
    name: str
    kind: str
    region: OrgUnit
    department: "OrgUnit | UnitLine | None"
    credit_code: str
    phone: str
    existing: OrgUnit | None = None

    @property
    def parent(self) -> "OrgUnit | UnitLine":
        return self.department or self.region


Unit = OrgUnit | UnitLine


@dataclass
class RoleLine:
    role: str
    scope: Unit | None
    assigned_only: bool
    held: bool = False


@dataclass
class UserLine:
    """A row of 用户: the account on the site (`existing`) or the one to create."""

    row: int
    username: str
    display_name: str
    region: OrgUnit
    unit: Unit | None
    phone: str
    email: str
    roles: list[RoleLine]
    existing: User | None = None

    @property
    def home(self) -> Unit:
        return self.unit or self.region


@dataclass
class AccountImportPlan:
    units: list[UnitLine] = field(default_factory=list)
    users: list[UserLine] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    writes_accounts: bool = False
    writes_roles: bool = False

    @property
    def new_units(self) -> list[UnitLine]:
        return [line for line in self.units if line.existing is None]

    @property
    def new_users(self) -> list[UserLine]:
        return [line for line in self.users if line.existing is None]

    @property
    def roles_to_give(self) -> list[tuple[UserLine, RoleLine]]:
        return [(user, role) for user in self.users for role in user.roles if not role.held]

    def summary(self) -> dict[str, int]:
        return {
            "units": len(self.units),
            "new_units": len(self.new_units),
            "users": len(self.users),
            "new_users": len(self.new_users),
            "roles": len(self.roles_to_give),
            "errors": len(self.errors),
        }


def unit_label(unit: Unit | None) -> str:
    """The unit as a person finds it: its region and parent department, then its name."""
    if unit is None:
        return ""
    if isinstance(unit, OrgUnit):
        if unit.is_region or unit.parent is None:
            return unit.name
        return f"{unit_label(unit.parent)} / {unit.name}"
    return f"{unit_label(unit.parent)} / {unit.name}"


class _Checker:
    def __init__(self, plan: AccountImportPlan) -> None:
        self.plan = plan
        regions = list(OrgUnit.objects.regions())
        self.region_by_code = {unit.region_code: unit for unit in regions if unit.region_code}
        self.regions_by_name: dict[str, list[OrgUnit]] = {}
        for unit in regions:
            self.regions_by_name.setdefault(unit.name, []).append(unit)
        self.units: dict[tuple[int | None, str, str], OrgUnit] = {
            (unit.parent_id, unit.kind, unit.name): unit
            for unit in OrgUnit.objects.exclude(kind__in=REGION_KINDS).filter(parent__isnull=False)
        }
        self.new_units: dict[tuple[int, str, str], UnitLine] = {}
        self.departments: dict[int | None, list[Unit]] | None = None

    def error(self, sheet: str, row: int, key: str, message: str) -> None:
        self.plan.errors.append(RowError(sheet, row, HEADERS[sheet].get(key, ""), message))

    def region(self, sheet: str, row: SheetRow) -> OrgUnit | None:
        text = row.cells.get("region", "")
        if not text:
            self.error(
                sheet,
                row.number,
                "region",
                _("Give the region: its six-digit division code or its name."),
            )
            return None
        if text in self.region_by_code:
            return self.region_by_code[text]
        found = self.regions_by_name.get(text, [])
        if len(found) == 1:
            return found[0]
        if found:
            self.error(
                sheet,
                row.number,
                "region",
                _("Several regions are named “%(name)s”: give the six-digit division code instead.")
                % {"name": text},
            )
        else:
            self.error(
                sheet,
                row.number,
                "region",
                _(
                    "“%(name)s” is not a region of this site: give the division code or the name of a city, district, county or functional zone the site has (manage.py setup_site creates them)."
                )
                % {"name": text},
            )
        return None

    def find_unit(self, parent: Unit, kind: str, name: str) -> Unit | None:
        if isinstance(parent, OrgUnit):
            found = self.units.get((parent.pk, kind, name))
            if found is not None:
                return found
        return self.new_units.get((id(parent), kind, name))

    def unit_row(self, row: SheetRow, *, owner_units: bool) -> None:
        cells = row.cells
        kind_text = cells.get("kind", "")
        kind = KIND_NAMES.get(kind_text)
        if (kind == OrgUnitKind.OWNER_UNIT) != owner_units:
            return
        number = row.number
        name = cells.get("name", "")
        errors_before = len(self.plan.errors)
        if not name:
            self.error(UNITS_SHEET, number, "name", _("Give the unit's name."))
        elif len(name) > 100:
            self.error(UNITS_SHEET, number, "name", _("The name is longer than 100 characters."))
        if kind is None:
            self.error(
                UNITS_SHEET,
                number,
                "kind",
                _("“%(value)s” is not a kind of unit: write 部门, 项目单位 or 功能区.")
                % {"value": kind_text},
            )
            return
        region = self.region(UNITS_SHEET, row)
        department: Unit | None = None
        department_name = cells.get("department", "")
        if region is not None and department_name:
            if kind != OrgUnitKind.OWNER_UNIT:
                self.error(
                    UNITS_SHEET,
                    number,
                    "department",
                    _(
                        "Only an owner unit (项目单位) sits under a department: leave this cell empty."
                    ),
                )
            else:
                department = self.find_unit(region, OrgUnitKind.DEPARTMENT, department_name)
                if department is None:
                    self.error(
                        UNITS_SHEET,
                        number,
                        "department",
                        _("%(region)s has no department “%(name)s”, on the site or in this sheet.")
                        % {"region": region.name, "name": department_name},
                    )
        credit_code = cells.get("credit_code", "").upper()
        if credit_code and not re.fullmatch(r"[0-9A-Z]{18}", credit_code):
            self.error(
                UNITS_SHEET,
                number,
                "credit_code",
                _("A unified social credit code is 18 digits and capital letters."),
            )
        phone = cells.get("phone", "")
        if len(phone) > 32:
            self.error(
                UNITS_SHEET, number, "phone", _("The phone number is longer than 32 characters.")
            )
        if region is None or len(self.plan.errors) > errors_before:
            return
        parent: Unit = department or region
        if isinstance(parent, OrgUnit):
            try:
                check_kind_under(kind, parent)
            except ValidationError as error:
                self.error(UNITS_SHEET, number, "kind", " ".join(error.messages))
                return
        line = UnitLine(number, name, kind, region, department, credit_code, phone)
        key = (id(parent), kind, name)
        if key in self.new_units:
            self.error(
                UNITS_SHEET,
                number,
                "name",
                _("This unit is already on row %(row)d of this sheet.")
                % {"row": self.new_units[key].row},
            )
            return
        if isinstance(parent, OrgUnit):
            line.existing = self.units.get((parent.pk, kind, name))
        self.new_units[key] = line
        self.plan.units.append(line)
        if line.existing is None and not self.plan.writes_accounts:
            self.error(
                UNITS_SHEET,
                number,
                "name",
                _(
                    "%(name)s is not on the site yet: the system administrator imports this workbook first (units and accounts), then the security administrator imports it for the roles."
                )
                % {"name": name},
            )

    def departments_of(self, region: OrgUnit) -> list[Unit]:
        if self.departments is None:
            self.departments = {}
            every: list[Unit] = [*self.units.values(), *self.new_units.values()]
            for unit in every:
                if unit.kind == OrgUnitKind.DEPARTMENT:
                    self.departments.setdefault(_region_of(unit), []).append(unit)
        return self.departments.get(region.pk, [])

    def user_unit(self, row: SheetRow, region: OrgUnit) -> Unit | None:
        name = row.cells.get("unit", "")
        found: list[Unit] = []
        for kind in (OrgUnitKind.DEPARTMENT, OrgUnitKind.OWNER_UNIT, OrgUnitKind.ZONE):
            unit = self.find_unit(region, kind, name)
            if unit is not None:
                found.append(unit)
        for department in self.departments_of(region):
            unit = self.find_unit(department, OrgUnitKind.OWNER_UNIT, name)
            if unit is not None:
                found.append(unit)
        if len(found) == 1:
            return found[0]
        if found:
            self.error(
                USERS_SHEET,
                row.number,
                "unit",
                _("%(region)s has several units named “%(name)s”.")
                % {"region": region.name, "name": name},
            )
        else:
            self.error(
                USERS_SHEET,
                row.number,
                "unit",
                _("%(region)s has no unit “%(name)s”, on the site or in sheet 组织机构.")
                % {"region": region.name, "name": name},
            )
        return None

    def roles(self, row: SheetRow, region: OrgUnit, unit: Unit | None) -> list[RoleLine]:
        number = row.number
        assigned_text = row.cells.get("assigned_only", "")
        assigned_only = assigned_text in YES
        if assigned_text not in YES | NO:
            self.error(USERS_SHEET, number, "assigned_only", _("Write 是 or leave the cell empty."))
        lines: list[RoleLine] = []
        for name in SEPARATORS.split(row.cells.get("roles", "")):
            if not name:
                continue
            role = ROLE_NAMES.get(name)
            if name in ADMINISTRATOR_NAMES:
                self.error(
                    USERS_SHEET,
                    number,
                    "roles",
                    _(
                        "%(role)s is not given by an import: the three administrators are created with manage.py create_administrators, and an administrator role is given with a second administrator's confirmation."
                    )
                    % {"role": name},
                )
                continue
            if role is None:
                self.error(
                    USERS_SHEET,
                    number,
                    "roles",
                    _(
                        "“%(value)s” is not a role: write 调度员, 领导, 部门经办, 首席服务员 or 项目填报员."
                    )
                    % {"value": name},
                )
                continue
            if any(line.role == role for line in lines):
                continue
            scope: Unit | None = None
            if role == Role.DISPATCHER or (role == Role.LEADER and not assigned_only):
                scope = region
            elif role == Role.DEPARTMENT_HANDLER:
                if unit is None or unit.kind != OrgUnitKind.DEPARTMENT:
                    self.error(
                        USERS_SHEET,
                        number,
                        "unit",
                        _(
                            "A department handler belongs to a department: give the department in 所属单位."
                        ),
                    )
                    continue
                scope = unit
            elif role == Role.REPORTER:
                if unit is None or unit.kind != OrgUnitKind.OWNER_UNIT:
                    self.error(
                        USERS_SHEET,
                        number,
                        "unit",
                        _(
                            "A reporter fills in for an owner unit: give the owner unit (项目单位) in 所属单位."
                        ),
                    )
                    continue
                scope = unit
            lines.append(RoleLine(role, scope, assigned_only and role == Role.LEADER))
        return lines

    def user_row(self, row: SheetRow, seen: dict[str, int], accounts: dict[str, User]) -> None:
        cells, number = row.cells, row.number
        errors_before = len(self.plan.errors)
        username = cells.get("username", "")
        existing = accounts.get(username)
        if not username:
            self.error(
                USERS_SHEET, number, "username", _("Give the username the person signs in with.")
            )
        elif len(username) > 150 or not USERNAME.match(username):
            self.error(
                USERS_SHEET,
                number,
                "username",
                _("A username holds letters, digits and @ . + - _ only, at most 150 of them."),
            )
        elif username.lower() in seen:
            self.error(
                USERS_SHEET,
                number,
                "username",
                _("This username is already on row %(row)d of this sheet.")
                % {"row": seen[username.lower()]},
            )
        seen.setdefault(username.lower(), number)
        display_name = cells.get("display_name", "")
        if not display_name and existing is None:
            self.error(USERS_SHEET, number, "display_name", _("Give the person's name."))
        elif len(display_name) > 50:
            self.error(
                USERS_SHEET, number, "display_name", _("The name is longer than 50 characters.")
            )
        email = cells.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                self.error(
                    USERS_SHEET,
                    number,
                    "email",
                    _("“%(value)s” is not an email address.") % {"value": email},
                )
        phone = cells.get("phone", "")
        if len(phone) > 32:
            self.error(
                USERS_SHEET, number, "phone", _("The phone number is longer than 32 characters.")
            )
        region = self.region(USERS_SHEET, row)
        if region is None:
            return
        unit = self.user_unit(row, region) if cells.get("unit") else None
        roles = self.roles(row, region, unit)
        if len(self.plan.errors) > errors_before:
            return
        line = UserLine(number, username, display_name, region, unit, phone, email, roles, existing)
        if existing is not None:
            self.check_existing(line, existing)
        elif not self.plan.writes_accounts:
            self.error(
                USERS_SHEET,
                number,
                "username",
                _(
                    "There is no account %(name)s yet: the system administrator imports this workbook first (units and accounts), then the security administrator imports it for the roles."
                )
                % {"name": username},
            )
        self.plan.users.append(line)

    def check_existing(self, line: UserLine, user: User) -> None:
        held = {assignment.role: assignment for assignment in user.role_assignments.all()}
        if held.keys() & ADMINISTRATOR_ROLES and line.roles:
            self.error(
                USERS_SHEET,
                line.row,
                "roles",
                _("%(name)s is an administrator: an administrator's account holds no other role.")
                % {"name": user.username},
            )
            return
        for role in line.roles:
            assignment = held.get(role.role)
            if assignment is None:
                continue
            same = isinstance(role.scope, OrgUnit) and role.scope.pk == assignment.org_unit_id
            if same or (role.scope is None and assignment.org_unit_id is None):
                role.held = True
            else:
                self.error(
                    USERS_SHEET,
                    line.row,
                    "roles",
                    _(
                        "%(name)s already holds the role %(role)s on another unit (%(unit)s): the security administrator takes it away first on the account's page."
                    )
                    % {
                        "name": user.username,
                        "role": Role(role.role).label,
                        "unit": assignment.org_unit or "—",
                    },
                )


def _region_of(department: Unit) -> int | None:
    """The region a department sits directly under."""
    if isinstance(department, UnitLine):
        return department.region.pk
    return department.parent_id


def plan_account_import(
    *, actor: Actor | None, workbook: AccountsWorkbook, max_new_accounts: int | None = None
) -> AccountImportPlan:
    """Check every row of the workbook against the site and say what the import would write
    for this actor; write nothing."""
    plan = AccountImportPlan(
        writes_accounts=actor is None or manages_accounts(actor),
        writes_roles=actor is None or grants_roles(actor),
    )
    checker = _Checker(plan)
    for owner_units in (False, True):
        for row in workbook.units:
            checker.unit_row(row, owner_units=owner_units)
    plan.units.sort(key=lambda line: line.row)
    usernames = [row.cells.get("username", "") for row in workbook.users]
    accounts = {
        user.username: user
        for user in User.objects.filter(username__in=usernames).prefetch_related("role_assignments")
    }
    seen: dict[str, int] = {}
    for row in workbook.users:
        checker.user_row(row, seen, accounts)
    if max_new_accounts is not None and len(plan.new_users) > max_new_accounts:
        plan.errors.append(
            RowError(
                USERS_SHEET,
                0,
                "",
                _(
                    "The page imports at most %(limit)d new accounts at once (this workbook has %(count)d): split the workbook, or run manage.py import_accounts on the server."
                )
                % {"limit": max_new_accounts, "count": len(plan.new_users)},
            )
        )
    plan.errors.sort(key=lambda error: (error.sheet != UNITS_SHEET, error.row))
    return plan
