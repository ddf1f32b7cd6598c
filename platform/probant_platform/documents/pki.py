"""Signing certificates: the platform's, and those it issues to bailiff offices.

Development: at first use a platform certificate authority and a platform signing
certificate are generated in `<data dir>/pki/` (ECDSA P-256; the key files are 0600). Every
process of the same data folder uses the same pair — creation is atomic, a second process
that races the first reads the winner's files.

Production: the platform signing certificate is loaded from `PROBANT_SIGNING_P12` (PKCS#12,
password in `PROBANT_SIGNING_P12_PASSWORD`) or from `PROBANT_SIGNING_CERT` +
`PROBANT_SIGNING_KEY` (PEM), and the roots a verifier should trust from
`PROBANT_TRUST_ROOTS` (PEM). Nothing is generated in production.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from probant_platform.config import Settings, write_once

DEVELOPMENT_CA_NAME = "Probant Development CA — not a trusted authority"
CA_VALIDITY = dt.timedelta(days=3650)
LEAF_VALIDITY = dt.timedelta(days=825)
DOCUMENT_SIGNING_OID = x509.ObjectIdentifier("1.3.6.1.4.1.311.10.3.12")  # widely used for PDF


class SigningUnavailable(RuntimeError):
    """Production without a configured signing certificate: refuse rather than sign badly."""


@dataclass(frozen=True)
class Signer:
    """A private key, its certificate and the chain up to (and including) the root."""

    key: PrivateKeyTypes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = field(default_factory=tuple)

    @property
    def common_name(self) -> str:
        names = self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else self.certificate.subject.rfc4514_string()

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the certificate (DER), lower-case hex: what documents cite."""
        return self.certificate.fingerprint(hashes.SHA256()).hex()

    def to_pem(self, password: bytes) -> bytes:
        """Key (encrypted with `password`), certificate and chain, PEM-encoded."""
        key = self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(password),
        )
        certs = [self.certificate, *self.chain]
        return key + b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)

    @classmethod
    def from_pem(cls, data: bytes, password: bytes | None) -> Signer:
        key = serialization.load_pem_private_key(data, password=password)
        certs = x509.load_pem_x509_certificates(data)
        return cls(key=key, certificate=certs[0], chain=tuple(certs[1:]))


def _name(common_name: str, organisation: str = "Probant") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def create_authority(common_name: str = DEVELOPMENT_CA_NAME) -> Signer:
    """A self-signed certificate authority (development only)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(common_name)
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
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
    return Signer(key=key, certificate=cert, chain=(cert,))


def issue_certificate(
    authority: Signer, *, common_name: str, organisation: str, email: str | None = None
) -> Signer:
    """A document-signing certificate for `common_name`, issued by `authority`."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    ca_key = authority.key
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation))
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(min(now + LEAF_VALIDITY, authority.certificate.not_valid_after_utc))
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
        .add_extension(
            x509.ExtendedKeyUsage([DOCUMENT_SIGNING_OID, ExtendedKeyUsageOID.EMAIL_PROTECTION]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
    )
    if email:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
        )
    cert = builder.sign(ca_key, hashes.SHA256())
    return Signer(key=key, certificate=cert, chain=authority.chain)


DEVELOPMENT_TSA_NAME = "Probant Development TSA — not a trusted time source"
TSA_VALIDITY = dt.timedelta(days=1825)
CRL_VALIDITY = dt.timedelta(days=7)


def issue_tsa_certificate(
    authority: Signer,
    *,
    validity: dt.timedelta = TSA_VALIDITY,
    common_name: str = DEVELOPMENT_TSA_NAME,
) -> Signer:
    """A time-stamping certificate (RFC 3161: the only, critical, EKU is timeStamping).

    RSA because pyHanko's in-process TSA signs with RSA only.
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = _now()
    ca_key = authority.key
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(min(now + validity, authority.certificate.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return Signer(key=key, certificate=cert, chain=authority.chain)


def certificate_revocation_list(authority: Signer) -> x509.CertificateRevocationList:
    """A fresh, empty CRL of `authority`: the revocation data B-LT signatures embed.

    The development CA never revokes; its CRL says so, signed, at a given time.
    """
    ca_key = authority.key
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    now = _now()
    return (
        x509.CertificateRevocationListBuilder()
        .issuer_name(authority.certificate.subject)
        .last_update(now - dt.timedelta(minutes=5))
        .next_update(now + CRL_VALIDITY)
        .sign(ca_key, hashes.SHA256())
    )


def load_pkcs12(data: bytes, password: bytes | None) -> Signer:
    """A signer from a PKCS#12 file (key, certificate, chain)."""
    key, cert, extra = pkcs12.load_key_and_certificates(data, password)
    if key is None or cert is None:
        raise ValueError("the PKCS#12 file holds no key or no certificate")
    return Signer(key=key, certificate=cert, chain=tuple(extra))


def _development_password(settings: Settings) -> bytes:
    return settings.derived_secret("development-pki").encode()


def _pki_dir(settings: Settings) -> Path:
    return settings.data_dir / "pki"


def development_authority(settings: Settings) -> Signer:
    """The development CA, created at first use in the data folder."""
    if settings.is_production:
        raise SigningUnavailable("no development certificate authority in production")
    path = _pki_dir(settings) / "ca.pem"
    password = _development_password(settings)
    if not path.exists():
        write_once(path, create_authority().to_pem(password))
    return Signer.from_pem(path.read_bytes(), password)


def platform_signer(settings: Settings) -> Signer:
    """The certificate that signs the platform's own documents (certified reports)."""
    if settings.signing_p12 is not None:
        p12_password = settings.signing_p12_password
        return load_pkcs12(
            settings.signing_p12.read_bytes(),
            p12_password.get_secret_value().encode() if p12_password else None,
        )
    if settings.signing_cert is not None and settings.signing_key is not None:
        key_password = settings.signing_key_password
        key = serialization.load_pem_private_key(
            settings.signing_key.read_bytes(),
            password=key_password.get_secret_value().encode() if key_password else None,
        )
        certs = x509.load_pem_x509_certificates(settings.signing_cert.read_bytes())
        return Signer(key=key, certificate=certs[0], chain=tuple(certs[1:]))
    if settings.is_production:
        raise SigningUnavailable(
            "set PROBANT_SIGNING_P12 (or PROBANT_SIGNING_CERT and PROBANT_SIGNING_KEY)"
        )
    path = _pki_dir(settings) / "platform.pem"
    password = _development_password(settings)
    if not path.exists():
        authority = development_authority(settings)
        signer = issue_certificate(
            authority, common_name="Probant — certificats de scellement", organisation="Probant"
        )
        write_once(path, signer.to_pem(password))
    return Signer.from_pem(path.read_bytes(), password)


def development_tsa(settings: Settings) -> Signer:
    """The development time-stamping authority's certificate, issued by the development CA."""
    if settings.is_production:
        raise SigningUnavailable("no development time-stamping authority in production")
    path = _pki_dir(settings) / "tsa.pem"
    password = _development_password(settings)
    if not path.exists():
        write_once(path, issue_tsa_certificate(development_authority(settings)).to_pem(password))
    return Signer.from_pem(path.read_bytes(), password)


def issue_office_certificate(
    settings: Settings, *, office_name: str, email: str | None, holder_name: str | None = None
) -> Signer:
    """A signing certificate for a bailiff office, issued by the development CA (to its
    commissaire de justice when named).

    In production offices bring their own certificate (`load_pkcs12`); this refuses.
    """
    return issue_certificate(
        development_authority(settings),
        common_name=f"{holder_name}, {office_name}"[:64] if holder_name else office_name,
        organisation=office_name,
        email=email,
    )


def trust_roots(settings: Settings) -> list[x509.Certificate]:
    """The certificates a verifier of our documents should trust."""
    if settings.trust_roots is not None:
        return x509.load_pem_x509_certificates(settings.trust_roots.read_bytes())
    if settings.is_production:
        return []
    return [development_authority(settings).certificate]


def trust_roots_pem(settings: Settings) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in trust_roots(settings))
