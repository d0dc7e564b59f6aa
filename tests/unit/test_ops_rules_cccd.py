"""Identity numbers at check-in: CCCD decoding and its cross-check, CMND and passport shapes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from data.admin_units import provinces
from data.cccd import (
    Cccd,
    Mismatch,
    check_cccd,
    check_cmnd,
    check_passport,
    decode_cccd,
)
from data.ops.rules.errors import RuleError


def _code(call: Callable[[], object]) -> str:
    with pytest.raises(RuleError) as err:
        call()
    return err.value.code


def test_a_hanoi_man_born_1990() -> None:
    assert decode_cccd("001090012345") == Cccd("001090012345", "01", "M", 1990)


def test_a_ho_chi_minh_city_woman_born_2005_and_surrounding_spaces() -> None:
    assert decode_cccd(" 079305000001 ") == Cccd("079305000001", "79", "F", 2005)


@pytest.mark.parametrize(("digit", "sex", "year"), [
    ("0", "M", 1987), ("1", "F", 1987), ("2", "M", 2087), ("3", "F", 2087),
    ("4", "M", 2187), ("5", "F", 2187), ("6", "M", 2287), ("7", "F", 2287),
    ("8", "M", 2387), ("9", "F", 2387),
])
def test_the_century_and_sex_digit(digit: str, sex: str, year: int) -> None:
    card = decode_cccd(f"048{digit}87654321")
    assert (card.province_code, card.sex, card.birth_year) == ("48", sex, year)


def test_every_province_of_the_project_list_decodes() -> None:
    codes = sorted(provinces())
    assert len(codes) == 63
    assert [decode_cccd(f"0{c}195000001").province_code for c in codes] == codes


@pytest.mark.parametrize(("number", "code"), [
    ("00109001234", "cccd.length"),        # 11 digits
    ("0010900123456", "cccd.length"),      # 13 digits
    ("", "cccd.length"),
    ("00109001234A", "cccd.digits"),
    ("００１０９００１２３４５", "cccd.digits"),  # full-width digits are not 0-9
    ("001-90012345", "cccd.digits"),
    ("101090012345", "cccd.province"),     # PPP must start with 0
    ("003090012345", "cccd.province"),     # 03 is no GSO province code (01, 02, 04, ...)
    ("099090012345", "cccd.province"),
    ("000090012345", "cccd.province"),
])
def test_a_malformed_cccd_names_the_part_that_is_wrong(number: str, code: str) -> None:
    assert _code(lambda: decode_cccd(number)) == code


def test_with_a_date_a_century_not_yet_begun_is_refused() -> None:
    assert _code(lambda: decode_cccd("001490012345", as_of=date(2026, 1, 1))) == "cccd.century"
    assert decode_cccd("001490012345").birth_year == 2190  # no date: the shape alone


def test_with_a_date_a_later_birth_year_is_refused_and_this_year_is_not() -> None:
    assert _code(lambda: decode_cccd("001227012345", as_of=date(2026, 12, 31))) == "cccd.year"
    assert decode_cccd("001226012345", as_of=date(2026, 1, 1)).birth_year == 2026


def test_check_cccd_finds_nothing_when_the_form_agrees() -> None:
    assert check_cccd("001090012345", date(1990, 7, 1), "M") == []
    assert check_cccd("079305000001", date(2005, 1, 31), "Nữ") == []
    assert check_cccd("079305000001", date(2005, 1, 31), "f") == []


def test_check_cccd_reports_the_year_and_the_sex_that_disagree() -> None:
    assert check_cccd("001090012345", date(1991, 1, 1), "M") == [
        Mismatch("cccd.year_mismatch", "1990", "1991")]
    assert check_cccd("001090012345", date(1990, 1, 1), "Nữ") == [
        Mismatch("cccd.sex_mismatch", "M", "F")]
    assert [m.code for m in check_cccd("001190012345", date(2090, 1, 1), "Nam")] == [
        "cccd.year_mismatch", "cccd.sex_mismatch"]


def test_check_cccd_refuses_a_malformed_number_and_an_unknown_sex() -> None:
    assert _code(lambda: check_cccd("00109001234", date(1990, 1, 1), "M")) == "cccd.length"
    assert _code(lambda: check_cccd("001090012345", date(1990, 1, 1), "X")) == "person.sex"


def test_cmnd_of_nine_digits_and_twelve_digits_with_the_cccd_shape() -> None:
    assert check_cmnd(" 012345678 ") == "012345678"
    assert check_cmnd("001090012345") == "001090012345"


@pytest.mark.parametrize(("number", "code"), [
    ("01234567", "cmnd.length"), ("0123456789", "cmnd.length"), ("01234567A", "cmnd.digits"),
    ("", "cmnd.digits"), ("003090012345", "cccd.province"),
])
def test_cmnd_shapes_refused(number: str, code: str) -> None:
    assert _code(lambda: check_cmnd(number)) == code


@pytest.mark.parametrize(("number", "cleaned"), [
    ("C1234567", "C1234567"), ("c1234567", "C1234567"), (" 123456 ", "123456"),
    ("AB1234567", "AB1234567"),
])
def test_passport_shapes_accepted(number: str, cleaned: str) -> None:
    assert check_passport(number) == cleaned


@pytest.mark.parametrize("number", ["ABCDEFGH", "C1234", "C123456789", "C12-34567", "", "Ç1234567"])
def test_passport_shapes_refused(number: str) -> None:
    assert _code(lambda: check_passport(number)) == "passport.shape"
