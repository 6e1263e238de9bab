"""TLS trust for MAX: certifi's public roots plus the Russian Trusted Root and Sub CA (Минцифры).

The MAX Bot API host (``platform-api2.max.ru``) has a certificate issued under the Russian Trusted Root
CA, which certifi does not carry.  ``max_ssl_context`` builds one ``ssl.SSLContext`` for every MAX request
(sending, polling, callback answers, webhook subscriptions) and nothing else: other channels keep
certifi alone.  ``MAX_CA_FILE`` (``OTKLIK_MAX_CA_FILE``) replaces the bundled PEMs with a file of the
operator's choice (a newer sub CA, a corporate proxy's root, a test root).  See ``connectors/certs``.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import certifi

from connectors.base import ConnectorNotConfigured

CERTS = Path(__file__).resolve().parent / "certs"
BUNDLED_MAX_CAS = (CERTS / "russian_trusted_root_ca.pem", CERTS / "russian_trusted_sub_ca.pem")

_lock = threading.Lock()
_contexts: dict[tuple[str, ...], ssl.SSLContext] = {}


def ca_files(settings: Mapping[str, Any]) -> tuple[Path, ...]:
    """The extra trust anchors for MAX: ``MAX_CA_FILE`` when set, else the bundled Минцифры PEMs."""
    override = str(settings.get("MAX_CA_FILE") or "").strip()
    if not override:
        return BUNDLED_MAX_CAS
    path = Path(override).expanduser()
    if not path.is_file():
        raise ConnectorNotConfigured("max", "MAX_CA_FILE", f"OTKLIK_MAX_CA_FILE: no such file {override!r}")
    return (path,)


def context_for(extra: tuple[Path, ...]) -> ssl.SSLContext:
    """certifi's roots plus ``extra`` (built once per set of files; an ``SSLContext`` is thread-safe)."""
    key = tuple(str(path) for path in extra)
    with _lock:
        found = _contexts.get(key)
        if found is None:
            found = ssl.create_default_context(cafile=certifi.where())
            for path in extra:
                try:
                    found.load_verify_locations(cafile=str(path))
                except (OSError, ssl.SSLError) as exc:
                    raise ConnectorNotConfigured("max", "MAX_CA_FILE", f"cannot read CA file {path}: {exc}") from exc
            _contexts[key] = found
    return found


def max_ssl_context(settings: Mapping[str, Any]) -> ssl.SSLContext:
    """The one SSL context for MAX requests under these settings."""
    return context_for(ca_files(settings))


def default_context() -> ssl.SSLContext:
    """What any other client uses: certifi alone (it refuses the MAX host's chain)."""
    return ssl.create_default_context(cafile=certifi.where())
