"""Files sent with a message, made when it is sent from a reference the outbox row keeps.

A row keeps `"<kind>:<argument>"` (a few bytes, however many recipients) instead of the file; the module
that writes such messages registers a builder for its kind, which turns the argument into the file.
An unknown kind or a bad argument is a permanent failure of that message: retrying cannot help.
"""
from __future__ import annotations

from collections.abc import Callable

from connectors import Attachment, MessageRejected

Builder = Callable[[str], Attachment]
_BUILDERS: dict[str, Builder] = {}


def register(kind: str, builder: Builder) -> None:
    """`builder(argument)` makes the file of a `"<kind>:<argument>"` reference."""
    _BUILDERS[kind] = builder


def reference(kind: str, argument: str) -> str:
    return f"{kind}:{argument}"


def build_attachments(ref: str | None) -> tuple[Attachment, ...]:
    if not ref:
        return ()
    kind, _, argument = ref.partition(":")
    builder = _BUILDERS.get(kind)
    if builder is None:
        raise MessageRejected(f"неизвестный вид вложения {kind!r}")
    try:
        return (builder(argument),)
    except ValueError as exc:
        raise MessageRejected(f"вложение {ref!r}: {exc}") from exc
