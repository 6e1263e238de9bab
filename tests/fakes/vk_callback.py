"""VK's side of the Callback API: events POSTed to the service's ``/webhooks/vk`` as VK sends them.

    callbacks = FakeVkCallbacks(client.post, fake_vk, group_id=777, secret="vk-secret")
    assert callbacks.confirm() == "a1b2c3"
    callbacks.press(peer_id=501, payload="outage_no:12")   # answered "ok"; the button awaits its answer

Like VK, it resends an event that was not answered ``ok`` (up to ``retries`` more times) with the same
``event_id``, and keeps ``answers`` (status, text) of every request.  A pressed button is registered with
the fake VK API, which then accepts exactly one ``messages.sendMessageEventAnswer`` for it.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from typing import Any

from tests.fakes.vk_api import FakeVk

API_VERSION = "5.199"


class FakeVkCallbacks:
    def __init__(self, post: Callable[..., Any], api: FakeVk | None = None, group_id: int = 777,
                 secret: str = "vk-secret", path: str = "/webhooks/vk", retries: int = 2) -> None:
        self.post, self.api, self.group_id, self.secret, self.path = post, api, group_id, secret, path
        self.retries = retries
        self.answers: list[tuple[int, str]] = []
        self._ids = itertools.count(1)

    def send(self, event_type: str, obj: dict[str, Any], event_id: str | None = None,
             secret: str | None = None) -> tuple[int, str]:
        """POST one event (and resend it like VK until it is answered "ok"); the last (status, text)."""
        body = {"type": event_type, "group_id": self.group_id, "event_id": event_id or uuid.uuid4().hex,
                "v": API_VERSION, "object": obj, "secret": self.secret if secret is None else secret}
        answer = (0, "")
        for _ in range(1 + self.retries):
            response = self.post(self.path, json=body)
            answer = (response.status_code, response.get_data(as_text=True))
            self.answers.append(answer)
            if answer == (200, "ok"):
                break
        return answer

    def confirm(self) -> str:
        response = self.post(self.path, json={"type": "confirmation", "group_id": self.group_id})
        return str(response.get_data(as_text=True))

    def message(self, peer_id: int, text: str, from_id: int | None = None, ref: str | None = None,
                event_id: str | None = None, secret: str | None = None) -> tuple[int, str]:
        number = next(self._ids)
        message: dict[str, Any] = {"id": number, "date": 1764900000, "peer_id": peer_id,
                                   "from_id": from_id or peer_id, "text": text, "conversation_message_id": number,
                                   "attachments": [], "out": 0}
        if ref:
            message.update(ref=ref, ref_source="invite")
        client_info = {"button_actions": ["text", "callback"], "keyboard": True, "inline_keyboard": True}
        return self.send("message_new", {"message": message, "client_info": client_info}, event_id, secret)

    def press(self, peer_id: int, payload: str, user_id: int | None = None,
              event_id: str | None = None) -> tuple[int, str]:
        """A pressed callback button whose VK payload is ``{"payload": <payload>}`` (what the connector sends)."""
        button_event = uuid.uuid4().hex[:12]
        user = user_id or peer_id
        if self.api is not None:
            self.api.open_events[button_event] = (str(user), str(peer_id))
        obj = {"user_id": user, "peer_id": peer_id, "event_id": button_event, "payload": {"payload": payload},
               "conversation_message_id": next(self._ids)}
        return self.send("message_event", obj, event_id)
