"""Passwords are argon2id with RFC 9106's parameters; tests use a cheaper hasher (tests/conftest.py), and any
argon2 hash verifies whatever parameters made it."""
from __future__ import annotations

from flask import Flask

from workflows.accounts import service
from workflows.accounts.models import User
from workflows.db import db


def test_the_product_hashes_with_rfc_9106_parameters() -> None:
    hasher = service.product_hasher()
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) >= (3, 64 * 1024, 4)
    assert hasher.hash("Correct-horse-1").startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_a_password_hashed_by_the_product_lets_its_user_in(app: Flask) -> None:
    strong = service.product_hasher().hash("Correct-horse-1")
    db.session.add(User(login="prod", role="dispatcher", password_hash=strong))
    db.session.commit()
    assert service.check_password("prod", "Correct-horse-1") is not None
    assert service.check_password("prod", "wrong-horse-1") is None
