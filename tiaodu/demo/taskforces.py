"""The demo city's task forces (专班, `load_demo`): one for each municipal key project of the
year, headed by its sponsoring leader (or, without one, its municipal leader), with its
responsible person and its service officer, set up by the city dispatcher in the spring.

A part of the demo (`demo.parts`), after the campaigns. The heads are the people on record
already, so the ledger export names them in its 专班班长 column.
"""

import datetime as dt
import random
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from tiaodu.core import clock
from tiaodu.demo.library.spec import DemoSpec
from tiaodu.demo.parts import DemoPart
from tiaodu.demo.problems.days import office_time
from tiaodu.projects import services
from tiaodu.projects.models import PROJECT_RELATIONS, Project

if TYPE_CHECKING:
    from tiaodu.demo.library.builder import Loaded

NAME = "taskforces"
LIST = "市重点项目"
DUTIES = (
    "统筹推进项目建设，协调解决用地、规划、环评等前期手续问题，每周调度一次进度。",
    "倒排工期、挂图作战，协调征收拆迁和施工条件，按月报送形象进度和投资完成情况。",
    "对接省市有关部门，推动要素保障落实，督促项目单位加快开工、尽早入统。",
)


def load(spec: DemoSpec, loaded: "Loaded") -> list[str]:
    rng = random.Random(f"{spec.seed}:{NAME}")
    dispatcher = loaded.users["dispatcher"]
    projects = (
        Project.objects.filter(
            plans__year=spec.year,
            plans__memberships__key_project_list__name=LIST,
            plans__memberships__end__isnull=True,
        )
        .select_related(*PROJECT_RELATIONS)
        .distinct()
        .order_by("pk")
    )
    made = 0
    for project in projects:
        head = project.sponsoring_leader or project.municipal_leader
        if head is None:
            continue
        officer = project.service_officer
        day = dt.date(spec.year, 3, 1) + dt.timedelta(days=rng.randrange(30))
        with clock.frozen(office_time(rng, min(day, spec.as_of))):
            services.save_task_force(
                actor=dispatcher,
                name=_("%(project)s task force") % {"project": project.name},
                head=head,
                responsible_person=project.responsible_person,
                members=[officer] if officer is not None else [],
                projects=[project],
                duties=rng.choice(DUTIES),
            )
        made += 1
    return [_("Task forces: %(count)d, one per municipal key project") % {"count": made}]


PART = DemoPart(NAME, load)
