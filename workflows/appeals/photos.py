"""Photos attached to a result: checked by their bytes, stored under instance/uploads/ with a random name."""
from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import IO

from flask import current_app

from workflows.errors import NotFound, ValidationFailed

MAX_BYTES = 5 * 1024 * 1024
SIGNATURES = {b"\xff\xd8\xff": ".jpg", b"\x89PNG\r\n\x1a\n": ".png", b"RIFF": ".webp"}
NAME = re.compile(r"^[A-Za-z0-9_-]{16,64}\.(jpg|png|webp)$")


def uploads_dir() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _extension(head: bytes) -> str | None:
    for signature, extension in SIGNATURES.items():
        if head.startswith(signature) and (extension != ".webp" or head[8:12] == b"WEBP"):
            return extension
    return None


def store_photo(stream: IO[bytes], field: str = "photo") -> str:
    """Save an uploaded JPEG, PNG or WebP; returns the URL path it is served from."""
    content = stream.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ValidationFailed("фото слишком большое", {field: "не больше 5 МБ"})
    extension = _extension(content[:16])
    if extension is None:
        raise ValidationFailed("это не фото", {field: "нужен файл JPEG, PNG или WebP"})
    name = secrets.token_urlsafe(18) + extension
    (uploads_dir() / name).write_bytes(content)
    return f"/uploads/{name}"


def photo_file(name: str) -> Path:
    path = uploads_dir() / name
    if not NAME.match(name) or not path.is_file():
        raise NotFound("нет такого файла")
    return path
