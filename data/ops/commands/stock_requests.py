"""A client's request id on the stock ledger's commands: each command makes fresh ids for what
it writes, so a device that sends a receipt again after a lost answer would receive twice.
With a request id (made by the client when its form opens, like a dose's record_id), the
command keeps its answer beside the id in the transaction that writes; the same request again
gets that answer and writes nothing. The same id with other content, another action or from
another account is refused (stock.request_taken): it is not a retry.

The check runs under the load lock (data.bulk.serialize_loads), which every ledger command
holds from its reads to its commit: a retry sent while the first is still writing waits for
it and then finds its answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

from data.auth.roles import Principal
from data.command_errors import OpsError, Problem
from data.models.ops import VaxStockRequest
from data.ops.commands.common import now

REQUESTS = VaxStockRequest.__table__
MAX_REQUEST_ID = 64
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True)
class Earlier:
    """The answer a request got the first time."""

    result: Any


def request_problems(request_id: object) -> list[Problem]:
    """A request id, when given, is 1 to 64 characters without control characters."""
    if request_id is None:
        return []
    if not isinstance(request_id, str) or not 0 < len(request_id) <= MAX_REQUEST_ID \
            or _CONTROL.search(request_id) or request_id != request_id.strip():
        return [Problem("request_id", "stock.request_id", str(MAX_REQUEST_ID))]
    return []


def fingerprint(action: str, content: Mapping[str, object]) -> str:
    """A digest of what the request asks (moments in UTC, whole seconds, as stored)."""
    def plain(value: object) -> object:
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC).replace(microsecond=0).isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return value
    body = json.dumps({"action": action, **{k: plain(v) for k, v in content.items()}},
                      sort_keys=True, ensure_ascii=False, default=plain)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def answered(conn: Connection, principal: Principal, request_id: str | None, action: str,
             digest: str) -> Earlier | None:
    """The earlier answer when this request was made before, None when it is new (or has no
    id); OpsError when the id belongs to another request. Call it under the load lock."""
    if request_id is None:
        return None
    row = conn.execute(select(REQUESTS.c.action, REQUESTS.c.fingerprint,
                              REQUESTS.c.requested_by, REQUESTS.c.result)
                       .where(REQUESTS.c.request_id == request_id)).first()
    if row is None:
        return None
    if (row.action, row.fingerprint, row.requested_by) != (action, digest,
                                                           principal.username):
        raise OpsError.one("request_id", "stock.request_taken", request_id)
    return Earlier(json.loads(row.result))


def remember(conn: Connection, principal: Principal, request_id: str | None, action: str,
             digest: str, result: object) -> None:
    """Keep the answer of a request that has an id, in the transaction that wrote it."""
    if request_id is None:
        return
    conn.execute(insert(REQUESTS).values(
        request_id=request_id, action=action, fingerprint=digest,
        requested_by=principal.username, requested_at=now(), result=json.dumps(result)))
