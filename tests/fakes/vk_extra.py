"""FakeVk with what social intake needs on top: editing and deleting posts and comments, and
``wall.createComment`` (recorded in ``created_comments``; a repeated ``guid`` answers the first id, as VK does).
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.fakes.http_server import Request, Response
from tests.fakes.vk_api import FakeVk, vk_error, vk_ok


class FakeVkWall(FakeVk):
    def __init__(self, token: str = "vk-test-token", requests_per_second: int = 1000) -> None:
        super().__init__(token, requests_per_second)
        self.created_comments: list[dict[str, Any]] = []
        self._comment_ids = itertools.count(10_000)
        self._guids: dict[str, int] = {}

    def edit_post(self, post: dict[str, Any], text: str) -> None:
        post["text"] = text

    def delete_post(self, post: dict[str, Any]) -> None:
        """VK drops a deleted post from wall.get."""
        self.posts.remove(post)

    def delete_comment(self, comment: dict[str, Any]) -> None:
        """VK keeps a deleted comment in wall.getComments with ``deleted: true`` and no text."""
        comment.update(deleted=True, text="")

    def handle(self, request: Request) -> Response:
        if request.path.removeprefix("/method/") != "wall.createComment":
            return super().handle(request)
        params = request.params
        self.recorder.count("call:wall.createComment")
        if params.get("access_token") != self.token:
            return vk_error(5, params)
        if not params.get("message") or not params.get("owner_id") or not params.get("post_id"):
            return vk_error(100, params)
        guid = str(params.get("guid") or "")
        if guid and guid in self._guids:
            return vk_ok({"comment_id": self._guids[guid]})
        comment_id = next(self._comment_ids)
        self._guids[guid] = comment_id
        self.created_comments.append({"comment_id": comment_id, **{k: v for k, v in params.items()
                                                                    if k != "access_token"}})
        return vk_ok({"comment_id": comment_id})
