"""`visibility.reader_key`: the values kept for a reader (the figure set, the library's 合计,
the completeness panel) are shared by the accounts that see the same rows, and by no other."""

from typing import Any

import pytest

from tiaodu.accounts import services as account_services
from tiaodu.core.roles import Role
from tiaodu.core.scoping import Grant, opens_by_account, scope_condition
from tiaodu.projects import services
from tiaodu.projects.models import Project
from tiaodu.projects.selectors import projects_visible_to
from tiaodu.projects.visibility import reader_key
from tiaodu.testing import make_user

pytestmark = pytest.mark.django_db


def visible(user: Any) -> set[int]:
    return set(projects_visible_to(user).values_list("pk", flat=True))


def test_accounts_with_the_same_grants_share_a_key_and_see_the_same_projects(world: Any) -> None:
    second = make_user("alan", Role.DISPATCHER, world.city)
    assert reader_key(second) == reader_key(world.alice)
    assert visible(second) == visible(world.alice)
    lena2 = make_user("lena2", Role.LEADER, world.laoshan)
    assert reader_key(lena2) == reader_key(world.lena)
    hank2 = make_user("hank2", Role.DEPARTMENT_HANDLER, world.housing_bureau)
    assert reader_key(hank2) == reader_key(world.hank)


def test_other_grants_are_other_keys(world: Any) -> None:
    keys = {reader_key(world.users[name]) for name in ("alice", "dora", "rita", "bob", "lena")}
    assert len(keys) == 5
    # The same role and unit, assigned-only or not, opens other rows.
    region = make_user("lee", Role.LEADER, world.laoshan)
    assigned = make_user("lia", Role.LEADER, world.laoshan, assigned_only=True)
    assert reader_key(region) != reader_key(assigned)


def test_a_grant_that_opens_rows_by_the_account_keys_the_account(world: Any) -> None:
    sam2 = make_user("sam2", Role.SERVICE_OFFICER, None)
    assert reader_key(sam2) != reader_key(world.sam)
    assert visible(sam2) != visible(world.sam)
    leo2 = make_user("leo2", Role.LEADER, None, assigned_only=True)
    assert reader_key(leo2) != reader_key(world.leo)
    assert visible(leo2) != visible(world.leo)


@pytest.mark.parametrize("role", sorted(Role))
@pytest.mark.parametrize("assigned_only", [False, True])
def test_opens_by_account_is_exactly_the_grants_whose_rows_follow_the_account(
    role: str, assigned_only: bool
) -> None:
    grant = Grant(role=role, unit_path="/1/", assigned_only=assigned_only)
    fields = Project.scope_fields

    class Account:
        is_authenticated = True

        def __init__(self, pk: int) -> None:
            self.pk = pk

        def get_username(self) -> str:
            return f"account {self.pk}"

        def scope_grants(self) -> list[Grant]:
            return [grant]

    one, other = scope_condition(Account(1), fields), scope_condition(Account(2), fields)
    assert (one != other) == opens_by_account(grant)


def test_a_task_force_member_is_keyed_by_the_account_while_on_it(world: Any) -> None:
    second = make_user("alan", Role.DISPATCHER, world.huangdao)
    assert reader_key(second) == reader_key(world.dora)
    person = account_services.create_person(actor=None, name="艾伦", user=second)
    task_force = services.save_task_force(
        actor=world.alice,
        name="安置房专班",
        head=account_services.create_person(actor=None, name="王班长"),
        members=[person],
        projects=[world.projects["p4"]],  # in Laoshan, outside Huangdao
    )
    assert visible(second) == visible(world.dora) | {world.projects["p4"].pk}
    assert reader_key(second) != reader_key(world.dora)
    services.save_task_force(
        actor=world.alice,
        task_force=task_force,
        name="安置房专班",
        head=task_force.head,
        members=[],
        projects=[world.projects["p4"]],
    )
    assert visible(second) == visible(world.dora)
    assert reader_key(second) == reader_key(world.dora)


def test_the_head_of_a_task_force_is_keyed_by_the_account(world: Any) -> None:
    """A head sees the notices addressed to it: keyed by its account even when its task
    force's projects are ones its grants open already."""
    second = make_user("alan", Role.DISPATCHER, world.huangdao)
    services.save_task_force(
        actor=world.dora,
        name="码头专班",
        head=account_services.create_person(actor=None, name="艾伦", user=second),
        projects=[world.projects["p1"]],  # in Huangdao, which the head sees anyway
    )
    assert visible(second) == visible(world.dora)
    assert reader_key(second) != reader_key(world.dora)
