"""One guard for every request's input, before any view sees it.

Refused with 422 (in the caller's error format): NUL bytes and lone surrogates in any text — query
string, form field, JSON string or key, path parameter, file name — JSON nested deeper than
`JSON_MAX_DEPTH` and JSON lists longer than `JSON_MAX_LIST`. Bodies larger than `MAX_CONTENT_LENGTH`
(multipart uploads: `UPLOAD_MAX_CONTENT_LENGTH`) are refused with 413 by Werkzeug while reading.
A NUL byte in a header is refused with 400.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flask import Flask, current_app, request
from werkzeug.exceptions import BadRequest

from workflows.errors import ValidationFailed

BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
DEFAULTS = {"MAX_CONTENT_LENGTH": 2 * 1024 * 1024, "UPLOAD_MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
            "MAX_FORM_MEMORY_SIZE": 2 * 1024 * 1024, "JSON_MAX_DEPTH": 20, "JSON_MAX_LIST": 20000}
TEXT_PROBLEM = "недопустимые символы (нулевой байт или одиночный суррогат)"


def bad_text(value: str) -> bool:
    return BAD_TEXT.search(value) is not None


def _refuse(field: str, problem: str) -> None:
    raise ValidationFailed(f"запрос отклонён: поле «{field}»: {problem}", {field: problem})


def _check_pairs(pairs: Iterable[tuple[str, Any]], prefix: str = "") -> None:
    for key, value in pairs:
        name = f"{prefix}{key}"
        if bad_text(key) or (isinstance(value, str) and bad_text(value)):
            _refuse(name, TEXT_PROBLEM)


def _walk_json(data: Any, max_depth: int, max_list: int) -> None:
    """Check every string, key, depth and list length of a parsed JSON document without recursion."""
    stack: list[tuple[Any, str, int]] = [(data, "body", 1)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            if bad_text(value):
                _refuse(path, TEXT_PROBLEM)
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > max_depth:
            _refuse(path, f"вложенность JSON больше {max_depth} уровней")
        if isinstance(value, list):
            if len(value) > max_list:
                _refuse(path, f"список длиннее {max_list} элементов")
            stack.extend((item, f"{path}[{index}]", depth + 1) for index, item in enumerate(value))
            continue
        for key, item in value.items():
            if bad_text(key):
                _refuse(path, TEXT_PROBLEM)
            stack.append((item, key if path == "body" else f"{path}.{key}", depth + 1))


def _json_body() -> None:
    config = current_app.config
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        _refuse("body", f"вложенность JSON больше {config['JSON_MAX_DEPTH']} уровней")
        return
    _walk_json(data, int(config["JSON_MAX_DEPTH"]), int(config["JSON_MAX_LIST"]))


def _headers() -> None:
    for _, value in request.headers.items():
        if "\x00" in value:
            raise BadRequest("недопустимый символ в заголовке запроса")


def check_request() -> None:
    """before_request: refuse what no view can store or answer safely."""
    if request.mimetype == "multipart/form-data":
        request.max_content_length = int(current_app.config["UPLOAD_MAX_CONTENT_LENGTH"])
    _headers()
    _check_pairs((request.view_args or {}).items())
    _check_pairs(request.args.items(multi=True))
    if request.is_json:
        _json_body()
    elif request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        _check_pairs(request.form.items(multi=True))
        _check_pairs((key, upload.filename or "") for key, upload in request.files.items(multi=True))


def init_app(app: Flask) -> None:
    """The limits themselves are configuration (`web.config`: `OTKLIK_MAX_CONTENT_LENGTH` and so on)."""
    app.before_request(check_request)
