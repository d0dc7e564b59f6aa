"""Every code an operations command can refuse with has a message in Vietnamese and English:
the API words each problem by its code (callbacks.api.errors.problem_item). The codes are read
from the command modules' source, so a new refusal without a text fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from callbacks.api import observation, operations, vaccination
from callbacks.shared.i18n import t
from data.interchange.messages import MESSAGES

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = sorted((ROOT / "data/ops/commands").glob("*.py"))
# The rule modules whose RuleErrors the commands pass on as problems (from_rule).
RULES = [ROOT / "data/cccd.py", ROOT / "data/ops/rules/screening.py",
         ROOT / "data/ops/rules/vials.py"]


def _strings(node: ast.AST, names: dict[str, str]) -> set[str]:
    """The codes an argument can be: a string, a module constant, either arm of a
    conditional (never the condition's own strings)."""
    if isinstance(node, ast.IfExp):
        return _strings(node.body, names) | _strings(node.orelse, names)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Name) and node.id in names:
        return {names[node.id]}
    return set()


def _codes(path: Path, callee: set[str], position: int) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
             and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)
             for t in n.targets if isinstance(t, ast.Name)}
    codes: set[str] = set()
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call) or len(call.args) <= position:
            continue
        name = ast.unparse(call.func)
        if name in callee:
            codes |= _strings(call.args[position], names)
    return codes


def command_codes() -> set[str]:
    """Every code a command raises itself, and every rule code it passes on."""
    codes: set[str] = set()
    for path in COMMANDS:
        codes |= _codes(path, {"Problem", "OpsError.one"}, 1)
    for path in RULES:
        codes |= _codes(path, {"RuleError", "Mismatch"}, 0)
    return codes


def test_the_codes_are_found() -> None:
    # The collector itself: known refusals of each command module are among what it reads.
    codes = command_codes()
    assert {"session.full", "session.closed", "booking.duplicate", "cccd.year_mismatch",
            "screening.reason_required", "person.phone", "checkin.unknown",
            "dose.already_recorded", "bad_char", "cccd.length", "screening.item_missing"} <= codes
    assert len(codes) >= 45


@pytest.mark.parametrize("code", sorted(command_codes()))
def test_every_command_code_has_a_vietnamese_and_an_english_text(code: str) -> None:
    if code in MESSAGES:  # a reject reason: record_injection words it itself, as a report does
        assert MESSAGES[code]["vi"] and MESSAGES[code]["en"]
        return
    vi, en = t(code, "vi"), t(code, "en")
    assert vi != code, f"{code} has no Vietnamese text"
    assert en != code and en != vi, f"{code} has no English text"


def test_the_api_marks_every_code_it_words_from_the_catalogs() -> None:
    # What the catalogs' extraction sees (vaccination.OPS_CODES, operations.IDENTITY_CODES,
    # observation.OBSERVATION_CODES) covers every code a command raises that is not a reject
    # reason.
    marked = (set(vaccination.OPS_CODES) | set(operations.IDENTITY_CODES)
              | set(observation.OBSERVATION_CODES))
    assert command_codes() - set(MESSAGES) <= marked
