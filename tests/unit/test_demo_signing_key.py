"""`etl demo` leaves a signing key for the demo's certificates, once, and keeps an existing
one (a rotated production key folder is never touched)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from data.certificates.keys import KeyStore
from data.settings import load_settings
from etl.demo_cli import demo_signing_key


def test_a_key_is_made_once_and_kept(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    settings = dataclasses.replace(load_settings(), certificate_key_dir=str(tmp_path / "k"))
    demo_signing_key(settings)
    store = KeyStore(settings.certificate_key_dir)
    first = store.active_kid()
    assert first is not None
    assert "certificate signing key created" in capsys.readouterr().out
    demo_signing_key(settings)
    assert store.active_kid() == first
    assert len(store.certificates()) == 1
    assert capsys.readouterr().out == ""
