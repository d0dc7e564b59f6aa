"""Is a point on Viet Nam's territory? Province outlines plus a coastal margin."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry import shape

from data.geo.provinces import load_provinces_geojson

# The outlines are simplified (about 1 km) and facilities sit on the coast and on small
# islands: accept points within ~10 km of the outline, far short of any foreign city.
MARGIN_DEG = 0.1
# Offshore places too small or far for the outline: the Trường Sa archipelago (Khánh Hòa)
# spans many reefs around its polygons, and Bạch Long Vĩ (Hải Phòng) lies 110 km out.
ARCHIPELAGO_MARGIN_DEG = 0.5
ISLANDS: dict[str, tuple[float, float]] = {"Bạch Long Vĩ": (20.13, 107.72)}
ISLAND_RADIUS_DEG = 0.15


@lru_cache(maxsize=1)
def _territory() -> shapely.Geometry:
    features = load_provinces_geojson()["features"]
    geoms = [shape(f["geometry"]) for f in features]
    # Parts east of 111°E are the Hoàng Sa and Trường Sa archipelagos: take their whole
    # extent (the convex hull of their islands), not only the charted islets.
    far = [p for g in geoms for p in getattr(g, "geoms", [g]) if p.bounds[0] >= 111.0]
    hoang_sa = shapely.convex_hull(shapely.union_all([p for p in far if p.bounds[1] > 14]))
    truong_sa = shapely.convex_hull(shapely.union_all(
        [p for p in far if p.bounds[1] <= 14] + [shapely.Point(111.92, 8.64)]))
    islands = [shapely.Point(lon, lat).buffer(ISLAND_RADIUS_DEG) for lat, lon in ISLANDS.values()]
    area = shapely.union_all([
        shapely.union_all(geoms).buffer(MARGIN_DEG),
        hoang_sa.buffer(ARCHIPELAGO_MARGIN_DEG), truong_sa.buffer(ARCHIPELAGO_MARGIN_DEG),
        *islands,
    ])
    shapely.prepare(area)
    return area


def inside_vietnam(latitude: np.ndarray, longitude: np.ndarray) -> np.ndarray:
    """Element-wise: does (latitude, longitude) fall on Viet Nam (NaN -> False)?"""
    lat = np.asarray(latitude, dtype="float64")
    lon = np.asarray(longitude, dtype="float64")
    ok = ~(np.isnan(lat) | np.isnan(lon))
    out = np.zeros(lat.shape, dtype=bool)
    out[ok] = shapely.contains_xy(_territory(), lon[ok], lat[ok])
    return out
