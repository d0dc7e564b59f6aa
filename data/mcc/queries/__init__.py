"""SQL of the command-center reads: each function runs one statement and returns a DataFrame.

The statement helpers live in data.rollup_queries, shared with the public portal."""

from __future__ import annotations

from data.rollup_queries import read, scalar

__all__ = ["read", "scalar"]
