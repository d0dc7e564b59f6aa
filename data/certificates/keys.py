"""Document-signer keys on disk, outside the database and the repository (settings
`certificate_key_dir`, env VX_CERT_KEY_DIR): one folder per key, `key.pem` (private, mode 0600)
and `cert.pem` (the self-signed public certificate), plus `ACTIVE` naming the signer in use.
A new key becomes the signer; the old certificates stay, so what they signed still verifies."""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, ObjectIdentifier

from data.certificates.trust import TrustList, kid_of, trust_list_of

ACTIVE = "ACTIVE"
# The DCC extended key usage "may sign vaccination certificates" (hcert spec 2.6.5).
EKU_VACCINATION = ObjectIdentifier("1.3.6.1.4.1.1847.2021.1.2")
# A signer outlives the certificates it signs (12 months each, Decision 5772/QĐ-BYT).
SIGNER_VALIDITY = dt.timedelta(days=2 * 366)


class NoSigningKey(RuntimeError):
    """No active key: run `python -m etl certificate-keys create`."""


@dataclass(frozen=True)
class Signer:
    """The active document signer: its key, certificate and kid."""

    kid: bytes
    private_key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate


def _self_signed(key: ec.EllipticCurvePrivateKey, now: dt.datetime) -> x509.Certificate:
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Ministry of Health of Viet Nam"),
        x509.NameAttribute(NameOID.COMMON_NAME,
                           f"VN DCC document signer {now:%Y-%m-%d %H%M%S}"),
    ])
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + SIGNER_VALIDITY)
            .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False,
                                         False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([EKU_VACCINATION]), critical=False)
            .sign(key, hashes.SHA256()))


class KeyStore:
    """The key folder. Reading certificates needs only `cert.pem` files (the web server's
    trust list); signing needs the active `key.pem`."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    def create(self, now: dt.datetime | None = None) -> Signer:
        """A new EC P-256 key and its certificate, made the active signer."""
        now = now or dt.datetime.now(dt.UTC)
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _self_signed(key, now)
        kid = kid_of(cert)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Microseconds: folders sort oldest first even when two keys are made in one second
        # (a rotation right after a creation); an older folder's name without them sorts
        # before any newer one of the same second.
        folder = self.directory / f"{now:%Y%m%dT%H%M%S%f}-{kid.hex()}"
        folder.mkdir(mode=0o700)
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        fd = os.open(folder / "key.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
        (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        # Written then renamed: a reader never sees a half-written ACTIVE.
        tmp = self.directory / f".{ACTIVE}.{os.getpid()}"
        tmp.write_text(folder.name + "\n", encoding="utf-8")
        tmp.replace(self.directory / ACTIVE)
        return Signer(kid, key, cert)

    def _folders(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(p for p in self.directory.iterdir()
                      if p.is_dir() and (p / "cert.pem").is_file())

    def certificates(self) -> list[x509.Certificate]:
        """Every signer's public certificate, oldest first."""
        return [x509.load_pem_x509_certificate((p / "cert.pem").read_bytes())
                for p in self._folders()]

    def trust_list(self) -> TrustList:
        return trust_list_of(self.certificates())

    def active_kid(self) -> bytes | None:
        """The active signer's kid without reading its private key (None: no key yet)."""
        folder = self._active_folder()
        return None if folder is None else bytes.fromhex(folder.name.rsplit("-", 1)[1])

    def _active_folder(self) -> Path | None:
        marker = self.directory / ACTIVE
        if not marker.is_file():
            return None
        folder = self.directory / marker.read_text(encoding="utf-8").strip()
        return folder if (folder / "key.pem").is_file() else None

    def active_signer(self) -> Signer:
        """The signer new certificates are signed with, or NoSigningKey."""
        folder = self._active_folder()
        if folder is None:
            raise NoSigningKey(f"no active certificate key in {self.directory}")
        key_file = folder / "key.pem"
        # The ACTIVE marker is read at every call, so a rotation is seen at once; the
        # parsed key only while its file is unchanged (parsing both PEMs at every look-up
        # cost more than the signature).
        return _signer(key_file, key_file.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _signer(key_file: Path, _mtime_ns: int) -> Signer:
    key = serialization.load_pem_private_key(key_file.read_bytes(), None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise NoSigningKey(f"{key_file} is not an EC key")
    cert = x509.load_pem_x509_certificate((key_file.parent / "cert.pem").read_bytes())
    return Signer(kid_of(cert), key, cert)

