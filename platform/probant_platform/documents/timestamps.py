"""RFC 3161 timestamps and the validation data that keep our signatures checkable for decades.

`PROBANT_TSA_URL` names the time-stamping authority (HTTP Basic credentials, when it wants
them, in `PROBANT_TSA_USERNAME` / `PROBANT_TSA_PASSWORD`). Without it, outside production,
an in-process **development TSA** answers: its certificate is issued by the development CA
and named "Probant Development TSA — not a trusted time source"; its times are this
machine's clock and prove nothing to a third party. Production without a TSA refuses.

`LongTerm` bundles what a PAdES B-LT signature needs beside the signer: the timestamper and
the revocation data to embed (the development CA's own CRL; in production the CA's
responders, fetched at signing time).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from asn1crypto import cms
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.sign.timestamps import DummyTimeStamper, HTTPTimeStamper, TimeStamper
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from probant_platform.config import Settings
from probant_platform.documents import pki


def asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def asn1_key(signer: pki.Signer) -> asn1_keys.PrivateKeyInfo:
    der = signer.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return asn1_keys.PrivateKeyInfo.load(der)


@dataclass(frozen=True)
class LongTerm:
    """How to timestamp a signature and which validation data to embed with it."""

    timestamper: TimeStamper
    roots: tuple[x509.Certificate, ...]
    crls: tuple[bytes, ...] = ()
    """DER CRLs known in advance (the development CA's); production fetches instead."""
    fetch: bool = False
    development: bool = True

    def validation_context(self, extra: Sequence[x509.Certificate] = ()) -> ValidationContext:
        """A fresh context (they keep state) to gather the chain and revocation data."""
        return ValidationContext(
            trust_roots=[asn1_cert(c) for c in self.roots],
            other_certs=[asn1_cert(c) for c in extra],
            crls=list(self.crls),
            allow_fetching=self.fetch,
        )


def development_timestamper(tsa: pki.Signer) -> DummyTimeStamper:
    """pyHanko's in-process TSA, signing with our development TSA certificate."""
    return DummyTimeStamper(
        tsa_cert=asn1_cert(tsa.certificate),
        tsa_key=asn1_key(tsa),
        certs_to_embed=SimpleCertificateStore.from_certs([asn1_cert(c) for c in tsa.chain]),
    )


def timestamper(settings: Settings) -> TimeStamper:
    """The configured TSA, or the development one (never in production)."""
    if settings.tsa_url:
        password = settings.tsa_password.get_secret_value() if settings.tsa_password else ""
        auth = (settings.tsa_username, password) if settings.tsa_username else None
        return HTTPTimeStamper(settings.tsa_url, auth=auth, timeout=30)
    if settings.is_production:
        raise pki.SigningUnavailable("set PROBANT_TSA_URL: production signatures are timestamped")
    return development_timestamper(pki.development_tsa(settings))


def long_term(settings: Settings) -> LongTerm:
    """What `sign_pdf` needs for a B-T signature with B-LT validation data."""
    stamper = timestamper(settings)
    roots = tuple(pki.trust_roots(settings))
    if settings.is_production:
        return LongTerm(timestamper=stamper, roots=roots, fetch=True, development=False)
    crl = pki.certificate_revocation_list(pki.development_authority(settings))
    return LongTerm(
        timestamper=stamper,
        roots=roots,
        crls=(crl.public_bytes(serialization.Encoding.DER),),
    )


async def long_term_async(settings: Settings) -> LongTerm:
    return await asyncio.to_thread(long_term, settings)


async def timestamp_token(stamper: TimeStamper, digest: bytes) -> bytes:
    """An RFC 3161 token (DER `ContentInfo`) over a SHA-256 `digest`."""
    token: cms.ContentInfo = await stamper.async_timestamp(digest, "sha256")
    return token.dump()
