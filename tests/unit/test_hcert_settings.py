"""Where the signing keys live: outside the repository's tracked files and the database."""

from __future__ import annotations

import subprocess
from pathlib import Path

from data.settings import PROJECT_ROOT, load_settings

DB = "sqlite:///:memory:"


def test_default_key_folder_is_git_ignored() -> None:
    folder = Path(load_settings(env={"DATABASE_URL": DB}).certificate_key_dir)
    assert folder == PROJECT_ROOT / "var" / "certificate-keys"
    probe = folder / "20210101T000000-0011223344556677" / "key.pem"
    ignored = subprocess.run(["git", "check-ignore", "-q", str(probe)], cwd=PROJECT_ROOT,
                             check=False)
    assert ignored.returncode == 0  # a key can never be committed by accident


def test_environment_and_relative_paths(tmp_path: Path) -> None:
    env = {"DATABASE_URL": DB, "VX_CERT_KEY_DIR": str(tmp_path / "keys")}
    assert load_settings(env=env).certificate_key_dir == str(tmp_path / "keys")
    relative = load_settings(env={"DATABASE_URL": DB, "VX_CERT_KEY_DIR": "secrets/dcc"})
    assert relative.certificate_key_dir == str(PROJECT_ROOT / "secrets" / "dcc")
