"""No secret or default password lives in the repository's product code or configuration."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("app.py", "config.yaml", "README.md", "pyproject.toml", "pages/", "callbacks/",
           "data/", "etl/", "assets/", ".ci/")
PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "AWS key": re.compile(r"AKIA[0-9A-Z]{16}"),
    "token-like assignment": re.compile(
        r"(?i)\b(secret_key|api_key|token|passwd|password)\s*[:=]\s*['\"][^'\"\s{}]{6,}['\"]"),
    "URL with credentials": re.compile(r"[a-z+]+://[^/\s:@]+:[^/\s@]{3,}@"),
}


def _tracked_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [ROOT / f for f in out.splitlines()
            if f.startswith(PRODUCT) and not f.endswith((".geojson", ".xlsx"))]


def test_scanner_catches_what_it_looks_for() -> None:
    assert PATTERNS["token-like assignment"].search('SECRET_KEY = "dev-secret-123"')
    assert PATTERNS["URL with credentials"].search("postgresql://app:hunter22@db/vx")
    assert not PATTERNS["URL with credentials"].search("postgresql://postgres@127.0.0.1/test")


def test_no_secrets_in_product_files() -> None:
    files = _tracked_files()
    assert len(files) > 40
    hits = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="ignore")
        hits += [f"{path.relative_to(ROOT)}: {name}" for name, rx in PATTERNS.items()
                 if rx.search(text)]
    assert hits == []
