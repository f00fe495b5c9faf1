"""Every (status, action) pair of an uploaded ledger's workflow, for every persona; a
refusal changes neither the import nor the library.

alice (the city dispatcher) uploaded the ledgers, of 黄岛区: she is their importer. dora
(黄岛区's dispatcher) does not see an upload of the city's dispatcher, and rita (a reporter)
imports nothing; alice sees dora's uploads, her region holding dora's.
"""

import datetime as dt
import itertools
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tiaodu.core.workflow import TransitionRefused
from tiaodu.projects.import_models import LedgerImportStatus
from tiaodu.projects.ledger import jobs
from tiaodu.projects.ledger.workflow import IMPORTER, LEDGER_IMPORTS, LedgerImportAction
from tiaodu.projects.models import LedgerImport, Project
from tiaodu.projects.tests.test_ledger_import_progress import many_rows, stored

pytestmark = pytest.mark.django_db

S, A = LedgerImportStatus, LedgerImportAction
_IMPORTER = frozenset({IMPORTER})
# Written out here rather than read from the table, so a wrong row of the table fails:
# (status, action) → (status after, who may). Every pair not listed is refused to everyone.
EXPECTED: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    (S.UPLOADED, A.PASS_CHECK): (S.CHECKED, _IMPORTER),
    (S.UPLOADED, A.FAIL_CHECK): (S.FAILED, _IMPORTER),
    (S.CHECKED, A.PASS_CHECK): (S.CHECKED, _IMPORTER),
    (S.CHECKED, A.FAIL_CHECK): (S.FAILED, _IMPORTER),
    (S.CHECKED, A.APPLY): (S.APPLIED, _IMPORTER),
    (S.UPLOADED, A.RETRY): (S.UPLOADED, _IMPORTER),
    (S.CHECKED, A.RETRY): (S.UPLOADED, _IMPORTER),
    (S.UPLOADED, A.SET_DATE): (S.UPLOADED, _IMPORTER),
    (S.CHECKED, A.SET_DATE): (S.UPLOADED, _IMPORTER),
    (S.FAILED, A.SET_DATE): (S.UPLOADED, _IMPORTER),
    (S.UPLOADED, A.DISCARD): (S.DISCARDED, _IMPORTER),
    (S.CHECKED, A.DISCARD): (S.DISCARDED, _IMPORTER),
    (S.FAILED, A.DISCARD): (S.DISCARDED, _IMPORTER),
}
PLAYERS = {"alice": IMPORTER}
OUTSIDERS = ("dora", "rita")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _import_in(world: Any, tmp_path: Any, status: str, action: str) -> LedgerImport:
    """A stored ledger of three new projects (one with a wrong total investment when the
    step is the failing check), in the status, its last task stopped unexpectedly."""
    bad_row = 2 if action == A.FAIL_CHECK else None
    item = stored(world, tmp_path, many_rows(3, bad_row=bad_row))
    LedgerImport.objects.filter(pk=item.pk).update(status=status, failure="stopped")
    item.refresh_from_db()
    return item


def _act(world: Any, who: str, item: LedgerImport, action: str) -> LedgerImport:
    actor = getattr(world, who)
    match action:
        case A.PASS_CHECK | A.FAIL_CHECK:
            return jobs.check(actor=actor, item=item)
        case A.APPLY:
            return jobs.confirm(actor=actor, item=item)
        case A.RETRY:
            return jobs.retry(actor=actor, item=item)
        case A.SET_DATE:
            return jobs.set_as_of(actor=actor, item=item, as_of=dt.date(item.year, 12, 31))
        case _:
            return jobs.discard(actor=actor, item=item)


def _state(item: LedgerImport) -> tuple[Any, int]:
    return LedgerImport.objects.values().get(pk=item.pk), Project.objects.count()


def test_the_relations_of_the_personas(world: Any, tmp_path: Any) -> None:
    hers = stored(world, tmp_path, many_rows(1))
    assert jobs.relations(world.alice, hers) == _IMPORTER
    for who in OUTSIDERS:
        assert jobs.relations(getattr(world, who), hers) == frozenset()
    doras = stored(world, tmp_path, many_rows(1), actor=world.dora)
    assert jobs.relations(world.dora, doras) == _IMPORTER
    assert jobs.relations(world.alice, doras) == _IMPORTER


@pytest.mark.parametrize(("status", "action"), list(itertools.product(S.values, list(A))))
def test_the_table_row_of_every_pair(status: str, action: str) -> None:
    expected = EXPECTED.get((status, action))
    if expected is not None:
        assert LEDGER_IMPORTS.check(_IMPORTER, status, action).target == expected[0]
    else:
        with pytest.raises(TransitionRefused):
            LEDGER_IMPORTS.check(_IMPORTER, status, action)
    with pytest.raises(TransitionRefused):
        LEDGER_IMPORTS.check(frozenset(), status, action)
    offered = [a for (s, a) in EXPECTED if s == status]
    assert LEDGER_IMPORTS.actions_for(_IMPORTER, status) == offered


CASES = list(itertools.product(S.values, list(A), [*PLAYERS, *OUTSIDERS]))


@pytest.mark.parametrize(("status", "action", "who"), CASES)
def test_every_pair(world: Any, tmp_path: Any, status: str, action: str, who: str) -> None:
    item = _import_in(world, tmp_path, status, action)
    expected = EXPECTED.get((status, action))
    part = PLAYERS.get(who)
    projects = Project.objects.count()
    if expected is not None and part in expected[1]:
        _act(world, who, item, action)
        item.refresh_from_db()
        assert item.status == expected[0]
        # Only the import writes projects: the three of the file.
        assert Project.objects.count() == projects + (3 if action == A.APPLY else 0)
        return
    # An actor who does not see the import is refused as such; the importer is told why
    # the import cannot take the step now.
    refusal = PermissionDenied if part is None else ValidationError
    before = _state(item)
    with pytest.raises(refusal):
        _act(world, who, item, action)
    assert _state(item) == before


def test_confirming_finds_the_errors_the_library_now_gives(world: Any, tmp_path: Any) -> None:
    """A checked ledger that fails its check at the confirmation is failed, not applied."""
    item = _import_in(world, tmp_path, S.CHECKED, A.FAIL_CHECK)
    projects = Project.objects.count()
    jobs.confirm(actor=world.alice, item=item)
    item.refresh_from_db()
    assert (item.status, item.error_count, Project.objects.count()) == (S.FAILED, 1, projects)
