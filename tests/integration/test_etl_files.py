"""The file rules of the interchange spec: encodings, containers, headers, line numbers,
all-or-nothing per row, idempotent re-runs and corrections."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from data.interchange.messages import MESSAGES
from data.settings import Settings
from etl.pipeline import load_file
from tests.factories import (
    FACILITY,
    injection,
    read_rejects,
    rollup_totals,
    scalar,
    write_csv,
    write_jsonl,
    write_xlsx,
    write_xlsx_cells,
)


@pytest.fixture(autouse=True)
def registered(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """The facility every injection row names."""
    assert load_file(settings, engine, "facilities",
                     write_csv(tmp_path / "f.csv", [FACILITY])).loaded == 1


def _ids(engine: Engine, table: str = "injection") -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(text(f"SELECT record_id FROM {table}")).scalars())


def _version(engine: Engine) -> int:
    return int(scalar(engine, "SELECT version FROM meta_data_version WHERE id = 1"))


def _report(path: Path | None) -> list[tuple[str, str]]:
    return [(r["line"], r["field"]) for r in read_rejects(path)]


# -- encodings and headers ---------------------------------------------------------------------

def test_csv_with_bom_and_loose_header(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    rows = [injection("R1"), injection("R2", sex="X")]
    header = [f" {name.title()} " if i % 2 else name.upper() for i, name in enumerate(rows[0])]
    assert header[0] == "RECORD_ID" and header[1] == " Status "
    lines = [",".join(header)] + [",".join(r.values()) for r in rows]
    path = tmp_path / "bom.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = load_file(settings, engine, "injections", path)
    assert (result.read, result.loaded, result.rejected) == (2, 1, 1)
    assert _report(result.reject_path) == [("3", "sex")]
    assert _ids(engine) == ["R1"]


def test_bom_on_first_header_of_jsonl(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "i.jsonl", [
        {f" {k.upper()} ": v for k, v in injection("R1").items()}])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = load_file(settings, engine, "injections", path)
    assert (result.loaded, result.rejected) == (1, 0)


def test_nfd_input_is_stored_nfc(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    name = "Nguyễn Thị Hằng"
    nfd = unicodedata.normalize("NFD", name)
    assert nfd != name
    rows = [injection("R1", full_name=nfd, vaccinator=unicodedata.normalize("NFD", "Trần Ước"),
                      lot_number=unicodedata.normalize("NFD", "Lô-ĐẶC-1"))]
    assert load_file(settings, engine, "injections", write_csv(tmp_path / "i.csv", rows)).loaded
    with engine.connect() as conn:
        got = conn.execute(text(
            "SELECT full_name, vaccinator, lot_number FROM injection")).one()
    assert tuple(got) == (name, "Trần Ước", "Lô-ĐẶC-1")
    assert scalar(engine, "SELECT lot_number FROM fct_injection") == "Lô-ĐẶC-1"
    # The same name in NFC later is the same content: not a correction.
    again = load_file(settings, engine, "injections", write_csv(tmp_path / "nfc.csv", [
        injection("R1", full_name=name, vaccinator="Trần Ước", lot_number="Lô-ĐẶC-1")]))
    assert (again.loaded, again.updated, again.unchanged) == (0, 0, 1)


# -- JSON Lines --------------------------------------------------------------------------------

def test_jsonl_malformed_line_rejected_others_load(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    typed = injection("R3") | {"province_code": 1, "district_code": 1, "ward_code": 1,
                               "dose_number": 1, "priority_group": None, "phone": None}
    path = write_jsonl(tmp_path / "i.jsonl", [injection("R1")])
    with path.open("a", encoding="utf-8") as fh:
        fh.write('{"record_id": "R2", "full_name": "Lê Văn B",\n')     # line 2: truncated
        fh.write("\n")                                                  # line 3: blank
        fh.write(write_jsonl(tmp_path / "t.jsonl", [typed]).read_text(encoding="utf-8"))
        fh.write('["R4", "not an object"]\n')                           # line 5
        fh.write(write_jsonl(tmp_path / "b.jsonl", [injection("R6", sex="X")]).read_text(
            encoding="utf-8"))                                          # line 6: bad sex
        fh.write(write_jsonl(tmp_path / "o.jsonl", [injection("R7")]).read_text(
            encoding="utf-8"))
    result = load_file(settings, engine, "injections", path)
    assert (result.read, result.loaded, result.rejected) == (6, 3, 3)
    report = read_rejects(result.reject_path)
    assert [(r["line"], r["field"]) for r in report] == [("2", "*"), ("5", "*"), ("6", "sex")]
    assert report[0]["reason"].startswith(MESSAGES["bad_json"]["vi"].split("(")[0])
    assert _ids(engine) == ["R1", "R3", "R7"]
    with engine.connect() as conn:
        got = conn.execute(text("SELECT province_code, district_code, ward_code, dose_number, "
                                "priority_group, phone FROM injection WHERE record_id = 'R3'"))
        assert tuple(got.one()) == ("01", "001", "00001", 1, 0, None)


# -- XLSX --------------------------------------------------------------------------------------

def test_xlsx_first_sheet_numeric_and_date_cells(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    header = list(injection("X"))
    rows: list[list[object]] = []
    for rid, sex, at in (("R1", "Nữ", dt.datetime(2021, 8, 1, 23, 30)),
                         ("R2", "X", dt.datetime(2021, 8, 2, 8, 0)),
                         ("R3", "M", "2021-08-02T23:30:00+00:00")):
        row: dict[str, object] = injection(rid, sex=sex)
        # What Excel keeps: numbers without leading zeros, true date and date-time cells.
        row |= {"province_code": 1, "district_code": 1, "ward_code": 1, "dose_number": 1,
                "priority_group": 7, "birth_date": dt.date(1990, 1, 2), "administered_at": at,
                "phone": "0912345678", "vaccinator": None}
        rows.append(list(row.values()))
    rows.insert(2, [None] * len(header))  # an empty row between R2 and R3 keeps its number
    path = write_xlsx_cells(tmp_path / "i.xlsx", header, rows, extra_sheet=True)
    result = load_file(settings, engine, "injections", path)
    assert (result.read, result.loaded, result.rejected) == (3, 2, 1)
    assert _report(result.reject_path) == [("3", "sex")]
    assert _ids(engine) == ["R1", "R3"]
    with engine.connect() as conn:
        got = {r[0]: tuple(r[1:]) for r in conn.execute(text(
            "SELECT record_id, province_code, district_code, ward_code, sex, priority_group, "
            "birth_date FROM injection"))}
        keys = dict(conn.execute(text("SELECT record_id, date_key FROM fct_injection")).all())
    assert {k: (*v[:5], str(v[5])[:10]) for k, v in got.items()} == {
        "R1": ("01", "001", "00001", "F", 7, "1990-01-02"),
        "R3": ("01", "001", "00001", "M", 7, "1990-01-02")}
    # A date-time cell carries no offset: it is Hà Nội time.
    assert keys == {"R1": 20210801, "R3": 20210803}


def test_xlsx_text_cells(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    rows = [injection("R1"), injection("R2", birth_date="02/01/1990", province_code="1")]
    result = load_file(settings, engine, "injections", write_xlsx(tmp_path / "i.xlsx", rows))
    assert (result.read, result.loaded, result.rejected) == (2, 2, 0)


# -- unreadable rows and missing columns -------------------------------------------------------

def test_csv_row_with_too_many_columns(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "i.csv", [injection("R1"), injection("R2"), injection("R3")])
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] += ",extra"                 # line 3
    lines.append(",".join(injection("R4", sex="X").values()))  # line 5, a normal reject
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = load_file(settings, engine, "injections", path)
    assert (result.read, result.loaded, result.rejected) == (4, 2, 2)
    report = read_rejects(result.reject_path)
    assert [(r["line"], r["field"]) for r in report] == [("3", "*"), ("5", "sex")]
    assert report[0]["reason"] == MESSAGES["bad_row"]["vi"].format(actual=20, expected=19)
    assert _ids(engine) == ["R1", "R3"]


def test_csv_blank_line_keeps_line_numbers(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    """A clerk's editor counts blank lines: the bad row after one is still on line 4."""
    path = write_csv(tmp_path / "i.csv", [injection("R1"), injection("R2", sex="X")])
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "")                  # line 3 blank; R2 moves to line 4
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = load_file(settings, engine, "injections", path)
    assert (result.loaded, result.rejected) == (1, 1)
    assert _report(result.reject_path) == [("4", "sex")]


def test_csv_quoted_newline_keeps_line_numbers(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    """A quoted cell spanning two lines (Alt+Enter in Excel) pushes the next row to line 4."""
    rows = [injection("R1", vaccinator="Nguyễn Thị B\nTổ 3"), injection("R2", sex="X")]
    path = write_csv(tmp_path / "i.csv", rows)
    assert len(path.read_text(encoding="utf-8").splitlines()) == 4
    result = load_file(settings, engine, "injections", path)
    assert (result.loaded, result.rejected) == (1, 1)
    assert _report(result.reject_path) == [("4", "sex")]


def test_missing_required_column_rejects_every_row(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    rows = [{k: v for k, v in injection(f"R{i}").items() if k != "vaccine_code"}
            for i in range(3)]
    result = load_file(settings, engine, "injections", write_csv(tmp_path / "i.csv", rows),
                       lang="en")
    assert (result.read, result.loaded, result.updated, result.rejected) == (3, 0, 0, 3)
    report = read_rejects(result.reject_path)
    assert [(r["line"], r["field"]) for r in report] == [("1", "vaccine_code")]
    assert report[0]["reason"] == MESSAGES["missing_column"]["en"].format(column="vaccine_code")
    assert _ids(engine) == []
    assert set(rollup_totals(engine).values()) == {0}
    assert _version(engine) == 2  # only the facilities load bumped it


# -- duplicates, re-runs and corrections -------------------------------------------------------

def test_duplicate_ids_in_one_file_last_wins(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    rows = [injection("R1", vaccine_code="AZ"), injection("R2"),
            injection("R1", vaccine_code="PFZ", administered_at="2021-08-03T09:00:00+07:00")]
    result = load_file(settings, engine, "injections", write_csv(tmp_path / "i.csv", rows))
    assert (result.read, result.loaded, result.rejected) == (3, 2, 0)
    assert scalar(engine, "SELECT vaccine_code FROM injection WHERE record_id = 'R1'") == "PFZ"
    assert _ids(engine, "fct_injection") == ["R1", "R2"]
    assert set(rollup_totals(engine).values()) == {2}
    assert scalar(engine, "SELECT SUM(doses) FROM agg_doses_daily WHERE date_key = 20210803") == 1


def test_rerun_same_file_is_a_noop(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    rows = [injection("R1"), injection("R2", dose_number=2, administered_at="2021-10-01"),
            injection("R3", status="ENTERED_IN_ERROR"), injection("R4", sex="X")]
    path = write_csv(tmp_path / "i.csv", rows)
    first = load_file(settings, engine, "injections", path)
    assert (first.loaded, first.rejected) == (3, 1)
    version, totals = _version(engine), rollup_totals(engine)
    assert set(totals.values()) == {2}
    again = load_file(settings, engine, "injections", path)
    assert (again.read, again.loaded, again.updated, again.unchanged, again.rejected) == (
        4, 0, 0, 3, 1)
    assert _version(engine) == version
    assert rollup_totals(engine) == totals
    assert scalar(engine, "SELECT COUNT(*) FROM fct_injection") == 2
    assert scalar(engine, "SELECT COUNT(*) FROM etl_load WHERE kind = 'injections'") == 2


def test_rows_resent_in_another_file_are_unchanged(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    """Same id, same content is not a correction, whatever file or container carries it."""
    rows = [injection("R1"), injection("R2", ward_code="", phone="", vaccinator="Tổ 1")]
    load_file(settings, engine, "injections", write_csv(tmp_path / "a.csv", rows))
    version, totals = _version(engine), rollup_totals(engine)
    for path in (write_csv(tmp_path / "only-r2.csv", rows[1:]),
                 write_csv(tmp_path / "only-r1.csv", rows[:1]),
                 write_jsonl(tmp_path / "a.jsonl", rows),
                 write_xlsx(tmp_path / "a.xlsx", rows)):
        result = load_file(settings, engine, "injections", path)
        assert (result.loaded, result.updated) == (0, 0), path.name
    assert _version(engine) == version
    assert rollup_totals(engine) == totals


def test_correction_replaces_the_earlier_version_everywhere(
    settings: Settings, engine: Engine, tmp_path: Path
) -> None:
    load_file(settings, engine, "injections", write_csv(tmp_path / "a.csv", [
        injection("R1"), injection("R2")]))
    version = _version(engine)
    fixed = injection("R1", province_code="79", district_code="760", ward_code="26734",
                      vaccine_code="PFZ", dose_number=2, priority_group=1,
                      administered_at="2021-09-15T10:00:00+07:00")
    result = load_file(settings, engine, "injections", write_csv(tmp_path / "b.csv", [fixed]))
    assert (result.loaded, result.updated, result.unchanged) == (0, 1, 0)
    assert _version(engine) == version + 1
    assert _ids(engine) == ["R1", "R2"]
    with engine.connect() as conn:
        op = conn.execute(text("SELECT province_code, district_code, vaccine_code, dose_number, "
                               "priority_group FROM injection WHERE record_id = 'R1'")).one()
        fact = conn.execute(text("SELECT date_key, geo_key, vaccine_key, dose_key, group_key "
                                 "FROM fct_injection WHERE record_id = 'R1'")).one()

        def rollup(sql: str) -> list[tuple[object, ...]]:
            return [tuple(r) for r in conn.execute(text(sql + " AND doses <> 0 ORDER BY 1, 2"))]

        daily = rollup("SELECT date_key, vaccine_key, dose_key, doses FROM agg_doses_daily "
                       "WHERE 1=1")
        daily_prov = rollup("SELECT date_key, province_code, dose_key, doses "
                            "FROM agg_doses_daily_province WHERE 1=1")
        district = rollup("SELECT district_code, vaccine_key, dose_key, province_code, doses "
                          "FROM agg_doses_district WHERE 1=1")
        group = rollup("SELECT province_code, group_key, vaccine_key, dose_key, doses "
                       "FROM agg_doses_group WHERE 1=1")
    assert tuple(op) == ("79", "760", "PFZ", 2, 1)
    # group: priority 1, age band 3 (18-64), male -> 131
    assert tuple(fact) == (20210915, 26734, 4, 2, 131)
    assert daily == [(20210801, 1, 1, 1), (20210915, 4, 2, 1)]
    assert daily_prov == [(20210801, "01", 1, 1), (20210915, "79", 2, 1)]
    assert district == [("001", 1, 1, "01", 1), ("760", 4, 2, "79", 1)]
    assert group == [("01", 31, 1, 1, 1), ("79", 131, 4, 2, 1)]
    assert set(rollup_totals(engine).values()) == {2}


def test_stale_reject_report_is_removed(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "i.csv", [injection("R1"), injection("R2", sex="X")])
    first = load_file(settings, engine, "injections", path)
    assert first.reject_path == tmp_path / "i.csv.rejects.csv"
    assert first.reject_path.exists()
    write_csv(path, [injection("R1"), injection("R2", sex="F")])
    second = load_file(settings, engine, "injections", path)
    assert (second.loaded, second.rejected, second.reject_path) == (1, 0, None)
    assert not (tmp_path / "i.csv.rejects.csv").exists()
    assert _ids(engine) == ["R1", "R2"]
