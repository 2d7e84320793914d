"""The digital signature of an approved report (DESIGN.md §6 "Signed", issue 15.2): a PAdES signature of the
approving office, made with pyHanko when the approval's copy is rendered, and its validation.

Where the office's key comes from is chosen by ``settings.REPORT_SIGNING`` (``APA_SIGNING``):

* ``demo`` (the embedded default): a demo certificate authority and one certificate per office, made on
  demand under ``settings.REPORT_SIGNING_DIR`` (``var/signing/``, gitignored; never in the database and
  never in a backup, which holds database rows and the files they refer to). The CA's certificate is
  ``demo-ca.pem`` there: trust it to see the signatures as trusted (``pdfsig -nssdir``, see docs).
* ``pkcs12`` (production): the office's PKCS#12 file ``<office code>.p12`` in
  ``settings.REPORT_SIGNING_PKCS12_DIR`` (``APA_SIGNING_PKCS12_DIR``), its passphrase from
  ``APA_SIGNING_PKCS12_PASSWORD_<CODE>`` (the code upper-cased, ``-`` as ``_``) or else
  ``APA_SIGNING_PKCS12_PASSWORD``; the trust roots for validation from ``APA_SIGNING_TRUST_ROOTS``
  (a PEM file of one or more certificates).
* ``off``: approved copies are not signed (and validation reports "not signed").

The visible signature block is drawn by the letter itself (WeasyPrint, Bangla text); the signature field's
widget is placed over it with an empty appearance, so a viewer that lists signatures points at the block.
"""

from __future__ import annotations

import datetime
import fcntl
import io
import logging
import os
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.cache import cache

from base.errors import DomainError
from indicators.models import Office

logger = logging.getLogger(__name__)

FIELD_NAME = "ApprovalSignature"
CA_NAME = "APA Tracker Demo CA"
_ORGANISATION = "Government of the People's Republic of Bangladesh"
_VALID_YEARS = 10


@dataclass(frozen=True)
class SignatureBox:
    """Where the visible block is: a page index of the PDF and a rectangle in PDF points (x0, y0, x1, y1)."""

    page: int
    rect: tuple[float, float, float, float]


@dataclass(frozen=True)
class SignatureStatus:
    """What a validator says of a report's signature."""

    signed: bool
    intact: bool = False  # the signed bytes are unchanged
    valid: bool = False  # the cryptographic signature checks
    trusted: bool = False  # the certificate chains to a configured trust root
    whole_file: bool = False  # the signature covers the whole file (nothing appended after it)
    signer: str = ""  # the certificate's subject, as people read it
    signed_at: datetime.datetime | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and self.trusted and self.whole_file

    @property
    def text_bn(self) -> str:
        if not self.signed:
            return "স্বাক্ষর নেই"
        if self.ok:
            return "স্বাক্ষর বৈধ"
        if not (self.intact and self.valid) or not self.whole_file:
            return "স্বাক্ষর অবৈধ: স্বাক্ষরের পর ফাইল বদলেছে"
        return "স্বাক্ষর অবৈধ: সনদ বিশ্বস্ত নয়"

    @property
    def text_en(self) -> str:
        parts = [
            f"intact={self.intact}",
            f"valid={self.valid}",
            f"trusted={self.trusted}",
            f"whole file={self.whole_file}",
        ]
        return f"signature by {self.signer or '?'}: " + ", ".join(parts)

    def as_json(self) -> dict:
        return {
            "signed": self.signed,
            "ok": self.ok,
            "intact": self.intact,
            "valid": self.valid,
            "trusted": self.trusted,
            "whole_file": self.whole_file,
            "signer": self.signer,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "error": self.error,
        }


def signing_mode() -> str:
    return settings.REPORT_SIGNING


def signing_enabled() -> bool:
    return signing_mode() != "off"


# ---------------------------------------------------------------------------------------------------------
# Keys: the demo CA and office certificates, or the configured PKCS#12 files.


def _signing_dir() -> Path:
    return Path(settings.REPORT_SIGNING_DIR)


@contextmanager
def _locked(folder: Path):
    """One process at a time makes keys (two approvals at once must not make two CAs)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(folder / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_private(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


def _name(common_name: str, unit: str | None = None) -> x509.Name:
    parts = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "BD"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _ORGANISATION),
    ]
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def demo_ca_paths() -> tuple[Path, Path]:
    folder = _signing_dir()
    return folder / "demo-ca.key", folder / "demo-ca.pem"


def demo_ca() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """The demo certificate authority, made on first use under ``REPORT_SIGNING_DIR``."""
    key_path, cert_path = demo_ca_paths()
    with _locked(key_path.parent):
        if not (key_path.exists() and cert_path.exists()):
            key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
            name = _name(CA_NAME, "APA Tracker (demo only, not for real use)")
            now = _now()
            cert = (
                x509.CertificateBuilder()
                .subject_name(name)
                .issuer_name(name)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(days=1))
                .not_valid_after(now + datetime.timedelta(days=365 * (_VALID_YEARS + 5)))
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(
                    x509.KeyUsage(
                        digital_signature=False,
                        content_commitment=False,
                        key_encipherment=False,
                        data_encipherment=False,
                        key_agreement=False,
                        key_cert_sign=True,
                        crl_sign=True,
                        encipher_only=False,
                        decipher_only=False,
                    ),
                    critical=True,
                )
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                .sign(key, hashes.SHA256())
            )
            _write_private(
                key_path,
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                ),
            )
            cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
            logger.info("demo signing CA made at %s", cert_path)
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return key, cert


def _office_common_name(office: Office) -> str:
    return (office.name_en or office.code).strip()[:64]


def demo_office_credentials(office: Office):
    """The office's demo key and certificate (issued by :func:`demo_ca`), made on first use."""
    ca_key, ca_cert = demo_ca()
    path = _signing_dir() / "offices" / f"{office.code}.p12"
    with _locked(path.parent):
        if path.exists():
            key, cert, _ = pkcs12.load_key_and_certificates(path.read_bytes(), None)
            if cert is not None and cert.issuer == ca_cert.subject:
                return key, cert, [ca_cert]
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = _now()
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(_office_common_name(office), f"office:{office.code}"))
            .issuer_name(ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=365 * _VALID_YEARS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
            )
            .sign(ca_key, hashes.SHA256())
        )
        _write_private(
            path,
            pkcs12.serialize_key_and_certificates(
                office.code.encode(), key, cert, [ca_cert], serialization.NoEncryption()
            ),
        )
        logger.info("demo signing certificate made for office %s", office.code)
    return key, cert, [ca_cert]


def _pkcs12_password(office: Office) -> bytes | None:
    own = "APA_SIGNING_PKCS12_PASSWORD_" + office.code.upper().replace("-", "_")
    value = os.environ.get(own, os.environ.get("APA_SIGNING_PKCS12_PASSWORD"))
    return value.encode() if value else None


def configured_office_credentials(office: Office):
    """The office's key and certificate from its PKCS#12 file (production)."""
    folder = settings.REPORT_SIGNING_PKCS12_DIR
    path = Path(folder) / f"{office.code}.p12" if folder else None
    if path is None or not path.is_file():
        raise DomainError(
            f"{office.name_bn}-এর ডিজিটাল স্বাক্ষরের সনদ (PKCS#12) কনফিগার করা হয়নি; অনুমোদিত কপি স্বাক্ষর করা যায়নি।",
            f"No signing certificate (PKCS#12) is configured for office {office.code}: expected "
            f"{path or 'APA_SIGNING_PKCS12_DIR/<office>.p12'}.",
        )
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(path.read_bytes(), _pkcs12_password(office))
    except ValueError as error:
        raise DomainError(
            f"{office.name_bn}-এর ডিজিটাল স্বাক্ষরের সনদ খোলা যায়নি (পাসওয়ার্ড বা ফাইল ভুল)।",
            f"The PKCS#12 of office {office.code} could not be opened: {error}",
        ) from None
    if key is None or cert is None:
        raise DomainError(
            f"{office.name_bn}-এর PKCS#12 ফাইলে চাবি ও সনদ নেই।",
            f"The PKCS#12 of office {office.code} holds no key and certificate.",
        )
    return key, cert, list(chain)


def office_credentials(office: Office):
    if signing_mode() == "pkcs12":
        return configured_office_credentials(office)
    return demo_office_credentials(office)


def trust_roots() -> list[x509.Certificate]:
    """The certificates a signature must chain to: the demo CA, or ``APA_SIGNING_TRUST_ROOTS``."""
    if signing_mode() == "pkcs12":
        path = settings.REPORT_SIGNING_TRUST_ROOTS
        if not path or not Path(path).is_file():
            return []
        return x509.load_pem_x509_certificates(Path(path).read_bytes())
    _, cert_path = demo_ca_paths()
    if not cert_path.exists():
        return []
    return [x509.load_pem_x509_certificate(cert_path.read_bytes())]


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


# ---------------------------------------------------------------------------------------------------------
# Signing and validating.


def sign_pdf(
    pdf: bytes,
    *,
    office: Office,
    box: SignatureBox | None,
    reason: str = "",
    signer_name: str = "",
) -> bytes:
    """``pdf`` with a PAdES signature of ``office`` appended (an incremental update), its field's widget
    over ``box`` (or invisible)."""
    # pyHanko (and its cryptography, asn1 and HTTP stack) is loaded when a copy is first signed, not by every
    # web process that imports the reports; it imports cryptography's deprecated DSA class (never used here).
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="DSA is deprecated")
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers
        from pyhanko.stamp import TextStampStyle
        from pyhanko_certvalidator.registry import SimpleCertificateStore

    key, cert, chain = office_credentials(office)
    signer = signers.SimpleSigner(
        signing_cert=_asn1_cert(cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(c) for c in chain]),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    spec = fields.SigFieldSpec(
        sig_field_name=FIELD_NAME,
        on_page=box.page if box else 0,
        box=tuple(round(v, 2) for v in box.rect) if box else None,
    )
    fields.append_signature_field(writer, spec)
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason or None,
        location="Bangladesh",
        name=signer_name or None,
    )
    # The visible block is the letter's own (Bangla, drawn by WeasyPrint): the widget shows nothing more.
    style = TextStampStyle(stamp_text=" ", border_width=0, background=None)
    out = io.BytesIO()
    signers.PdfSigner(metadata, signer, stamp_style=style).sign_pdf(writer, output=out)
    return out.getvalue()


def _readable_name(name: asn1_x509.Name) -> str:
    native = name.native
    return native.get("common_name") or name.human_friendly


def signature_status(pdf: bytes) -> SignatureStatus:
    """Validate the report's signature against :func:`trust_roots` (no network: revocation is not fetched)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="DSA is deprecated")
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception as error:  # a damaged file: not readable as a signed PDF at all
        return SignatureStatus(signed=False, error=f"{type(error).__name__}: {error}")
    if not signatures:
        return SignatureStatus(signed=False)
    signature = signatures[-1]
    roots = [_asn1_cert(c) for c in trust_roots()]
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(signature, context, skip_diff=True)
    except Exception as error:
        return SignatureStatus(signed=True, error=f"{type(error).__name__}: {error}")
    coverage = getattr(status, "coverage", None)
    whole = coverage is not None and coverage.name == "ENTIRE_FILE"
    return SignatureStatus(
        signed=True,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        whole_file=whole,
        signer=_readable_name(status.signing_cert.subject) if status.signing_cert else "",
        signed_at=status.signer_reported_dt,
    )


# ---------------------------------------------------------------------------------------------------------
# The pages: a stored copy's signature as the reviewer sees it.

#: Seconds a stored copy's validation is kept (per file, size and modification time): a page listing the
#: approved copies does not read and hash every PDF on each view.
STATUS_CACHE_SECONDS = 300


def stored_report_signature(report) -> SignatureStatus:
    """Validate an approved report's stored file (``reports.ApprovedReport``) as it is now."""
    storage, name = report.file.storage, report.file.name
    try:
        stamp = f"{storage.size(name)}:{storage.get_modified_time(name).timestamp()}"
    except (OSError, NotImplementedError):
        stamp = None
    key = f"apa:report-signature:{report.pk}:{stamp}"
    if stamp is not None and (cached := cache.get(key)) is not None:
        return cached
    try:
        with storage.open(name, "rb") as handle:
            status = signature_status(handle.read())
    except OSError as error:
        return SignatureStatus(signed=False, error=f"{type(error).__name__}: {error}")
    if stamp is not None:
        cache.set(key, status, STATUS_CACHE_SECONDS)
    return status
