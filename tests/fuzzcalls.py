"""Hostile requests for every server-side Dash callback, built from /_dash-dependencies.

A new callback is covered the day it is registered: nothing here names one. Each request puts
one hostile value into one input or state slot and plain values (None) everywhere else, the
way a forged client could; the test decides what the answer may be.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# Wrong types, depth, size, encodings, impossible dates, unknown codes, other provinces'
# codes and forged drill-down states. Nested lists stay under Python's recursion limit here:
# the body-size cap and parser limits are the gate's business, tested on their own.
HOSTILE: tuple[Any, ...] = (
    None, "", 0, 1, -1, 1.5, True, 10**40, "9" * 400, "x" * 20_000,
    [], {}, [1, "a", None], {"a": {"b": [1, 2]}}, [[[[[[[[[[[]]]]]]]]]]],
    "\x00", "\udcff", "²@x", "<b>x</b>", "' OR 1=1 --",
    "0001-01-01", "9999-12-31", "2021-02-30", "not-a-date",
    "00", "79", "760", "F3", "ZZZ",
    {"province": "79", "denied": False}, {"province": "79"}, {"points": [{"location": "79"}]},
    {"points": [{"customdata": ["79"], "location": 79}]}, {"points": "x"},
)
# Well-shaped values that reach the callbacks: other provinces' codes and forged drill-downs,
# for the scope checks of every role; Hà Nội's drill-down for those scoped inside it (a
# facility's staff must still get only their facility's rows there).
PROBES: tuple[Any, ...] = (
    None, "", 1, "00", "79", "760", "F3", "ZZZ", "0001-01-01", "2021-10-31",
    {"province": "79", "denied": False}, {"province": "01", "denied": False},
    {"points": [{"curveNumber": 0, "location": "79"}]},
)


@dataclass(frozen=True)
class Callback:
    """One server-side callback as dash-renderer knows it."""

    output: str
    outputs: list[Any]
    inputs: list[dict[str, Any]]
    state: list[dict[str, Any]]

    @property
    def slots(self) -> list[tuple[str, int]]:
        """Every (inputs|state, position) a value can be put in."""
        return ([("inputs", i) for i in range(len(self.inputs))]
                + [("state", i) for i in range(len(self.state))])


def _concrete(cid: str) -> Any:
    """A component id as sent: pattern-matching ids (JSON) get a concrete value for wildcards."""
    if not cid.startswith("{"):
        return cid
    spec = json.loads(cid)
    return {k: ("fuzz" if isinstance(v, list) else v) for k, v in spec.items()}


def _is_wildcard(cid: str) -> bool:
    return cid.startswith("{") and any(isinstance(v, list) for v in json.loads(cid).values())


def _outputs(output: str) -> list[Any]:
    parts = (output[2:-2].split("...") if output.startswith("..") else [output])
    outs: list[Any] = []
    for part in parts:
        cid, prop = part.rsplit(".", 1)
        spec = {"id": _concrete(cid), "property": prop}
        outs.append([spec] if _is_wildcard(cid) else spec)
    return outs


def callbacks(dependencies: list[dict[str, Any]]) -> list[Callback]:
    """The server-side callbacks of the app (clientside ones never reach the server)."""
    found = []
    for dep in dependencies:
        if dep.get("clientside_function"):
            continue
        found.append(Callback(dep["output"], _outputs(dep["output"]), dep["inputs"],
                              dep["state"]))
    return found


def _slot(item: dict[str, Any], value: Any) -> Any:
    spec = {"id": _concrete(item["id"]), "property": item["property"], "value": value}
    return [spec] if _is_wildcard(item["id"]) else spec


def body(cb: Callback, where: str | None = None, position: int = -1,
         value: Any = None) -> dict[str, Any]:
    """The request with `value` in one slot (every other slot None)."""
    def fill(kind: str, items: list[dict[str, Any]]) -> list[Any]:
        return [_slot(item, value if (kind == where and i == position) else None)
                for i, item in enumerate(items)]

    changed = []
    if where == "inputs":
        item = cb.inputs[position]
        changed = [f"{json.dumps(_concrete(item['id']), separators=(',', ':'), sort_keys=True)}"
                   f".{item['property']}" if item["id"].startswith("{")
                   else f"{item['id']}.{item['property']}"]
    return {"output": cb.output, "outputs": cb.outputs if len(cb.outputs) > 1 else cb.outputs[0],
            "inputs": fill("inputs", cb.inputs), "state": fill("state", cb.state),
            "changedPropIds": changed}


def hostile_bodies(cb: Callback, values: tuple[Any, ...] = HOSTILE
                   ) -> Iterator[tuple[str, dict[str, Any]]]:
    """(label, body) for every slot of `cb` times every value."""
    for where, position in cb.slots:
        item = (cb.inputs if where == "inputs" else cb.state)[position]
        for value in values:
            label = f"{cb.output[:60]} {where}[{position}]={item['id'][:40]}.{item['property']}"
            yield f"{label} <- {str(value)[:30]!r}", body(cb, where, position, value)
