"""The one place that turns errors into HTTP answers: JSON for the API, a page for browsers."""
from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from workflows.errors import Conflict, Forbidden, NotFound, ProcessFailed, ValidationFailed, WorkflowsError

STATUS = {NotFound: 404, ValidationFailed: 422, ProcessFailed: 422, Conflict: 409, Forbidden: 403}


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/webhooks/")) or request.accept_mimetypes.best == "application/json"


def error_response(status: int, code: str, message: str, details: Any = None) -> tuple[Response, int]:
    body: dict[str, Any] = {"error": code, "message": message, "details": details}
    if isinstance(details, dict) and isinstance(details.get("errors"), list):
        body["errors"] = details["errors"]  # the contract's deploy refusal: {errors: [{message, element_id, line}]}
    return jsonify(body), status


ERROR_FORMATS = "otklik.error_formats"  # path prefix -> renderer(status, code, message, details), per app


def register_error_format(app: Flask, prefix: str, renderer: Any) -> None:
    """Answer errors under `prefix` in another format (Open311 errors, say) instead of ours."""
    app.extensions.setdefault(ERROR_FORMATS, {})[prefix] = renderer


def _custom_answer(status: int, code: str, message: str, details: Any) -> Any:
    from flask import current_app

    for prefix, renderer in current_app.extensions.get(ERROR_FORMATS, {}).items():
        if request.path.startswith(prefix):
            return renderer(status, code, message, details)
    return None


def _answer(status: int, code: str, message: str, details: Any = None) -> Any:
    custom = _custom_answer(status, code, message, details)
    if custom is not None:
        return custom
    if wants_json():
        return error_response(status, code, message, details)
    return render_template("error.html", status=status, message=message, details=details), status


def _workflows_error(err: WorkflowsError) -> Any:
    status = next((s for cls, s in STATUS.items() if isinstance(err, cls)), 400)
    return _answer(status, err.code, err.message, err.details)


HTTP_MESSAGES = {
    400: "запрос не понят", 404: "такой страницы нет", 405: "этот метод здесь не принимается",
    413: "запрос слишком большой", 415: "такой формат тела запроса не принимается",
    429: "слишком много запросов: повторите позже",
}


def _http_error(err: HTTPException) -> Any:
    code = (err.name or "error").lower().replace(" ", "_")
    status = err.code or 500
    description = err.description or err.name
    if status in HTTP_MESSAGES and (not description or description == type(err).description):
        description = HTTP_MESSAGES[status]  # Werkzeug's English default text
    return _answer(status, code, description)


def _csrf_error(err: CSRFError) -> Any:
    return _answer(400, "csrf_failed", "форма устарела или отправлена не с этой страницы: обновите страницу")


def _unexpected(err: Exception) -> Any:
    from flask import current_app

    current_app.logger.exception("unhandled error")
    return _answer(500, "internal_error", "внутренняя ошибка; она записана в журнал")


def init_app(app: Flask) -> None:
    app.register_error_handler(WorkflowsError, _workflows_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
