"""Signing credentials for C2PA: the configured chain and key, or a chain made here.

c2pa refuses a self-signed leaf ("the certificate is invalid"): a signer needs a leaf issued
by a CA, with digitalSignature key usage and an extended key usage such as emailProtection.
make_chain() builds exactly that with `cryptography`, for tests and for installs with no
certificate configured (manifests it signs read back as signingCredential.untrusted)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VALID_DAYS = 365


@dataclass(frozen=True)
class Credentials:
    chain_pem: bytes  # leaf first, then its issuers
    key_pem: bytes
    alg: str
    is_local: bool  # made by make_chain, not configured


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "reelmaker"),
        ]
    )


def _usage(*, sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not sign,
        crl_sign=not sign,
        encipher_only=False,
        decipher_only=False,
    )


def make_chain(common_name: str = "reelmaker local signer") -> tuple[bytes, bytes, bytes]:
    """(leaf + root chain PEM, leaf key PEM, root PEM): an ES256 chain c2pa signs with."""
    now = datetime.datetime.now(datetime.UTC)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = (
        x509.CertificateBuilder()
        .subject_name(_name(f"{common_name} root"))
        .issuer_name(_name(f"{common_name} root"))
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(sign=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), False)
        .sign(root_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(sign=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False
        )
        .sign(root_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    root_pem = root.public_bytes(pem)
    key_pem = key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return leaf.public_bytes(pem) + root_pem, key_pem, root_pem


@cache
def _local_credentials() -> Credentials:
    chain, key, _root = make_chain()
    return Credentials(chain_pem=chain, key_pem=key, alg="es256", is_local=True)


def signing_credentials() -> Credentials:
    """The configured chain and key (C2PA_SIGN_CERT_FILE, C2PA_SIGN_KEY_FILE), else a chain
    made once per process. Raises ImproperlyConfigured when only one is set or one is missing."""
    cert_file, key_file = settings.C2PA_SIGN_CERT_FILE, settings.C2PA_SIGN_KEY_FILE
    if not cert_file and not key_file:
        return _local_credentials()
    if not cert_file or not key_file:
        raise ImproperlyConfigured(
            "Set both C2PA_SIGN_CERT_FILE and C2PA_SIGN_KEY_FILE, or neither."
        )
    try:
        chain, key = Path(cert_file).read_bytes(), Path(key_file).read_bytes()
    except OSError as exc:
        raise ImproperlyConfigured(f"Cannot read the C2PA signing files: {exc}") from None
    return Credentials(chain_pem=chain, key_pem=key, alg=settings.C2PA_SIGN_ALG, is_local=False)
