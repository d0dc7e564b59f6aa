"""The injections reject report, on each backend: a blank required field is reported once,
on that field; every reason comes in the requested language, with its exact text."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import injection, read_rejects, write_csv
from tests.integration.injection_rejects import (  # noqa: F401 - registered is a fixture
    Bad,
    registered,
    run_file,
)
from tests.integration.test_etl_injections_dose import (
    ADMIN_BAD,
    CATALOGUE_BAD,
    DOSE_BAD,
    STATUS_BAD,
)
from tests.integration.test_etl_injections_person import (
    BIRTH_BAD,
    GEO_BAD,
    PERSON_BAD,
    PHONE_BAD,
    PRIORITY_BAD,
    SEX_BAD,
)

pytestmark = pytest.mark.usefixtures("registered")

# -- required fields ---------------------------------------------------------------------------

REQUIRED = ["record_id", "person_id", "full_name", "birth_date", "sex", "province_code",
            "district_code", "facility_code", "vaccine_code", "lot_number", "dose_kind",
            "dose_number", "administered_at"]
REQUIRED_BAD = [Bad(f, "required", {f: " " if i % 2 else ""}) for i, f in enumerate(REQUIRED)]


def test_required_fields_each(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    run_file(settings, engine, tmp_path, invalid=REQUIRED_BAD)
    report = read_rejects(Path(f"{tmp_path / 'i.csv'}.rejects.csv"))
    # A blank required field is reported once, on that field alone.
    assert [r["field"] for r in report] == REQUIRED
    assert [r["line"] for r in report] == [str(2 * i + 3) for i in range(len(REQUIRED))]


# -- language of the reasons -------------------------------------------------------------------

ALL_BAD = (REQUIRED_BAD + STATUS_BAD + PERSON_BAD + BIRTH_BAD + SEX_BAD + PHONE_BAD
           + PRIORITY_BAD + GEO_BAD + CATALOGUE_BAD + DOSE_BAD + ADMIN_BAD)


@pytest.mark.parametrize("lang", [None, "vi", "en"])
def test_every_reason_in_the_requested_language(
    settings: Settings, engine: Engine, tmp_path: Path, lang: str | None
) -> None:
    """Vietnamese by default (the clerks' language), English on request; checked in _run."""
    run_file(settings, engine, tmp_path, invalid=ALL_BAD, lang=lang)


def test_reasons_exact_text(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    rows = [injection("A", sex="X"), injection("B", facility_code="F404"),
            injection("C", phone="123"),
            injection("D", district_code="760", ward_code="")]
    path = write_csv(tmp_path / "i.csv", rows)
    vi = read_rejects(load_file(settings, engine, "injections", path).reject_path)
    en = read_rejects(load_file(settings, engine, "injections", path, lang="en").reject_path)
    assert [(r["line"], r["field"], r["value"]) for r in vi] == [
        ("2", "sex", "X"), ("3", "facility_code", "F404"), ("4", "phone", "123"),
        ("5", "district_code", "760")]
    assert [r["reason"] for r in vi] == [
        "Giá trị không hợp lệ; chỉ nhận: M, F",
        "Cơ sở tiêm chưa được đăng ký; nạp danh sách cơ sở trước",
        "Số điện thoại di động Việt Nam không hợp lệ (10 số, ví dụ 0912345678)",
        "Huyện 760 không thuộc tỉnh 01"]
    assert [r["reason"] for r in en] == [
        "Invalid value; allowed: M, F",
        "Facility is not registered; load the facilities file first",
        "Not a Vietnamese mobile number (10 digits, e.g. 0912345678)",
        "District 760 is not in province 01"]
