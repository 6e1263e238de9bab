"""A fake SMS.ru-style gateway: ``GET|POST {url}/sms/send?api_id=..&to=..&msg=..&json=1``."""

from __future__ import annotations

import itertools

from tests.fakes import faults
from tests.fakes.http_server import FakeHttpServer, Request, Response


def sms_error(code: int, text: str) -> Response:
    return Response(200, {"status": "ERROR", "status_code": code, "status_text": text})


class FakeSmsGateway(FakeHttpServer):
    """Start with ``with FakeSmsGateway() as sms:``;
    give a connector ``SMS_API_URL=sms.url`` and ``SMS_API_KEY=sms.api_key``.

    Faults target a phone number in the gateway's form (``"79001234567"``)."""

    def __init__(self, api_key: str = "sms-test-key") -> None:
        super().__init__()
        self.api_key = api_key
        self.balance = 1000.0
        self._ids = itertools.count(100000)

    def handle(self, request: Request) -> Response:
        self.recorder.count(f"call:{request.path}")
        params = request.params
        if request.path.rstrip("/") != "/sms/send":
            return sms_error(901, "Wrong URL")
        if params.get("api_id") != self.api_key:
            return sms_error(200, "Неправильный api_id")
        phone = str(params.get("to", ""))
        fault = self.take_fault(phone)
        if fault is not None:
            return self._fault_response(fault, phone)
        if not params.get("msg"):
            return sms_error(203, "Нет текста сообщения")
        sms_id = f"{next(self._ids)}-{len(phone)}"
        self.recorder.add(phone, str(params["msg"]), (), sms_id, dict(params))
        self.balance -= 2.5
        entry = {"status": "OK", "status_code": 100, "sms_id": sms_id}
        return Response(
            200, {"status": "OK", "status_code": 100, "sms": {phone: entry}, "balance": self.balance}
        )

    def _fault_response(self, fault: faults.Fault, phone: str) -> Response:
        if fault.kind in (faults.BLOCKED, faults.NOT_FOUND):
            code, text = (
                (207, "На этот номер нельзя отправлять сообщения")
                if fault.kind == faults.BLOCKED
                else (202, "Неправильно указан номер телефона получателя")
            )
            entry = {"status": "ERROR", "status_code": code, "status_text": text}
            return Response(
                200, {"status": "OK", "status_code": 100, "sms": {phone: entry}, "balance": self.balance}
            )
        if fault.kind == faults.RATE_LIMIT:
            return sms_error(231, "Превышен лимит одинаковых сообщений на этот номер в минуту")
        if fault.kind == faults.UNAUTHORIZED:
            return sms_error(200, "Неправильный api_id")
        if fault.kind == faults.ERROR:
            return sms_error(fault.code or 220, "Ошибка")
        return Response(fault.status or 500, b"Internal Server Error")
