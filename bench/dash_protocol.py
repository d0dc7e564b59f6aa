"""Dash's callback protocol as a benchmark client speaks it: dependency entries, layout walks,
one POST to /_dash-update-component."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import requests


def outputs_of(cb: dict[str, Any]) -> list[tuple[str, str]]:
    """(component id, property) of each output of a dependency entry."""
    spec = cb["output"]
    parts = spec.strip(".").split("...") if spec.startswith("..") else [spec]
    out = []
    for part in parts:
        cid, prop = part.rsplit(".", 1)  # a pattern-matching id is JSON with no dot in it
        out.append((cid, prop.split("@")[0]))
    return out


@dataclass(frozen=True)
class Matched:
    """What a pattern-matching (ALL) input, state or output stands for on the page: the
    components' dict ids, with their values (None for an output)."""

    found: Sequence[tuple[dict[str, Any], Any]]


def _entry(dep_id: str, prop: str, values: dict[tuple[str, str], Any]) -> Any:
    """One input or state as the renderer sends it; a pattern-matching one is the list of
    the components it matched, looked up under (its "type", prop) in `values`."""
    if not dep_id.startswith("{"):
        return {"id": dep_id, "property": prop, "value": values.get((dep_id, prop))}
    matched = values.get((json.loads(dep_id)["type"], prop), Matched(()))
    return [{"id": i, "property": prop, "value": v} for i, v in matched.found]


def _output(dep_id: str, prop: str, values: dict[tuple[str, str], Any]) -> Any:
    if not dep_id.startswith("{"):
        return {"id": dep_id, "property": prop}
    matched = values.get((json.loads(dep_id)["type"], prop), Matched(()))
    return [{"id": i, "property": prop} for i, _ in matched.found]


def is_server_plain(cb: dict[str, Any]) -> bool:
    """A server callback without pattern-matching ids (those are skipped and counted)."""
    if cb.get("clientside_function"):
        return False
    ids_ = [c for c, _ in outputs_of(cb)] + [i["id"] for i in cb["inputs"] + cb["state"]]
    return not any(isinstance(i, dict) or str(i).startswith("{") for i in ids_)


def walk(node: Any, values: dict[tuple[str, str], Any], present: set[str]) -> None:
    """Record every component id (and its props) of a serialised layout tree."""
    if isinstance(node, list):
        for n in node:
            walk(n, values, present)
        return
    if not isinstance(node, dict) or "props" not in node:
        return
    props = node["props"]
    cid = props.get("id")
    if isinstance(cid, str):
        present.add(cid)
        for k, v in props.items():
            values[(cid, k)] = v
        if node.get("type") == "Location":  # reports the browser's address on mount
            values.update({(cid, "pathname"): values.get(("", "path")), (cid, "search"): "",
                           (cid, "hash"): "", (cid, "href"): values.get(("", "href"))})
    for v in props.values():
        if isinstance(v, (dict, list)):
            walk(v, values, present)


def post(http: requests.Session, base: str, cb: dict[str, Any],
         values: dict[tuple[str, str], Any], changed: Sequence[str] = (),
         ) -> tuple[int, int, float, dict[str, Any]]:
    """Fire one callback as the renderer does: (status, response bytes, seconds, response).
    `changed`: the "id.property" that fired it (what dash.ctx.triggered_id reads)."""
    outs = [_output(c, p, values) for c, p in outputs_of(cb)]
    body = {"output": cb["output"], "outputs": outs if len(outs) > 1 else outs[0],
            "inputs": [_entry(i["id"], i["property"], values) for i in cb["inputs"]],
            "state": [_entry(s["id"], s["property"], values) for s in cb["state"]],
            "changedPropIds": list(changed)}
    t0 = time.perf_counter()
    r = http.post(base + "/_dash-update-component", json=body, timeout=30)
    secs = time.perf_counter() - t0
    data = r.json().get("response", {}) if r.status_code == 200 else {}
    return r.status_code, len(r.content), secs, data
