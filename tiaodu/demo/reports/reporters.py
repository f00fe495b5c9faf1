"""A reporter account for every owner unit of the demo city, who submitted its past reports.

The demo `reporter` account covers its own owner unit; every other owner unit gets an
account of its own, with a name drawn from the demo's seed, created through the accounts
services with no password: it costs no hashing, it cannot sign in, and `load_demo` does not
print it (the printed accounts are the ten of `spec.accounts`).
"""

import random

from tiaodu.accounts import services as account_services
from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, User
from tiaodu.core.roles import Role
from tiaodu.demo.library import names

PREFIX = "unit-reporter-"


def unit_reporters(root: OrgUnit, covered: str, seed: int) -> dict[int, User]:
    """The reporter of each owner unit under `root` by unit id; the units under the path
    `covered` (the demo `reporter`'s scope) are left to it."""
    rng = random.Random(f"{seed}:unit-reporters")
    units = (
        OrgUnit.objects.subtree_of(root)
        .filter(kind=OrgUnitKind.OWNER_UNIT)
        .exclude(path__startswith=covered)
        .order_by("path")
    )
    reporters: dict[int, User] = {}
    for number, unit in enumerate(units, start=1):
        user = account_services.create_user(
            actor=None,
            username=f"{PREFIX}{number:04d}",
            password=None,
            display_name=rng.choice(names.SURNAMES)
            + "".join(rng.choice(names.GIVEN) for _ in range(rng.choice((1, 2)))),
            org_unit=unit,
        )
        account_services.assign_role(actor=None, user=user, role=Role.REPORTER, org_unit=unit)
        reporters[unit.pk] = user
    return reporters
