from __future__ import annotations

from collections.abc import Iterator

import pytest

from workflows.runtime.definitions import spec_cache


@pytest.fixture(autouse=True)
def fresh_spec_cache() -> Iterator[None]:
    """Bundle hashes name version ids, which repeat across test databases: start each test with an empty cache."""
    spec_cache._items.clear()
    yield
    spec_cache._items.clear()
