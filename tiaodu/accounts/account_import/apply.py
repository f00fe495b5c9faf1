"""Writing a checked accounts workbook: all or nothing, through the account writers
(`accounts.org_units`, `accounts.services`), each row audited there, and one event for the
import as a whole. New accounts get a temporary password, to be changed at the first
sign-in; the passwords are returned once, for the passwords file, and kept nowhere else."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tiaodu.accounts import org_units, services
from tiaodu.accounts.account_import.plan import AccountImportPlan, Unit, unit_label
from tiaodu.accounts.models import OrgUnit, User
from tiaodu.accounts.passwords import temporary_password
from tiaodu.core import audit
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Actor
from tiaodu.core.xlsx import new_sheet, text_cell, to_bytes


@dataclass(frozen=True)
class NewAccount:
    username: str
    display_name: str
    unit: str
    roles: str
    password: str


@dataclass
class AppliedImport:
    units_created: int = 0
    users_created: int = 0
    roles_given: int = 0
    accounts: list[NewAccount] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {
            "units_created": self.units_created,
            "users_created": self.users_created,
            "roles_given": self.roles_given,
        }


@transaction.atomic
def apply_account_import(
    *, actor: Actor | None, plan: AccountImportPlan, file_name: str = ""
) -> AppliedImport:
    """Write what the plan says this actor writes (units and accounts for the system
    administrator, roles for the security administrator, all of it for the command);
    refuses a plan with errors."""
    if plan.errors:
        raise ValidationError(_("The workbook has errors: nothing is imported."))
    result = AppliedImport()
    made: dict[int, OrgUnit] = {}

    def resolved(unit: Unit) -> OrgUnit:
        if isinstance(unit, OrgUnit):
            return unit
        if unit.existing is not None:
            return unit.existing
        return made[id(unit)]

    if plan.writes_accounts:
        # Departments and zones first: an owner unit may sit under a department of the sheet.
        for line in sorted(plan.new_units, key=lambda line: line.department is not None):
            made[id(line)] = org_units.add_org_unit(
                actor=actor,
                parent=resolved(line.parent),
                name=line.name,
                kind=line.kind,
                credit_code=line.credit_code,
                contact_phone=line.phone,
            )
            result.units_created += 1
    accounts: dict[int, User] = {}
    for user_line in plan.users:
        if user_line.existing is not None:
            accounts[user_line.row] = user_line.existing
            continue
        if not plan.writes_accounts:
            continue
        candidate = User(username=user_line.username, display_name=user_line.display_name)
        password = temporary_password(candidate)
        account = services.create_user(
            actor=actor,
            username=user_line.username,
            password=password,
            display_name=user_line.display_name,
            org_unit=resolved(user_line.home),
            email=user_line.email,
            phone=user_line.phone,
            must_change_password=True,
        )
        accounts[user_line.row] = account
        result.users_created += 1
        result.accounts.append(
            NewAccount(
                username=account.username,
                display_name=account.display_name,
                unit=unit_label(user_line.home),
                roles="、".join(str(Role(role.role).label) for role in user_line.roles),
                password=password,
            )
        )
    if plan.writes_roles:
        for user_line, role in plan.roles_to_give:
            services.assign_role(
                actor=actor,
                user=accounts[user_line.row],
                role=role.role,
                org_unit=None if role.scope is None else resolved(role.scope),
                assigned_only=role.assigned_only,
            )
            result.roles_given += 1
    with audit.in_site_language():
        message = _(
            "accounts workbook %(file)s imported: %(units)d units, %(users)d accounts and "
            "%(roles)d roles created"
        ) % {
            "file": file_name or "—",
            "units": result.units_created,
            "users": result.users_created,
            "roles": result.roles_given,
        }
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        message=message,
        object_label=file_name or message,
    )
    return result


def passwords_file(accounts: list[NewAccount]) -> bytes:
    """The one-time passwords of the new accounts, as an xlsx for the importing administrator
    to hand over: each must be changed at the first sign-in."""
    columns = [("用户名", 20), ("姓名", 12), ("所属单位", 36), ("角色", 20), ("一次性密码", 22)]
    workbook, sheet = new_sheet(
        sheet_name="一次性密码",
        title="新账号的一次性密码（首次登录时必须修改；请当面或以保密方式交给本人，交付后删除本文件）",
        columns=columns,
    )
    for account in accounts:
        sheet.append(
            [
                text_cell(sheet, account.username),
                text_cell(sheet, account.display_name),
                text_cell(sheet, account.unit),
                text_cell(sheet, account.roles),
                text_cell(sheet, account.password),
            ]
        )
    return to_bytes(workbook)
