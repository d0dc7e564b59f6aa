"""Which of a link's filter values a page cannot use, and why (issue 10, defect 8)."""

from __future__ import annotations

from callbacks.mcc.url_notice import notices
from callbacks.shared.urlstate import SHOWN_CHARS, asked, ignored
from tests.webcalls import text_of

VACCINES, PROVINCES = {"AZ", "PFZ"}, {"01", "79"}


def test_asked_keeps_the_page_s_filter_values_as_typed() -> None:
    query = {"as_of": "0001-01-05", "vaccine": "", "province": ["79", "01"], "wall": "1",
             "from": "x" * 100}
    assert asked(query, ("as_of", "vaccine", "province")) == {"as_of": "0001-01-05",
                                                              "province": "79,01"}
    cut = asked(query)["from"]
    assert len(cut) == SHOWN_CHARS and cut.endswith("…")


def test_ignored_names_each_value_with_its_reason() -> None:
    values = {"from": "2021-02-30", "as_of": "0001-01-05", "vaccine": "XYZ", "province": "99"}
    assert ignored(values, VACCINES, PROVINCES) == [
        ("from", "bad", "2021-02-30"), ("as_of", "range", "0001-01-05"),
        ("vaccine", "unknown", "XYZ"), ("province", "unknown", "99")]
    assert ignored({"vaccine": "az", "province": "079"}, VACCINES, PROVINCES) == [
        ("vaccine", "bad", "az"), ("province", "bad", "079")]


def test_good_values_are_not_ignored() -> None:
    values = {"from": "2021-08-01", "as_of": "2021-10-31", "vaccine": "AZ", "province": "79"}
    assert ignored(values, VACCINES, PROVINCES) == []
    assert ignored({}, VACCINES, PROVINCES) == []


def test_notices_quote_the_value_in_the_language_and_ignore_forged_stores() -> None:
    shown = text_of(notices({"as_of": "0001-01-05", "vaccine": "XYZ"}, "en", PROVINCES))
    assert "The date 0001-01-05 in the link is outside the campaign" in shown
    assert "no vaccine with code “XYZ”" in shown
    assert "Ngày 0001-01-05" in text_of(notices({"as_of": "0001-01-05"}, "vi", PROVINCES))
    for forged in (None, [], "0001-01-05", {"as_of": 5}, {"wall": "x"}, {"as_of": ""}):
        assert notices(forged, "vi", PROVINCES) is None
