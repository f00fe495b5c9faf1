"""The statuses of an uploaded ledger as a table (`tiaodu.core.workflow`).

A stored file is checked: without an error it waits for the confirmation, with one it
stays failed (the user uploads a corrected file). Confirming checks again against the
library as it is then, and imports it all or finds errors. A task that went stale or
stopped is retried from the stored file; an import not applied may be discarded, or be
given another date for its year-to-date figures and checked again.

`who` names the actor's relation to the import, decided in `jobs.relations`: the importer
(the uploader, or a dispatcher whose region covers one of the uploader's regions). The
background task acts for the importer who started it.
"""

from enum import StrEnum

from tiaodu.core.workflow import Transition, Workflow
from tiaodu.projects.import_models import LedgerImportStatus as S

IMPORTER = "importer"


class LedgerImportAction(StrEnum):
    """The steps of an import; the pages name them by their buttons, never by these."""

    PASS_CHECK = "pass_check"
    FAIL_CHECK = "fail_check"
    APPLY = "apply"
    RETRY = "retry"
    SET_DATE = "set_date"
    DISCARD = "discard"


A = LedgerImportAction
_IMPORTER = frozenset({IMPORTER})

LEDGER_IMPORTS = Workflow(
    [
        Transition(S.UPLOADED, A.PASS_CHECK, S.CHECKED, _IMPORTER),
        Transition(S.UPLOADED, A.FAIL_CHECK, S.FAILED, _IMPORTER),
        # Confirming checks again: the library may have changed since the preview.
        Transition(S.CHECKED, A.PASS_CHECK, S.CHECKED, _IMPORTER),
        Transition(S.CHECKED, A.FAIL_CHECK, S.FAILED, _IMPORTER),
        Transition(S.CHECKED, A.APPLY, S.APPLIED, _IMPORTER),
        Transition(S.UPLOADED, A.RETRY, S.UPLOADED, _IMPORTER),
        Transition(S.CHECKED, A.RETRY, S.UPLOADED, _IMPORTER),
        # A new date for the year-to-date figures: the file is checked again with it.
        Transition(S.UPLOADED, A.SET_DATE, S.UPLOADED, _IMPORTER),
        Transition(S.CHECKED, A.SET_DATE, S.UPLOADED, _IMPORTER),
        Transition(S.FAILED, A.SET_DATE, S.UPLOADED, _IMPORTER),
        Transition(S.UPLOADED, A.DISCARD, S.DISCARDED, _IMPORTER),
        Transition(S.CHECKED, A.DISCARD, S.DISCARDED, _IMPORTER),
        Transition(S.FAILED, A.DISCARD, S.DISCARDED, _IMPORTER),
    ]
)
