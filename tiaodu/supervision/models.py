"""The supervision app's models live in its sub-domains: notices, meetings, field rounds
and leaders' instructions. Importing their models modules here registers them with the app
(label `supervision`, tables unchanged)."""

from tiaodu.supervision.instructions import models as instructions  # noqa: F401
from tiaodu.supervision.meetings import models as meetings  # noqa: F401
from tiaodu.supervision.notices import models as notices  # noqa: F401
from tiaodu.supervision.rounds import models as rounds  # noqa: F401
