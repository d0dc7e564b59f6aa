"""The key folder lists its signers oldest first, also when a rotation follows a creation
within the same second (the trust list and `certificate-keys list` read that order)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from data.certificates.keys import KeyStore, kid_of

NOON = dt.datetime(2026, 12, 5, 12, 0, 0, tzinfo=dt.UTC)


def test_keys_made_in_one_second_stay_in_order(tmp_path: Path) -> None:
    for run in range(8):  # the kids are random: a wrong order would show in some runs
        store = KeyStore(tmp_path / str(run))
        made = [store.create(NOON + dt.timedelta(microseconds=us)).kid for us in (1, 2, 3)]
        assert [kid_of(c) for c in store.certificates()] == made
        assert store.active_kid() == made[-1]


def test_an_older_folder_name_without_microseconds_sorts_first(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    old = store.create(NOON)
    folder = next(p for p in tmp_path.iterdir() if p.is_dir())
    folder.rename(tmp_path / f"{NOON:%Y%m%dT%H%M%S}-{old.kid.hex()}")  # the earlier format
    new = store.create(NOON)
    assert [kid_of(c) for c in store.certificates()] == [old.kid, new.kid]
