"""Compute the next item in a worker thread while the caller uses the current one."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def ahead(fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
    """fn(item) for each item, in order, one item ahead of the caller.

    While the caller writes one part to the database (which releases the GIL while the
    server works), the next part is validated: the two sides overlap on two cores. An
    exception in fn is raised to the caller at that item.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="etl-ahead") as pool:
        pending: Future[R] | None = None
        for item in items:
            nxt = pool.submit(fn, item)
            if pending is not None:
                yield pending.result()
            pending = nxt
        if pending is not None:
            yield pending.result()
