"""Keycloak-compatible accounts and opaque bearer tokens (random, expiring, kept in memory)."""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import request

CURATOR_ID = "5a1d0b0c-0000-4000-8000-000000790020"  # created_by of the seeded data
DEFAULT_ACCOUNTS: list[dict[str, Any]] = [
    {
        "username": "curator@sandbox.orkg",
        "password": "sandbox-curator",
        "id": CURATOR_ID,
        "display_name": "Sandbox Curator",
        "curator": True,
    },
    {
        "username": "user@sandbox.orkg",
        "password": "sandbox-user",
        "id": "5a1d0b0c-0000-4000-8000-000000000001",
        "display_name": "Sandbox User",
        "curator": False,
    },
]
CLIENT_IDS = {"orkg-client", "orkg-pypi", "orkg-frontend"}


@dataclass
class Account:
    username: str
    password: str
    id: str
    display_name: str
    curator: bool


def load_accounts(path: str | None = None) -> dict[str, Account]:
    """Accounts from a JSON list file (``ORKG_SANDBOX_ACCOUNTS``) or the two documented defaults."""
    path = path or os.environ.get("ORKG_SANDBOX_ACCOUNTS")
    try:
        raw: list[dict[str, Any]] = json.loads(Path(path).read_text()) if path else DEFAULT_ACCOUNTS
        return {
            a["username"]: Account(
                a["username"],
                a["password"],
                a["id"],
                a.get("display_name", a["username"]),
                bool(a.get("curator")),
            )
            for a in raw
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"accounts file {path}: unusable ({exc})") from None


class Tokens:
    """Access and refresh tokens; an unknown or expired token is simply absent."""

    def __init__(self, ttl: float = 300.0, refresh_ttl: float = 1800.0) -> None:
        self.ttl = ttl
        self.refresh_ttl = refresh_ttl
        self._access: dict[str, tuple[Account, float]] = {}
        self._refresh: dict[str, tuple[Account, float]] = {}
        self._lock = threading.Lock()

    def issue(self, account: Account) -> dict[str, object]:
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = time.monotonic()
        with self._lock:
            self._access[access] = (account, now + self.ttl)
            self._refresh[refresh] = (account, now + self.refresh_ttl)
        return {
            "access_token": access,
            "expires_in": int(self.ttl),
            "refresh_token": refresh,
            "refresh_expires_in": int(self.refresh_ttl),
            "token_type": "Bearer",
            "not-before-policy": 0,
            "session_state": secrets.token_hex(8),
            "scope": "profile email",
        }

    def user(self, token: str) -> Account | None:
        with self._lock:
            entry = self._access.get(token)
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]

    def clear(self) -> None:
        """Forget every issued token (a reset sandbox is a new one)."""
        with self._lock:
            self._access.clear()
            self._refresh.clear()

    def redeem_refresh(self, token: str) -> Account | None:
        with self._lock:
            entry = self._refresh.pop(token, None)
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]


def bearer(header: str) -> str:
    """The token of an ``Authorization: Bearer ...`` header ('' when absent or another scheme)."""
    return header[7:].strip() if header.lower().startswith("bearer ") else ""


def optional_user() -> Account | None:
    """The request's account, None when anonymous; a bad or expired token is 401."""
    from orkg_sync.sandbox.problems import invalid_token
    from orkg_sync.sandbox.state import get_sandbox

    header = request.headers.get("Authorization", "")
    if not header:
        return None
    token = bearer(header)
    acc = get_sandbox().tokens.user(token) if token else None
    if acc is None:
        raise invalid_token()
    return acc


def current_user() -> Account:
    """The account a write needs; anonymous writes are 403 ``access_denied`` (the backend's tests)."""
    from orkg_sync.sandbox.problems import fail

    acc = optional_user()
    if acc is None:
        fail(403, "access_denied", "Access denied.")
    return acc
