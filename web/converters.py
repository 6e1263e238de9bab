"""URL converters: `<int:...>` ids beyond the database's INTEGER range become 0, an id nothing has, so such
a URL answers 404 like any unknown id instead of overflowing the database driver (a 500)."""
from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class DatabaseIntConverter(IntegerConverter):
    def to_python(self, value: str) -> int:
        number = int(super().to_python(value))
        return number if number <= MAX_ID else 0


def init_app(app: Flask) -> None:
    """Before any blueprint registers its routes."""
    app.url_map.converters["int"] = DatabaseIntConverter
