"""Code lists fixed by the interchange contract (docs/interchange.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Vaccine:
    """A product of the national catalogue."""

    key: int
    code: str
    name: str
    platform: str
    series_doses: int
    min_interval_days: int


# Primary-series rules from the Ministry's catalogue; AZ's minimum interval is 4 weeks
# since 2021-09 (8-12 weeks before).
VACCINES: tuple[Vaccine, ...] = (
    Vaccine(1, "AZ", "AstraZeneca AZD1222 / Vaxzevria / Covishield", "viral vector", 2, 28),
    Vaccine(2, "SPV", "Sputnik V (Gamaleya)", "viral vector", 2, 21),
    Vaccine(3, "VRC", "Vero Cell (Sinopharm BBIBP-CorV)", "inactivated", 2, 21),
    Vaccine(4, "PFZ", "Comirnaty (Pfizer-BioNTech)", "mRNA", 2, 21),
    Vaccine(5, "MOD", "Spikevax (Moderna)", "mRNA", 2, 28),
    Vaccine(6, "JNJ", "Janssen", "viral vector", 1, 0),
    Vaccine(7, "HYT", "Hayat-Vax", "inactivated", 2, 21),
    Vaccine(8, "ABD", "Abdala (CIGB-66)", "protein subunit", 3, 14),
    Vaccine(9, "CVX", "Covaxin (Bharat Biotech)", "inactivated", 2, 28),
)
VACCINE_BY_CODE: dict[str, Vaccine] = {v.code: v for v in VACCINES}

DOSE_KINDS: tuple[str, ...] = ("PRIMARY", "ADDITIONAL", "BOOSTER")
DOSE_KIND_LABELS: dict[str, dict[str, str]] = {
    "PRIMARY": {"vi": "Mũi cơ bản", "en": "Primary"},
    "ADDITIONAL": {"vi": "Mũi bổ sung", "en": "Additional"},
    "BOOSTER": {"vi": "Mũi nhắc lại", "en": "Booster"},
}
# (dose_kind, dose_number) -> dose_key; the allowed numbers per kind come from the spec.
DOSES: tuple[tuple[int, str, int], ...] = (
    (1, "PRIMARY", 1),
    (2, "PRIMARY", 2),
    (3, "PRIMARY", 3),
    (4, "ADDITIONAL", 1),
    (5, "BOOSTER", 1),
    (6, "BOOSTER", 2),
)
DOSE_KEY: dict[tuple[str, int], int] = {(kind, num): key for key, kind, num in DOSES}

PRIORITY_GROUPS: dict[int, dict[str, str]] = {
    0: {"vi": "Người dân", "en": "General population"},
    1: {"vi": "Nhân viên y tế", "en": "Health-care workers"},
    2: {"vi": "Lực lượng tuyến đầu chống dịch", "en": "Pandemic-response workers"},
    3: {"vi": "Ngoại giao, hải quan, xuất nhập cảnh", "en": "Diplomats, customs, immigration"},
    4: {"vi": "Quân đội", "en": "Military"},
    5: {"vi": "Công an", "en": "Police"},
    6: {"vi": "Giáo viên, nhân viên giáo dục", "en": "Teachers and education staff"},
    7: {"vi": "Người trên 65 tuổi", "en": "People over 65"},
    8: {"vi": "Dịch vụ thiết yếu", "en": "Essential-service workers"},
    9: {"vi": "Người có bệnh nền", "en": "People with chronic disease"},
    10: {"vi": "Đi công tác, học tập nước ngoài", "en": "Going abroad for work or study"},
    11: {"vi": "Người sống ở vùng dịch", "en": "Living in outbreak areas"},
    # The Government's list later grew to 16 groups (Resolution 21/NQ-CP as amended); the
    # groups it added take new codes, never a renumbering (docs/interchange.md, Catalogues).
    12: {"vi": "Hộ nghèo, đối tượng chính sách xã hội",
         "en": "Poor households and social-policy beneficiaries"},
    13: {"vi": "Người lao động doanh nghiệp và gia đình",
         "en": "Enterprise workers and their families"},
    14: {"vi": "Chức sắc, chức việc tôn giáo", "en": "Religious dignitaries"},
    15: {"vi": "Người lao động tự do", "en": "Freelance workers"},
    16: {"vi": "Đối tượng khác do Bộ trưởng Bộ Y tế hoặc Chủ tịch UBND tỉnh quyết định",
         "en": "Others decided by the Minister of Health or the provincial chair"},
}
MAX_PRIORITY_GROUP = max(PRIORITY_GROUPS)

# Age bands follow the population denominators' columns (population file).
AGE_BANDS: tuple[tuple[int, str, int, int], ...] = (
    (0, "0-4", 0, 4),
    (1, "5-11", 5, 11),
    (2, "12-17", 12, 17),
    (3, "18-64", 18, 64),
    (4, "65+", 65, 200),
)
SEXES: tuple[str, ...] = ("M", "F")

INJECTION_STATUSES = ("COMPLETED", "ENTERED_IN_ERROR")
ID_TYPES = ("CCCD", "CMND", "PASSPORT")
MOVEMENT_SIGN: dict[str, int] = {
    # RETURN is stock coming back into the recording warehouse from a lower level.
    "RECEIPT": 1,
    "TRANSFER_IN": 1,
    "RETURN": 1,
    "ISSUE": -1,
    "TRANSFER_OUT": -1,
    "WASTAGE": -1,
    "ADJUSTMENT": 1,  # signed by the doses themselves
}
MOVEMENT_REASONS = (
    "EXPIRED", "VVM_CHANGE", "BROKEN", "CONTAMINATED", "OPEN_VIAL", "COUNT", "OTHER",
)
SEVERITIES = ("MILD", "SERIOUS")
SERIOUSNESS = (
    "DEATH",
    "LIFE_THREATENING",
    "HOSPITALISATION",
    "DISABILITY",
    "CONGENITAL_ANOMALY",
    "MEDICALLY_IMPORTANT",
)
OUTCOMES = (
    "RECOVERED", "RECOVERING", "RECOVERED_WITH_SEQUELAE", "NOT_RECOVERED", "DIED", "UNKNOWN",
)
CLASSIFICATIONS = ("A", "B", "C", "UNCLASSIFIABLE")
FACILITY_KINDS = (
    "HOSPITAL",
    "HEALTH_CENTRE",
    "HEALTH_STATION",
    "PRIVATE_CLINIC",
    "MOBILE_TEAM",
    "FIELD_SITE",
)
FACILITY_STATUSES = ("PENDING", "ACTIVE", "SUSPENDED", "REFUSED")
WAREHOUSE_LEVELS = ("NATIONAL", "REGIONAL", "PROVINCE", "DISTRICT", "FACILITY")


def group_key(priority_group: int, age_band: int, sex: str) -> int:
    """Deterministic key of dim_population_group, so the ETL needs no lookup."""
    return priority_group * 100 + age_band * 10 + (1 if sex == "M" else 2)
