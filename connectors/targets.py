"""Where outgoing HTTP may go: public addresses only (no loopback, private, link-local, multicast).

A webhook URL is checked when it is subscribed and again at every delivery, where the request is then
sent to the very address that was checked (the name is not resolved a second time by the HTTP client),
so a DNS answer that changes between the check and the connection (rebinding) cannot reach inside.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeTarget(ValueError):
    """The URL is not http(s) or leads to a non-public address; the message is for people (Russian)."""


@dataclass(frozen=True)
class Target:
    """A checked URL: its host name, port and the public address to connect to."""

    url: str
    host: str
    port: int
    address: IPAddress | None  # None: not pinned (private targets allowed, the client resolves the name)

    def pinned_url(self) -> str:
        """The URL with the checked address in place of the host name."""
        parts = urlsplit(self.url)
        if self.address is None:
            return self.url
        literal = f"[{self.address}]" if self.address.version == 6 else str(self.address)
        return SplitResult(parts.scheme, f"{literal}:{self.port}", parts.path or "/", parts.query, "").geturl()

    def host_header(self) -> str:
        default = 443 if self.url.lower().startswith("https") else 80
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == default else f"{name}:{self.port}"


def is_public(address: IPAddress) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_unspecified)


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise UnsafeTarget("имя сервера не находится в DNS") from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def check_target(url: str, allow_private: bool = False) -> Target:
    """The URL checked and resolved; raises UnsafeTarget. `allow_private` is for tests and closed networks."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeTarget("адрес не разбирается") from None
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host or parts.username or parts.password:
        raise UnsafeTarget("нужен адрес http:// или https:// без логина и пароля")
    if allow_private:
        return Target(url, host, port, None)
    addresses = _resolve(host, port)
    if not addresses:
        raise UnsafeTarget("имя сервера не находится в DNS")
    if not all(is_public(a) for a in addresses):
        raise UnsafeTarget("адрес ведёт во внутреннюю сеть (loopback, частные, link-local или multicast адреса)")
    return Target(url, host, port, addresses[0])
