"""Photos attached to a result: decoded and re-encoded in full before anything is written, stored under
instance/uploads/ with a random name that carries the appeal it belongs to, served only to those who may
read that appeal.
"""
from __future__ import annotations

import io
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app
from PIL import Image, UnidentifiedImageError

from workflows.accounts.models import CITY_WIDE_ROLES, User
from workflows.appeals.queries import get_appeal
from workflows.errors import NotFound, ValidationFailed

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 8000  # pixels per side
MAX_PIXELS = 40_000_000  # a 20000×20000 PNG "bomb" is 400 megapixels: refused before it is decoded
FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
# a<appeal id>-<random>.<ext>; names without an appeal (before issue 14) are served to the city's roles only
NAME = re.compile(r"^(?:a(\d{1,10})-)?[A-Za-z0-9_-]{16,64}\.(jpg|png|webp)$")


@dataclass(frozen=True)
class Photo:
    """A checked photo not yet on disk: `save()` it once the form it came with has been accepted."""

    name: str
    content: bytes

    @property
    def url(self) -> str:
        return f"/uploads/{self.name}"

    def save(self) -> None:
        (uploads_dir() / self.name).write_bytes(self.content)


def uploads_dir() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _reencoded(content: bytes, field: str) -> tuple[bytes, str]:
    """The image decoded in full and encoded again (no trailing HTML, no EXIF); refuses anything else."""
    not_photo = ValidationFailed("это не фото", {field: "нужен файл JPEG, PNG или WebP"})
    try:
        with Image.open(io.BytesIO(content)) as probe:
            kind = probe.format or ""
            width, height = probe.size
            if kind not in FORMATS:
                raise not_photo
            if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                raise ValidationFailed("фото слишком большое", {field: f"не больше {MAX_SIDE} точек по стороне"})
            probe.verify()
        with Image.open(io.BytesIO(content)) as opened:
            opened.load()
            image: Image.Image = opened
            if kind == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format=kind, **({"quality": 90} if kind in ("JPEG", "WEBP") else {}))
    except ValidationFailed:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise not_photo from None
    return out.getvalue(), FORMATS[kind]


def check_photo(stream: IO[bytes], field: str = "photo", appeal_id: int | None = None) -> Photo:
    """Read and check an uploaded JPEG, PNG or WebP; nothing is written yet."""
    content = stream.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ValidationFailed("фото слишком большое", {field: "не больше 5 МБ"})
    clean, extension = _reencoded(content, field)
    prefix = f"a{appeal_id}-" if appeal_id is not None else ""
    return Photo(prefix + secrets.token_urlsafe(18) + extension, clean)


def store_photo(stream: IO[bytes], field: str = "photo", appeal_id: int | None = None) -> str:
    """Check and save at once (callers without a form to validate first); returns the URL path."""
    photo = check_photo(stream, field, appeal_id)
    photo.save()
    return photo.url


def photo_file(name: str, user: User) -> Path:
    """The file behind `/uploads/<name>`, if `user` may read the appeal it belongs to."""
    match = NAME.match(name)
    path = uploads_dir() / name
    if match is None or not path.is_file():
        raise NotFound("нет такого файла")
    if match.group(1) is None:
        if user.role not in CITY_WIDE_ROLES:
            raise NotFound("нет такого файла")
    else:
        get_appeal(int(match.group(1)), user)  # NotFound unless the user may read the appeal
    return path
