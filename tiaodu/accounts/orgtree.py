"""Reading the org tree for the administration area: one level at a time, with counts.

The tree is read lazily, a parent's children at a time, so that a province's tens of
thousands of units cost only what is opened. Each child is shown with the users and the
projects of its whole subtree; projects belong to a higher app, which registers its count
here (`register_unit_count`, as it registers menu items), so accounts names no project.
Counts are tallied from one grouped query per kind of count: rows come back as the tree
paths they hang on, and each is added to the child whose subtree holds it.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Value, When
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.choices import OrgUnitKind
from tiaodu.accounts.models import OrgUnit, User

# Children shown at once under one parent; "more" loads the next ones.
PAGE = 200
SEARCH_LIMIT = 30

# Given a parent's path, rows of (the paths one counted row hangs on, how many rows).
type PathTally = Callable[[str], Iterable[tuple[tuple[str | None, ...], int]]]


# Regions first, then zones, departments and owner units, as DOMAIN.md §2 lists them.
KIND_ORDER = Case(
    *(When(kind=kind, then=Value(index)) for index, kind in enumerate(OrgUnitKind)),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class UnitCount:
    key: str
    label: str | Promise
    tally: PathTally
    order: int = 100


_counts: dict[str, UnitCount] = {}


def register_unit_count(
    key: str, label: str | Promise, tally: PathTally, *, order: int = 100
) -> None:
    """Show beside each unit of the tree how many rows of something its subtree holds."""
    _counts[key] = UnitCount(key, label, tally, order)


def unit_counts() -> list[UnitCount]:
    return sorted(_counts.values(), key=lambda count: count.order)


def _users_tally(parent_path: str) -> Iterable[tuple[tuple[str | None, ...], int]]:
    rows = (
        User.objects.filter(org_unit__path__startswith=parent_path)
        .values_list("org_unit__path")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [((path,), n) for path, n in rows]


def tally_by_child(
    rows: Iterable[tuple[tuple[str | None, ...], int]], child_index: int
) -> dict[int, int]:
    """Add each row's number to every child (by id) whose subtree one of its paths lies in;
    a row on two paths in one child's subtree counts there once."""
    totals: dict[int, int] = defaultdict(int)
    for paths, n in rows:
        children = set()
        for path in paths:
            parts = (path or "").split("/")
            if len(parts) > child_index + 1 and parts[child_index]:
                children.add(int(parts[child_index]))
        for child in children:
            totals[child] += n
    return totals


@dataclass
class TreeNode:
    """A unit as the tree shows it: its counts and whether it has children to open."""

    unit: OrgUnit
    children: int
    counts: list[tuple[str, int]] = field(default_factory=list)
    # Filled when the tree is opened down to a unit below this one.
    opened: "list[TreeNode] | None" = None
    more: int = 0

    @property
    def code(self) -> str:
        return self.unit.region_code or self.unit.credit_code


def children_of(parent: OrgUnit | None, *, offset: int = 0) -> tuple[list[TreeNode], int]:
    """One page of a parent's children (the top of the tree for None), by kind, then by
    division code and name, with their subtree counts; and how many children come after this page."""
    units = OrgUnit.objects.filter(parent=parent).annotate(n_children=Count("children"))
    total = units.count()
    page = list(units.order_by(KIND_ORDER, "region_code", "name", "pk")[offset : offset + PAGE])
    parent_path = parent.path if parent is not None else "/"
    child_index = (parent.depth + 2) if parent is not None else 1
    counters = [UnitCount("users", "", _users_tally, 0), *unit_counts()]
    tallies = {c.key: tally_by_child(c.tally(parent_path), child_index) for c in counters}
    nodes = [
        TreeNode(
            unit=unit,
            children=unit.n_children,
            counts=[(c.key, tallies[c.key].get(unit.pk, 0)) for c in counters],
        )
        for unit in page
    ]
    return nodes, max(0, total - offset - PAGE)


def ancestors(unit: OrgUnit) -> list[OrgUnit]:
    """The units above `unit`, from the top down (read from its path, in one query)."""
    ids = [int(part) for part in unit.path.strip("/").split("/")[:-1] if part]
    found = OrgUnit.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def opened_down_to(unit: OrgUnit | None) -> list[TreeNode]:
    """The top of the tree with every level from the top to `unit` opened."""
    top, _more = children_of(None)
    if unit is None:
        return top
    chain = [*ancestors(unit), unit]
    level = top
    for above in chain[:-1]:
        node = next((n for n in level if n.unit.pk == above.pk), None)
        if node is None:
            break
        node.opened, node.more = children_of(above)
        level = node.opened
    return top


def search(query: str) -> list[tuple[OrgUnit, list[OrgUnit]]]:
    """Units whose name holds `query`, each with the chain of units above it."""
    query = query.strip()
    if not query:
        return []
    matches = OrgUnit.objects.filter(name__icontains=query).order_by("depth", "name")
    found = list(matches[:SEARCH_LIMIT])
    ids = {int(p) for unit in found for p in unit.path.strip("/").split("/")[:-1] if p}
    above = OrgUnit.objects.in_bulk(ids)
    return [
        (
            unit,
            [above[int(p)] for p in unit.path.strip("/").split("/")[:-1] if p and int(p) in above],
        )
        for unit in found
    ]


def count_labels() -> list[tuple[str, str | Promise]]:
    """The columns of counts beside each unit, users first."""
    return [("users", _("Users")), *((c.key, c.label) for c in unit_counts())]
