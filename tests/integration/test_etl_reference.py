"""Reference kinds: facilities, warehouses and population (the coverage denominators)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from data.interchange.messages import MESSAGES
from data.settings import Settings
from etl.pipeline import LoadResult, load_file
from tests.factories import facility, injection, population, read_rejects, warehouse, write_csv


def _load(settings: Settings, engine: Engine, tmp_path: Path, kind: str,
          rows: list[dict[str, Any]], name: str = "") -> LoadResult:
    return load_file(settings, engine, kind, write_csv(tmp_path / (name or f"{kind}.csv"), rows))


def _report(result: LoadResult) -> list[tuple[str, str]]:
    return [(r["line"], r["field"]) for r in read_rejects(result.reject_path)]


def _rows(engine: Engine, sql: str) -> dict[Any, tuple[Any, ...]]:
    """First column -> the other columns."""
    with engine.connect() as conn:
        return {r[0]: tuple(r[1:]) for r in conn.execute(text(sql))}


# -- facilities --------------------------------------------------------------------------------

def test_facility_kinds_and_statuses(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    kinds = ["HOSPITAL", "HEALTH_CENTRE", "HEALTH_STATION", "PRIVATE_CLINIC", "MOBILE_TEAM",
             "FIELD_SITE"]
    rows = [facility(f"K{i}", kind=k.lower() if i % 2 else k) for i, k in enumerate(kinds)]
    rows += [facility("S-PENDING", status="PENDING"), facility("S-SUSP", status="suspended"),
             facility("S-DEFAULT", status=""),
             facility("BAD-KIND", kind="CLINIC"),         # line 11
             facility("BAD-STATUS", status="CLOSED"),     # line 12
             facility("BAD-NAME", name=" ")]              # line 13
    result = _load(settings, engine, tmp_path, "facilities", rows)
    assert (result.read, result.loaded, result.rejected) == (12, 9, 3)
    assert _report(result) == [("11", "kind"), ("12", "status"), ("13", "name")]
    stored = _rows(engine, "SELECT code, kind, status FROM facility")
    assert {stored[f"K{i}"][0] for i in range(6)} == set(kinds)
    assert (stored["S-PENDING"][1], stored["S-SUSP"][1], stored["S-DEFAULT"][1]) == (
        "PENDING", "SUSPENDED", "ACTIVE")
    dim = _rows(engine, "SELECT facility_code, kind, status FROM dim_facility")
    assert dim == stored


ISLANDS_AND_EXTREMES = {
    "HANOI": ("21.0285", "105.8542"),
    "TRUONG-SA": ("8.6447", "111.9203"),      # Trường Sa (Spratly) island town, Khánh Hòa
    "HOANG-SA": ("16.5333", "111.6167"),      # Hoàng Sa (Paracel), Đà Nẵng
    "PHU-QUOC": ("10.2270", "103.9637"),
    "CON-DAO": ("8.6833", "106.6000"),
    "BACH-LONG-VI": ("20.1333", "107.7167"),
    "LUNG-CU": ("23.3633", "105.3161"),       # northernmost point
    "CA-MAU-CAPE": ("8.5958", "104.7194"),    # southernmost point
    "NO-COORDS": ("", ""),
}


def test_facility_coordinates_within_viet_nam(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    rows = [facility(code, latitude=lat, longitude=lon)
            for code, (lat, lon) in ISLANDS_AND_EXTREMES.items()]
    bad = [facility("SWAPPED", latitude="105.8542", longitude="21.0285"),
           facility("BANGKOK", latitude="13.7563", longitude="100.5018"),
           facility("MANILA", latitude="14.5995", longitude="120.9842"),
           facility("SOUTH", latitude="-21.0285", longitude="105.8542"),
           facility("TEXT", latitude="21.0285", longitude="đông")]
    result = _load(settings, engine, tmp_path, "facilities", rows + bad)
    n = len(rows)
    assert (result.loaded, result.rejected) == (n, len(bad))
    # A point off the territory is one problem of the pair; an unreadable value is its field's.
    assert _report(result) == [
        (str(n + 2), "latitude,longitude"), (str(n + 3), "latitude,longitude"),
        (str(n + 4), "latitude,longitude"), (str(n + 5), "latitude,longitude"),
        (str(n + 6), "longitude")]
    assert read_rejects(result.reject_path)[0]["reason"] == MESSAGES["bad_coordinate"]["vi"]
    stored = _rows(engine, "SELECT facility_code, latitude, longitude FROM dim_facility")
    assert stored["TRUONG-SA"] == pytest.approx((8.6447, 111.9203))
    assert stored["NO-COORDS"] == (None, None)


def test_facility_coordinate_in_a_neighbour_country_is_rejected(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    """The rule is 'within Viet Nam', not 'within a box around it' (the reason says so)."""
    rows = [facility("OK"),
            facility("PHNOM-PENH", latitude="11.5564", longitude="104.9282"),   # Cambodia
            facility("VIENTIANE", latitude="17.9757", longitude="102.6331"),    # Laos
            facility("HAIKOU", latitude="20.0440", longitude="110.1999")]       # Hainan, China
    result = _load(settings, engine, tmp_path, "facilities", rows)
    assert (result.loaded, result.rejected) == (1, 3)
    assert {line for line, _ in _report(result)} == {"3", "4", "5"}


def test_facility_district_in_province(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    rows = [facility("OK"),
            facility("NO-ZEROS", province_code="1", district_code="2", ward_code="37"),
            facility("HCM", province_code="79", district_code="760", ward_code="26734"),
            facility("OUT", province_code="79", district_code="001", ward_code=""),  # line 5
            facility("WARD-OUT", ward_code="00037"),                                 # line 6
            facility("NO-PROV", province_code="")]                                  # line 7
    result = _load(settings, engine, tmp_path, "facilities", rows)
    assert (result.loaded, result.rejected) == (3, 3)
    assert _report(result) == [("5", "district_code"), ("6", "ward_code"),
                               ("7", "province_code")]
    assert _rows(engine, "SELECT code, province_code, district_code, ward_code FROM facility")[
        "NO-ZEROS"] == ("01", "002", "00037")


def test_facility_reload_updates_attributes_keeps_key(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    first = _load(settings, engine, tmp_path, "facilities",
                  [facility("F1"), facility("F2", name="Bệnh viện Bạch Mai", kind="HOSPITAL")])
    assert (first.loaded, first.updated) == (2, 0)
    keys = _rows(engine, "SELECT facility_code, facility_key FROM dim_facility")
    _load(settings, engine, tmp_path, "injections",
          [injection("R1", facility_code="F1")], name="i.csv")
    changed = facility("F1", name="Trạm Y tế Phúc Xá (mới)", status="SUSPENDED",
                       daily_capacity="500", latitude="21.05", longitude="105.85")
    second = _load(settings, engine, tmp_path, "facilities",
                   [changed, facility("F2", name="Bệnh viện Bạch Mai", kind="HOSPITAL"),
                    facility("F3")], name="f2.csv")
    assert (second.loaded, second.updated, second.unchanged) == (1, 1, 1)
    assert _rows(engine, "SELECT facility_code, facility_key FROM dim_facility") == keys | {
        "F3": _rows(engine, "SELECT facility_code, facility_key FROM dim_facility")["F3"]}
    assert len(set(_rows(engine, "SELECT facility_key, 1 FROM dim_facility"))) == 3
    expected = ("Trạm Y tế Phúc Xá (mới)", "SUSPENDED", 500)
    assert _rows(engine, "SELECT code, name, status, daily_capacity FROM facility")[
        "F1"] == expected
    dim = _rows(engine, "SELECT facility_code, name, status, daily_capacity, latitude "
                        "FROM dim_facility")["F1"]
    assert dim == (*expected, pytest.approx(21.05))
    # Facts keep pointing at the same facility.
    fact_key = _rows(engine, "SELECT record_id, facility_key FROM fct_injection")["R1"]
    assert fact_key == keys["F1"]


# -- warehouses --------------------------------------------------------------------------------

def test_warehouse_levels(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    _load(settings, engine, tmp_path, "facilities", [facility("F1")])
    rows = [
        warehouse("W-NAT", level="NATIONAL", province_code=""),
        warehouse("W-REG", level="regional", province_code=""),
        warehouse("W-PROV", level="PROVINCE", province_code="1"),
        warehouse("W-DIST", level="DISTRICT", province_code="01", district_code="1"),
        warehouse("W-FAC", level="FACILITY", district_code="001", facility_code="F1"),
        warehouse("W-BAD-LEVEL", level="KHO"),                                  # line 7
        warehouse("W-PROV-NO-PROV", level="PROVINCE", province_code=""),        # line 8
        warehouse("W-DIST-NO-DIST", level="DISTRICT"),                          # line 9
        warehouse("W-FAC-NO-FAC", level="FACILITY", district_code="001"),       # line 10
        warehouse("W-FAC-UNKNOWN", level="FACILITY", district_code="001",
                  facility_code="F404"),                                        # line 11
        warehouse("W-OUT", level="DISTRICT", province_code="79",
                  district_code="001"),                                         # line 12
        warehouse("W-BAD-PROV", province_code="03"),                            # line 13
    ]
    result = _load(settings, engine, tmp_path, "warehouses", rows)
    assert (result.read, result.loaded, result.rejected) == (12, 5, 7)
    assert _report(result) == [
        ("7", "level"), ("8", "province_code"), ("9", "district_code"),
        ("10", "facility_code"), ("11", "facility_code"), ("12", "district_code"),
        ("13", "province_code")]
    reasons = {r["line"]: r["reason"] for r in read_rejects(result.reject_path)}
    assert reasons["10"] == MESSAGES["facility_required"]["vi"]
    assert reasons["11"] == MESSAGES["unknown_facility"]["vi"]
    stored = _rows(engine, "SELECT warehouse_code, level, province_code, district_code, "
                           "facility_code FROM dim_warehouse")
    assert stored == {
        "W-NAT": ("NATIONAL", None, None, None), "W-REG": ("REGIONAL", None, None, None),
        "W-PROV": ("PROVINCE", "01", None, None), "W-DIST": ("DISTRICT", "01", "001", None),
        "W-FAC": ("FACILITY", "01", "001", "F1")}
    assert _rows(engine, "SELECT code, level FROM warehouse").keys() == stored.keys()


def test_warehouse_reload_keeps_key(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    _load(settings, engine, tmp_path, "warehouses", [warehouse("W1")])
    key = _rows(engine, "SELECT warehouse_code, warehouse_key FROM dim_warehouse")["W1"]
    again = _load(settings, engine, tmp_path, "warehouses", [warehouse("W1")], name="w2.csv")
    assert (again.loaded, again.updated, again.unchanged) == (0, 0, 1)
    moved = _load(settings, engine, tmp_path, "warehouses",
                  [warehouse("W1", name="Kho TP Hồ Chí Minh", province_code="79")], name="w3.csv")
    assert (moved.loaded, moved.updated) == (0, 1)
    assert _rows(engine, "SELECT warehouse_code, warehouse_key, name, province_code "
                         "FROM dim_warehouse")["W1"] == (*key, "Kho TP Hồ Chí Minh", "79")


# -- population --------------------------------------------------------------------------------

def test_population_area_codes_and_age_bands(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    rows = [
        population("1", 8_000_000, age_18_plus=6_000_000, age_65_plus=700_000),
        population("79", 9_000_000),
        population("001", 250_000, age_12_17=20_000, age_5_11=25_000),
        population("760", 150_000),
        population("99", 1),                                            # line 6
        population("999", 1),                                           # line 7
        population("0001", 1),                                          # line 8
        population("002", 100, age_18_plus=101),                        # line 9
        population("003", 100, age_65_plus=100, age_12_17=500),         # line 10
        population("004", ""),                                          # line 11
        population("005", 100, year="1999"),                            # line 12
    ]
    result = _load(settings, engine, tmp_path, "population", rows)
    assert (result.read, result.loaded, result.rejected) == (11, 4, 7)
    assert _report(result) == [
        ("6", "area_code"), ("7", "area_code"), ("8", "area_code"), ("9", "age_18_plus"),
        ("10", "age_12_17"), ("11", "total"), ("12", "year")]
    assert read_rejects(result.reject_path)[3]["reason"] == MESSAGES["age_exceeds_total"]["vi"]
    assert _rows(engine, "SELECT area_code, year, total, age_18_plus FROM population") == {
        "01": (2021, 8_000_000, 6_000_000), "79": (2021, 9_000_000, None),
        "001": (2021, 250_000, None), "760": (2021, 150_000, None)}


def test_population_updates_dim_geography(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    _load(settings, engine, tmp_path, "population", [
        population("01", 8_000_000, year="2020"), population("01", 8_250_000),
        population("001", 250_000), population("79", 9_000_000)])
    geo = _rows(engine, """
        SELECT district_code, MIN(district_population), MAX(district_population),
               MIN(province_population), MAX(province_population), COUNT(*)
        FROM dim_geography WHERE district_code IN ('001', '002', '760')
        GROUP BY district_code""")
    # The latest year is the denominator; every row (wards too) of the district carries it.
    assert {k: v[:4] for k, v in geo.items()} == {
        "001": (250_000, 250_000, 8_250_000, 8_250_000),
        "002": (None, None, 8_250_000, 8_250_000),
        "760": (None, None, 9_000_000, 9_000_000)}
    assert geo["001"][4] > 1
    # A revised figure replaces the old one on the next load.
    revised = _load(settings, engine, tmp_path, "population",
                    [population("001", 260_000), population("79", 9_000_000)], name="p2.csv")
    assert (revised.loaded, revised.updated, revised.unchanged) == (0, 1, 1)
    geo = _rows(engine, "SELECT district_code, MAX(district_population) FROM dim_geography "
                        "WHERE district_code = '001' GROUP BY district_code")
    assert geo == {"001": (260_000,)}


# -- administrative units ----------------------------------------------------------------------

def test_numbered_units_are_named_with_their_type(engine: Engine) -> None:
    """'Quận 1' and 'Phường 12' on every page, not a bare '1' (HCM City's districts)."""
    names = _rows(engine, "SELECT district_code, district_name FROM dim_geography "
                          "WHERE level = 'DISTRICT' AND province_code = '79'")
    assert names["760"] == ("Quận 1",) and names["771"] == ("Quận 10",)
    assert names["764"] == ("Gò Vấp",)  # named units keep their bare name
    bare = _rows(engine, "SELECT ward_code, ward_name FROM dim_geography "
                         "WHERE level = 'WARD' AND ward_name NOT LIKE '% %'")
    assert not [c for c, (n,) in bare.items() if n.isdigit()]


def test_migration_0007_renames_a_database_seeded_before_it(engine: Engine) -> None:
    from alembic import command

    from data.migrate import alembic_config

    with engine.begin() as conn:  # as seeded before 0007: the bare number
        conn.execute(text("UPDATE dim_geography SET district_name = '1' "
                          "WHERE district_code = '760'"))
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006")
        command.upgrade(cfg, "head")  # through 0007; later tests share this schema
    names = _rows(engine, "SELECT DISTINCT district_code, district_name FROM dim_geography "
                          "WHERE district_code IN ('760', '001')")
    assert names == {"760": ("Quận 1",), "001": ("Ba Đình",)}
