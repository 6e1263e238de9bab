"""The asyncio boundary: one loop and one resource per thread, released when threads end."""

from __future__ import annotations

import itertools
import threading

import pytest

from connectors.aio import PerThreadLoop


class Resources:
    def __init__(self, fail_first: int = 0) -> None:
        self.ids = itertools.count(1)
        self.opened: list[int] = []
        self.closed: list[int] = []
        self.fail_first = fail_first

    async def open(self) -> int:
        if self.fail_first:
            self.fail_first -= 1
            raise ConnectionError("not yet")
        resource = next(self.ids)
        self.opened.append(resource)
        return resource

    async def close(self, resource: int) -> None:
        self.closed.append(resource)


async def identity(resource: int) -> int:
    return resource


def run_in_thread(loops: PerThreadLoop[int]) -> int:
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(loops.run(identity)))
    thread.start()
    thread.join()
    return result[0]


def test_one_resource_per_thread_opened_once():
    resources = Resources()
    loops = PerThreadLoop(resources.open, resources.close)
    assert loops.run(identity) == loops.run(identity) == 1
    assert run_in_thread(loops) == 2
    assert resources.opened == [1, 2]
    loops.close()


def test_resources_of_ended_threads_are_closed_when_a_new_thread_registers():
    resources = Resources()
    loops = PerThreadLoop(resources.open, resources.close)
    for _ in range(3):
        run_in_thread(loops)
    assert loops.open_count == 1
    assert resources.closed == [1, 2]
    loops.close()
    assert resources.closed == [1, 2, 3] and loops.open_count == 0


def test_failed_open_is_retried_on_the_next_call():
    resources = Resources(fail_first=1)
    loops = PerThreadLoop(resources.open, resources.close)
    with pytest.raises(ConnectionError):
        loops.run(identity)
    assert loops.run(identity) == 1
    loops.close()


def test_usable_again_after_close():
    resources = Resources()
    loops = PerThreadLoop(resources.open, resources.close)
    loops.run(identity)
    loops.close()
    assert loops.run(identity) == 2
    loops.close()
