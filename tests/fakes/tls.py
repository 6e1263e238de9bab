"""A test PKI shaped like MAX's: a root CA, a sub CA (pathlen 0) and a server certificate for 127.0.0.1.

The server presents only its own certificate, as a client must already hold the sub CA: that is why
``connectors/certs`` bundles the Russian Trusted Sub CA beside the root.  Nothing here is real: the keys
are made per test session and the names say "Test".
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Pki:
    root_pem: Path  # the test root alone
    bundle_pem: Path  # root and sub CA: what OTKLIK_MAX_CA_FILE points at
    cert_pem: Path  # the server's certificate (127.0.0.1, localhost)
    key_pem: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(self.cert_pem), str(self.key_pem))
        return context


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "RU"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Otklik tests"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject: str, issuer: str, key: ec.EllipticCurvePrivateKey,
                 signer: ec.EllipticCurvePrivateKey, ca: bool, pathlen: int | None = None) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=pathlen), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()),
                              critical=False))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
            key_encipherment=False, data_encipherment=False, key_agreement=False, encipher_only=False,
            decipher_only=False), critical=True)
    else:
        builder = builder.add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        builder = builder.add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]),
                                        critical=False)
    return builder.sign(signer, hashes.SHA256())


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def make_pki(folder: Path) -> Pki:
    """Write a fresh root → sub → server chain into ``folder``."""
    root_key, sub_key, leaf_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
    root = _certificate("Test Trusted Root CA", "Test Trusted Root CA", root_key, root_key, ca=True)
    sub = _certificate("Test Trusted Sub CA", "Test Trusted Root CA", sub_key, root_key, ca=True, pathlen=0)
    leaf = _certificate("127.0.0.1", "Test Trusted Sub CA", leaf_key, sub_key, ca=False)
    folder.mkdir(parents=True, exist_ok=True)
    pki = Pki(folder / "root.pem", folder / "bundle.pem", folder / "server.pem", folder / "server.key")
    pki.root_pem.write_bytes(_pem(root))
    pki.bundle_pem.write_bytes(_pem(root) + _pem(sub))
    pki.cert_pem.write_bytes(_pem(leaf))
    pki.key_pem.write_bytes(leaf_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()))
    return pki
