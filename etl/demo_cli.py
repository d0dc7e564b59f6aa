"""`python -m etl demo`: generate the synthetic campaign and load it through the real ETL."""

from __future__ import annotations

import base64
import sys
import time
from pathlib import Path

from sqlalchemy import Engine

from data.certificates.keys import KeyStore
from data.rollup_queries import has_injections
from data.settings import Settings
from etl.accounts_cli import create_demo_users
from etl.demo import generate_campaign
from etl.pipeline import load_file


def run_demo(settings: Settings, engine: Engine, scale: float, seed: int, out: Path,
             if_empty: bool) -> int:
    """Generate files under `out`, load them in dependency order; exit code 0 when clean."""
    demo_signing_key(settings)
    if if_empty:
        with engine.connect() as conn:
            if has_injections(conn):
                print("demo campaign already loaded; nothing to do")
                return 0
    t0 = time.perf_counter()
    files = generate_campaign(out, scale=scale, seed=seed)
    print(f"generated {len(files)} files in {time.perf_counter() - t0:.1f} s under {out}")
    rejected = read = 0
    for kind, path in files:
        res = load_file(settings, engine, kind, path, progress=sys.stderr.isatty())
        print(res.summary())
        rejected += res.rejected
        read += res.read
    print(f"demo campaign: {read:,} rows in {time.perf_counter() - t0:.1f} s, "
          f"{rejected:,} rejected")
    accounts = create_demo_users(engine)
    if accounts:
        print("demo accounts (passwords are shown only now; keep them):")
        for username, role, password in accounts:
            print(f"  {username:<10} {role:<17} {password}")
    return 1 if rejected else 0


def demo_signing_key(settings: Settings) -> None:
    """A document-signer key for the demo's certificates when the key folder has none, so the
    portal's look-up and the health book's certificate work on the first start. Production
    keys are made (and rotated) on purpose with `python -m etl certificate-keys create`."""
    store = KeyStore(settings.certificate_key_dir)
    if store.active_kid() is not None:
        return
    signer = store.create()
    print(f"certificate signing key created under {settings.certificate_key_dir} "
          f"(kid {base64.b64encode(signer.kid).decode('ascii')}; outside git)")
