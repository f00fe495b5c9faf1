"""`manage.py load_boundaries`: a good file replaces the boundaries in force; a malformed
file, a file without features or a feature that matches no region changes nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tiaodu.core.models import AuditEvent
from tiaodu.maps.models import Boundary, BoundarySet
from tiaodu.maps.tests.boundaries import CENTRES, DISTRICTS, as_bytes, feature, feature_collection
from tiaodu.testing import assert_nothing_written

pytestmark = pytest.mark.django_db


def write(folder: Path, data: object, name: str = "qingdao.geojson") -> Path:
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else as_bytes(data))
    return path


def load(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("load_boundaries", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def regions_with_boundaries() -> list[str]:
    return list(
        Boundary.objects.order_by("region__region_code").values_list("region__name", flat=True)
    )


def test_a_good_file_loads_every_district_and_is_audited(world, tmp_path):
    output = load(
        write(tmp_path, feature_collection()),
        "--source", "青岛市自然资源和规划局 2025", "--approval-number", "鲁SG(2025)012号",
        "--actor", "alice",
    )  # fmt: skip
    assert regions_with_boundaries() == [name for name, _code, _centre in DISTRICTS]
    boundary_set = BoundarySet.objects.get()
    assert (boundary_set.source, boundary_set.approval_number, boundary_set.file_name) == (
        "青岛市自然资源和规划局 2025", "鲁SG(2025)012号", "qingdao.geojson",
    )  # fmt: skip
    assert boundary_set.loaded_by == world.alice
    huangdao = Boundary.objects.get(region=world.huangdao)
    assert huangdao.geometry["coordinates"][0][0] == [119.97, 35.88]
    assert "已从 青岛市自然资源和规划局 2025 载入 10 个边界（替换 0 个）" in output
    assert "没有边界" not in output
    event = AuditEvent.objects.get(object_type="maps.boundaryset")
    assert (event.action, event.actor_name) == ("create", "alice")


def test_districts_left_without_a_boundary_are_reported(world, tmp_path):
    few = [feature(name, CENTRES[name]) for name in ("黄岛区", "崂山区")]
    output = load(write(tmp_path, feature_collection(few)), "--source", "测试")
    assert regions_with_boundaries() == ["黄岛区", "崂山区"]
    assert (
        "没有边界的区（市）：市南区、市北区、李沧区、城阳区、即墨区、胶州市、平度市、莱西市。"
        in output
    )


def test_a_code_wins_over_the_name_and_an_old_name_finds_its_district(world, tmp_path):
    features = [
        # A code names its region whatever the name says.
        feature("黄岛", CENTRES["黄岛区"], adcode="370211"),
        # 即墨市 (370282) became 即墨区 (370215): the code names nothing, the name's stem does.
        feature("即墨市", CENTRES["即墨区"], adcode="370282"),
    ]
    output = load(write(tmp_path, feature_collection(features)), "--source", "测试")
    assert dict(Boundary.objects.values_list("region__name", "feature_name")) == {
        "黄岛区": "黄岛",
        "即墨区": "即墨市",
    }
    assert "“即墨市”按即墨区载入（名称后缀不同）。" in output


def test_a_new_file_replaces_every_boundary_of_the_old(world, tmp_path):
    load(write(tmp_path, feature_collection()), "--source", "旧")
    load(
        write(tmp_path, feature_collection([feature("崂山区", CENTRES["崂山区"])])),
        "--source",
        "新",
    )
    assert regions_with_boundaries() == ["崂山区"]
    assert list(BoundarySet.objects.values_list("source", flat=True)) == ["新"]
    assert AuditEvent.objects.filter(object_type="maps.boundaryset", action="update").count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", "文件不是 GeoJSON"),
        (as_bytes({"type": "FeatureCollection", "features": []}), "文件中没有任何要素"),
        (
            as_bytes(
                feature_collection(
                    [feature("黄岛区", CENTRES["黄岛区"]), feature("青岛西海岸", (120.1, 35.9))]
                )
            ),
            "第 2 个要素（青岛西海岸）与本站点的任何地区都不匹配",
        ),
        (
            as_bytes(
                feature_collection(
                    [
                        feature("黄岛区", CENTRES["黄岛区"]),
                        feature("黄岛", CENTRES["黄岛区"], code="370211"),
                    ]
                )
            ),
            "都是黄岛区的边界",
        ),
    ],
)
def test_a_bad_file_changes_nothing(world, tmp_path, content, message, capsys):
    load(write(tmp_path, feature_collection()), "--source", "在用")
    path = write(tmp_path, content, "bad.geojson")
    with assert_nothing_written(BoundarySet, Boundary, AuditEvent):
        errors = StringIO()
        with pytest.raises(CommandError, match="未做任何更改"):
            call_command(
                "load_boundaries", str(path), "--source", "坏", stdout=StringIO(), stderr=errors
            )
    assert message in errors.getvalue()
    assert len(regions_with_boundaries()) == 10


def test_a_missing_file_or_an_unknown_actor_is_named(world, tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        load(tmp_path / "none.geojson")
    with pytest.raises(CommandError, match="--actor nobody：没有该在用账号"):
        load(write(tmp_path, feature_collection()), "--actor", "nobody")
    assert not BoundarySet.objects.exists()
