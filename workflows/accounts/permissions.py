"""Which roles may do what: one table, read by the screens (`web.auth.login_may`, menus through `may_open`),
the API (`web.auth.api_may`) and the services that check a user themselves.

An action is one thing a person or a client does, whatever the door: registering an outage on its screen
or through `POST /api/v1/outages` is the same row. The administrator may do everything. A role that
cannot log in (`integration`) is listed where the API lets it act; screens never see it.
"""
from __future__ import annotations

from collections.abc import Iterable

from workflows.accounts.models import ROLES

ADMIN = "admin"


def _roles(*names: str) -> frozenset[str]:
    unknown = set(names) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    return frozenset(names)


CITY_FIGURES = _roles("official", "coordinator", "dispatcher", "org_head", "org_staff")
PERMISSIONS: dict[str, frozenset[str]] = {
    # appeals
    "appeals.register": _roles("dispatcher", "coordinator", "org_staff", "integration"),
    "appeals.desk": _roles("dispatcher", "coordinator"),  # the ЦГДС phone desk screen
    "appeals.confirm_category": _roles("dispatcher", "coordinator", "integration"),
    "appeals.attach_building": _roles("dispatcher", "coordinator"),
    "letters.extend": _roles("dispatcher", "coordinator", "official", "org_staff", "org_head"),
    # tasks and processes
    "tasks.assign": _roles("org_head", "coordinator"),
    "instances.view": _roles("designer", "coordinator", "dispatcher", "official"),
    "instances.retry": _roles(),
    "processes.deploy": _roles("designer"),
    "designer.use": _roles("designer"),
    "failures.manage": _roles(),
    # outages and representatives
    "outages.view": _roles("dispatcher", "coordinator", "org_staff", "org_head", "official"),
    "outages.register": _roles("dispatcher", "coordinator", "org_staff", "org_head", "integration"),
    "outages.waves": _roles(),
    "representatives.screens": _roles("coordinator", "org_staff", "org_head"),  # lists, uncovered buildings, print
    # administration (the administrator may do everything; these name who else opens a screen)
    "admin.home": _roles("coordinator", "org_staff", "org_head"),
    "organizations.view": _roles("coordinator"),
    "organizations.manage": _roles(),
    "users.manage": _roles(),
    "representatives.manage": _roles("dispatcher", "coordinator", "org_staff", "org_head", "integration"),
    "webhooks.manage": _roles("integration", "org_head", "org_staff"),
    # the city's picture
    "stats.read": CITY_FIGURES | _roles("integration"),  # the API, the analytics page and the map
    "board.view": _roles("official", "coordinator", "dispatcher"),
    "digest.read": _roles("official", "coordinator", "org_head"),
    # social media
    "social.sources": _roles("coordinator"),
    "social.moderate": _roles("dispatcher", "coordinator"),
    "social.answers": _roles("dispatcher", "coordinator", "official"),
    "social.retrain": _roles("coordinator"),
}


def roles_for(action: str) -> frozenset[str]:
    """The roles that may do `action` besides the administrator; KeyError for an action not in the table."""
    return PERMISSIONS[action]


def may(role: str | None, action: str) -> bool:
    return role == ADMIN or (role is not None and role in roles_for(action))


def described(action: str) -> str:
    """The roles of `action` for an error message: «dispatcher, coordinator, admin»."""
    return ", ".join([*sorted(roles_for(action)), ADMIN])


def unknown_actions(actions: Iterable[str]) -> list[str]:
    return sorted(set(actions) - set(PERMISSIONS))
