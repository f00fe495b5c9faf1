"""Reading a boundary file: GeoJSON, plain or in ECharts' compressed form, checked whole
before anything is written (docs/map.md).

A file is a FeatureCollection of Polygon and MultiPolygon features in longitude and
latitude (WGS 84 or CGCS 2000, which differ by less than a metre here). Each feature is
named by a property (`name` by default) and may carry a division code (`adcode`, `code`
or 天地图's `gb`, unless one is named). The ECharts map files of the older map packages
(`"UTF8Encoding": true`) are decoded here into plain coordinates: each ring is a string in
which every two characters are a zig-zag encoded step in x and y from the ring's
`encodeOffsets`, in 1/1024 of a degree.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

MAX_BYTES = 50 * 1024 * 1024
SCALE = 1024
CODE_PROPERTIES = ("adcode", "code", "gb")
GEOMETRY_TYPES = ("Polygon", "MultiPolygon")


class BoundaryFileError(ValueError):
    """A file that cannot be read as boundaries; the message says where and how to fix it."""


@dataclass(frozen=True)
class Feature:
    """One outline of the file: its place (from 1), name, division code and plain geometry."""

    number: int
    name: str
    code: str
    geometry: dict[str, Any]


def decode_ring(encoded: str, offset: Sequence[int], scale: int = SCALE) -> list[list[float]]:
    """The positions of one compressed ring: each pair of characters is a step in x and y,
    zig-zag encoded and shifted by 64, added to the position before (the offset first)."""
    if len(encoded) % 2:
        raise ValueError("odd length")
    x, y = int(offset[0]), int(offset[1])
    ring = []
    for index in range(0, len(encoded), 2):
        steps = []
        for char in encoded[index : index + 2]:
            value = ord(char) - 64
            # Zig-zag: 0, 1, 2, 3, 4 … stand for 0, -1, 1, -2, 2 …
            steps.append((value >> 1) ^ -(value & 1))
        x += steps[0]
        y += steps[1]
        ring.append([x / scale, y / scale])
    return ring


def decode_geometry(geometry: dict[str, Any], scale: int = SCALE) -> dict[str, Any]:
    """A compressed Polygon or MultiPolygon as a plain GeoJSON geometry."""
    kind = geometry.get("type")
    coordinates = geometry["coordinates"]
    offsets = geometry["encodeOffsets"]
    if kind == "Polygon":
        rings = [decode_ring(r, o, scale) for r, o in zip(coordinates, offsets, strict=True)]
        return {"type": "Polygon", "coordinates": rings}
    polygons = [
        [decode_ring(r, o, scale) for r, o in zip(rings, ring_offsets, strict=True)]
        for rings, ring_offsets in zip(coordinates, offsets, strict=True)
    ]
    return {"type": "MultiPolygon", "coordinates": polygons}


def division_code(value: Any) -> str:
    """A division code as six digits: 天地图's `156370202` and the statistics' twelve-digit
    `370202000000` give `370202`; anything else is kept as written."""
    text = str(value).strip() if value is not None else ""
    if text.isdigit():
        if len(text) == 9 and text.startswith("156"):
            return text[3:]
        if len(text) == 12 and text.endswith("000000"):
            return text[:6]
    return text


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _checked_ring(ring: Any) -> bool:
    if not isinstance(ring, list) or len(ring) < 3:
        return False
    for position in ring:
        if not isinstance(position, list) or len(position) < 2:
            return False
        longitude, latitude = position[0], position[1]
        if not (_number(longitude) and _number(latitude)):
            return False
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            return False
    return True


def _checked_geometry(geometry: Any) -> bool:
    """A Polygon (rings) or a MultiPolygon (polygons of rings) of longitude and latitude."""
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        return False
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return False
    return all(
        isinstance(rings, list) and rings and all(_checked_ring(ring) for ring in rings)
        for rings in polygons
    )


def _plain(geometry: Any, encoded: bool, where: str) -> dict[str, Any]:
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        raise BoundaryFileError(
            _("%(where)s: the geometry must be a Polygon or a MultiPolygon.") % {"where": where}
        )
    if encoded:
        try:
            geometry = decode_geometry(geometry)
        except (TypeError, ValueError, KeyError, IndexError) as error:
            raise BoundaryFileError(
                _("%(where)s: the compressed coordinates cannot be decoded.") % {"where": where}
            ) from error
    if not _checked_geometry(geometry):
        raise BoundaryFileError(
            _(
                "%(where)s: the coordinates must be rings of at least three [longitude, "
                "latitude] pairs within ±180 and ±90 degrees."
            )
            % {"where": where}
        )
    return {"type": geometry["type"], "coordinates": geometry["coordinates"]}


def read_features(
    content: bytes, *, name_property: str = "name", code_property: str | None = None
) -> list[Feature]:
    """Every feature of the file, checked and in plain coordinates; BoundaryFileError on the
    first thing that is wrong."""
    if len(content) > MAX_BYTES:
        raise BoundaryFileError(
            _("The file is larger than %(size)d MB; simplify the outlines first.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise BoundaryFileError(
            _("The file is not GeoJSON (UTF-8 JSON text): %(error)s") % {"error": error}
        ) from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryFileError(_("The file must hold one GeoJSON FeatureCollection."))
    items = data.get("features")
    if not isinstance(items, list) or not items:
        raise BoundaryFileError(_("The file holds no features."))
    encoded = data.get("UTF8Encoding") is True
    features = []
    for number, item in enumerate(items, start=1):
        where = _("Feature %(number)d") % {"number": number}
        if not isinstance(item, dict) or item.get("type") != "Feature":
            raise BoundaryFileError(_("%(where)s is not a GeoJSON Feature.") % {"where": where})
        properties = item.get("properties") or {}
        if not isinstance(properties, dict):
            raise BoundaryFileError(
                _("%(where)s: its properties are not an object.") % {"where": where}
            )
        name = str(properties.get(name_property) or "").strip()
        names = [code_property] if code_property else list(CODE_PROPERTIES)
        code = next(
            (
                division_code(properties[key])
                for key in names
                if properties.get(key) not in (None, "")
            ),
            "",
        )
        if not name and not code:
            raise BoundaryFileError(
                _("%(where)s has neither a name (property “%(name)s”) nor a division code.")
                % {"where": where, "name": name_property}
            )
        if name:
            where = f"{where}（{name}）"
        features.append(Feature(number, name, code, _plain(item.get("geometry"), encoded, where)))
    return features
