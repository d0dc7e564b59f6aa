"""The certificate look-up's pure rules: the name comparison (tolerant of case, spaces,
Unicode normalisation and tone placement; strict about diacritics), the input shapes, the
masked identity number."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from data.citizen.name_match import name_key, same_name
from data.portal.certificate_lookup import mask_person_id, parse_birth_date, parse_query

RECORDED = "Nguyễn Văn An"


@pytest.mark.parametrize("typed", [
    "Nguyễn Văn An",
    "nguyễn văn an",
    "NGUYỄN VĂN AN",
    "  Nguyễn   Văn\tAn  ",
    unicodedata.normalize("NFD", "Nguyễn Văn An"),  # a keyboard sending combining marks
])
def test_the_same_name_typed_differently_matches(typed: str) -> None:
    assert same_name(typed, RECORDED)


@pytest.mark.parametrize("typed", [
    "Nguyen Van An",      # without diacritics: another spelling, refused (module docstring)
    "Nguyễn Văn Ân",      # another vowel
    "Nguyễn Văn Án",      # another tone
    "Nguyễn Văn",         # part of the name
    "Nguyễn An Văn",      # the words in another order
    "Nguyễn Văn Anh",
    "",
])
def test_a_different_name_does_not_match(typed: str) -> None:
    assert not same_name(typed, RECORDED)


def test_old_and_new_tone_placement_are_the_same_name() -> None:
    assert same_name("Lê Thị Hoà", "Lê Thị Hòa")
    assert same_name("Trần Thuý", "Trần Thúy")
    assert not same_name("Lê Thị Hoà", "Lê Thị Hoa")
    assert not same_name("Đào Văn Bình", "Dao Van Binh")
    assert name_key("Hoà") == name_key("Hòa") != name_key("Hỏa")


def test_birth_dates_in_the_vietnamese_order_and_iso() -> None:
    assert parse_birth_date("02/01/1990") == dt.date(1990, 1, 2)
    assert parse_birth_date("2-1-1990") == dt.date(1990, 1, 2)
    assert parse_birth_date("1990-01-02") == dt.date(1990, 1, 2)
    assert parse_birth_date("31/02/1990") is None
    assert parse_birth_date("01/01/1800") is None
    assert parse_birth_date("01/01/2999") is None
    assert parse_birth_date("hôm qua") is None


def test_query_shapes() -> None:
    query, problems = parse_query(" 001 090 012 345 ", "Nguyễn Văn An", "02/01/1990")
    assert problems == [] and query is not None
    assert query.person_id == "001090012345"
    assert parse_query("12", "", "x") == (None, ["person_id", "full_name", "birth_date"])
    assert parse_query(None, ["a"], {"x": 1}) == (None,
                                                   ["person_id", "full_name", "birth_date"])
    assert parse_query("001090012345", "A" * 201, "02/01/1990")[1] == ["full_name"]
    assert parse_query("b1234567", "An", "1990-01-02")[0] is not None  # a passport


def test_the_identity_number_is_masked_to_its_last_three() -> None:
    assert mask_person_id("001090012345") == "•••••••••345"
    assert mask_person_id("B1234567") == "•••••567"
    assert "0010900" not in mask_person_id("001090012345")


def test_a_booster_is_counted_in_the_history_and_named() -> None:
    from callbacks.portal.certificate_view import dose_heading
    from data.portal.certificate_lookup import Dose

    booster = Dose("AZ", "AstraZeneca", dt.date(2021, 12, 9), 1, "BOOSTER", "Trạm Y tế")
    first = Dose("VRC", "Vero Cell", dt.date(2021, 8, 20), 1, "PRIMARY", "Trạm Y tế")
    assert dose_heading(3, booster, "vi") == "Mũi 3 · 09/12/2021 · Nhắc lại"
    assert dose_heading(3, booster, "en") == "Dose 3 · 9 Dec 2021 · Booster"
    assert dose_heading(1, first, "en") == "Dose 1 · 20 Aug 2021"
