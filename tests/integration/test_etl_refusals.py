"""Files the loader cannot read at all: one sentence in the reject language, exit code 2, a
one-row reject report with the line, and nothing loaded (issue 10, defect 7)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from sqlalchemy import Engine

from data.interchange.messages import message
from data.settings import Settings
from etl.__main__ import load_files, main
from etl.pipeline import default_reject_path, load_file
from tests.factories import FACILITY, injection, read_rejects, scalar, write_csv, write_jsonl
from tests.malformed_files import EVERY, LEGACY_NAME, database_state, run_load, windows_1258


@pytest.fixture(autouse=True)
def registered(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    """The facility every injection row names, and one dose already loaded."""
    assert load_file(settings, engine, "facilities",
                     write_csv(tmp_path / "f.csv", [FACILITY])).loaded == 1
    assert load_file(settings, engine, "injections",
                     write_csv(tmp_path / "i.csv", [injection("R0")])).loaded == 1


@pytest.mark.parametrize("case", sorted(EVERY))
def test_a_malformed_file_is_refused_in_one_sentence(
    settings: Settings, engine: Engine, tmp_path: Path, case: str,
) -> None:
    bad = EVERY[case](tmp_path)
    before = database_state(engine)
    for lang in ("vi", "en"):
        code, out, err = run_load(settings, engine, bad.path, lang)
        want = message(bad.key, lang, line=bad.line, **(bad.values or {}))
        assert (code, out, err) == (2, "", f"injections {bad.path.name}: {want}\n")
        assert want.count(". ") == 0 and want.endswith(".")  # one sentence
        if bad.key == "file_duplicate_column":  # line 1, named as the header
            assert ("dòng tiêu đề" if lang == "vi" else "the header") in want
        elif bad.line is not None:
            assert want.startswith((f"Dòng {bad.line} ", f"Dòng {bad.line},") if lang == "vi"
                                   else (f"Line {bad.line} ", f"Line {bad.line},"))
        assert [dict(r) for r in read_rejects(default_reject_path(bad.path))] == [
            {"line": str(bad.line or 1), "field": "*", "value": "", "reason": want}]
        assert database_state(engine) == before


def test_encoding_message_names_the_option(settings: Settings, engine: Engine,
                                           tmp_path: Path) -> None:
    bad = windows_1258(tmp_path)
    _, _, err = run_load(settings, engine, bad.path, "en")
    assert f"Line {bad.line}, byte {bad.values['column']} (0x{bad.values['byte']})" in err
    assert "--encoding windows-1258" in err and "TCVN3 is not supported" in err


def test_legacy_vietnamese_encoding_loads_with_the_option(
    settings: Settings, engine: Engine, tmp_path: Path,
) -> None:
    bad = windows_1258(tmp_path)
    code, out, err = run_load(settings, engine, bad.path, encoding="windows-1258")
    assert (code, err) == (0, "") and "loaded 2" in out
    # Windows-1258 writes tones as combining marks; stored text is NFC, as from UTF-8 files.
    assert scalar(engine, "SELECT full_name FROM injection WHERE record_id = 'R2'") == LEGACY_NAME


def test_a_byte_the_chosen_encoding_lacks_is_named(settings: Settings, engine: Engine,
                                                   tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    rows = [injection("R1"), injection("R2")]
    write_csv(path, rows)
    data = path.read_bytes()
    at = data.index(b"R2")
    path.write_bytes(data[:at] + b"\x8a" + data[at:])  # 0x8A has no character in Windows-1258
    before = database_state(engine)
    code, _, err = run_load(settings, engine, path, "en", encoding="windows-1258")
    assert code == 2 and "Line 3, byte 1 (0x8A) is not valid windows-1258" in err
    assert database_state(engine) == before


def test_unknown_encoding_is_refused_before_anything_runs(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    for name in ("tcvn3", "hex", "utf-16"):
        with pytest.raises(SystemExit) as exited:
            main(["load", "injections", str(tmp_path / "i.csv"), "--encoding", name])
        assert exited.value.code == 2
        assert "argument --encoding" in capsys.readouterr().err


def test_a_refused_file_does_not_stop_the_next(settings: Settings, engine: Engine,
                                               tmp_path: Path) -> None:
    empty = tmp_path / "a.jsonl"
    empty.write_bytes(b"")
    good = write_jsonl(tmp_path / "b.jsonl", [injection("R5")])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = load_files(settings, engine, "injections", [empty, good], None, "en", None)
    assert code == 2
    assert err.getvalue() == f"injections a.jsonl: {message('file_empty', 'en')}\n"
    assert "loaded 1" in out.getvalue()
    assert scalar(engine, "SELECT COUNT(*) FROM injection") == 2


def test_json_escapes_no_database_can_store_reject_the_row(
    settings: Settings, engine: Engine, tmp_path: Path,
) -> None:
    path = tmp_path / "nul.jsonl"
    lines = [write_jsonl(tmp_path / "x.jsonl", [injection(r)]).read_text().strip()
             for r in ("R1", "R2", "R3")]
    lines[1] = lines[1].replace("Nguyễn Văn An", "Nguy\\u0000n")
    lines[2] = lines[2].replace("Nguyễn Văn An", "Nguy\\ud800n")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = load_file(settings, engine, "injections", path, lang="en")
    assert (result.loaded, result.rejected) == (1, 2)
    assert [(r["line"], r["reason"]) for r in read_rejects(result.reject_path)] == [
        ("2", message("bad_char", "en")), ("3", message("bad_char", "en"))]
