"""`python -m etl certificate-keys {create|rotate|list|trust-list}` and
`python -m etl verify-certificates --trust FILE [--at TIME] < codes.txt`.

The verifier reads one HC1 text per line and writes one JSON object per line in the same
order ({"verified", "expired", "reason", "kid", "hcert"}); a malformed line gets its reason,
never a crash. Neither command needs the database."""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import TextIO

from data.certificates.keys import KeyStore
from data.certificates.trust import TrustList, parse_trust_list
from data.certificates.verify import verify_hc1
from data.settings import load_settings


def parse_instant(value: str) -> dt.datetime:
    """An ISO 8601 time (2021-06-01T00:00:00Z) or day (2021-06-01, midnight); UTC when no
    offset is given. ValueError otherwise."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    when = dt.datetime.fromisoformat(text)
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when


def keys_command(action: str, directory: Path) -> int:
    """create/rotate: a new active signer; list: the signers; trust-list: the JSON."""
    store = KeyStore(directory)
    if action in ("create", "rotate"):
        before = store.active_kid()
        signer = store.create()
        kid = base64.b64encode(signer.kid).decode("ascii")
        was = f" (was {base64.b64encode(before).decode('ascii')})" if before else ""
        print(f"active certificate signer: kid {kid}{was}, valid until "
              f"{signer.certificate.not_valid_after_utc:%Y-%m-%d}; key in {directory}")
        return 0
    trust = store.trust_list()
    if action == "trust-list":
        print(json.dumps(trust.to_json(), indent=2))
        return 0
    active = store.active_kid()
    if not trust.entries:
        print(f"no certificate keys in {directory}", file=sys.stderr)
        return 1
    for e in trust.entries:
        mark = "*" if e.kid == active else " "
        cert = e.certificate
        if cert is None:
            continue  # our own folder holds only whole certificates
        print(f"{mark} {base64.b64encode(e.kid).decode('ascii')}  "
              f"{cert.not_valid_before_utc:%Y-%m-%d} .. {cert.not_valid_after_utc:%Y-%m-%d}  "
              f"{cert.subject.rfc4514_string()}")
    return 0


def load_trust(path: Path) -> TrustList:
    """The trust list file (ValueError / OSError with a readable message); an entry that
    cannot be read is named on stderr and left out."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not JSON ({exc.msg}, line {exc.lineno})") from None
    problems: list[str] = []
    trust = parse_trust_list(doc, problems)
    for problem in problems:
        print(f"--trust: {problem} (left out)", file=sys.stderr)
    return trust


def verify_lines(lines: TextIO, out: TextIO, trust: TrustList, at: dt.datetime) -> int:
    """One JSON line out per line in; returns how many lines were read."""
    n = 0
    for line in lines:
        n += 1
        res = verify_hc1(line.rstrip("\r\n"), trust, at)
        out.write(json.dumps(res.to_json(), ensure_ascii=False) + "\n")
    out.flush()
    return n


def verify_command(trust_path: Path, at: str | None) -> int:
    """The `verify-certificates` command on stdin/stdout; 2 when the trust list or the clock
    cannot be read (nothing is verified then)."""
    try:
        trust = load_trust(trust_path)
    except (OSError, ValueError) as exc:
        print(f"--trust: {exc}", file=sys.stderr)
        return 2
    try:
        clock = parse_instant(at) if at else dt.datetime.now(dt.UTC)
    except ValueError:
        print(f"--at: not a time: {at!r} (e.g. 2021-06-01T00:00:00Z)", file=sys.stderr)
        return 2
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8")
    if not isinstance(sys.stdin, io.TextIOWrapper):  # a caller's stream (tests, embedding)
        verify_lines(sys.stdin, sys.stdout, trust, clock)
        return 0
    # Codes are ASCII; a stray byte in the input must not stop the run.
    with open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False) as stdin:
        verify_lines(stdin, sys.stdout, trust, clock)
    return 0


def add_certificate_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The two commands' arguments, on `python -m etl`'s subcommands."""
    keys = sub.add_parser("certificate-keys", help="document-signer keys of the COVID "
                                                   "certificates (kept outside the database)")
    keys.add_argument("action", choices=["create", "rotate", "list", "trust-list"],
                      help="create/rotate: a new key becomes the signer (old certificates "
                           "stay verifiable); list; trust-list: the public JSON")
    keys.add_argument("--dir", type=Path, metavar="PATH",
                      help="key folder (default: settings certificate_key_dir, "
                           "env VX_CERT_KEY_DIR)")
    verify = sub.add_parser("verify-certificates",
                            help="verify HC1 codes read one per line from stdin; one JSON "
                                 "line out per line in")
    verify.add_argument("--trust", type=Path, required=True, metavar="FILE",
                        help='trust list JSON: {"certificates": [{"kid", "rawData"}]}')
    verify.add_argument("--at", metavar="TIME",
                        help="validation clock, e.g. 2021-06-01T00:00:00Z (default: now)")


def certificates_main(argv: list[str]) -> int:
    """`python -m etl certificate-keys ...` / `verify-certificates ...`, parsed without the
    loading machinery (etl/__main__.py dispatches here first)."""
    parser = argparse.ArgumentParser(prog="python -m etl")
    add_certificate_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    if args.command == "verify-certificates":
        return verify_command(args.trust, args.at)
    return keys_command(args.action, args.dir or Path(load_settings().certificate_key_dir))
