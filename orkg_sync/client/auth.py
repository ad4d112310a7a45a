"""Credentials (env or prompt, never argv), Keycloak password grant, refresh before expiry, Bearer hook.

Secrets live only in private attributes; reprs, logs and error messages never show them.
"""

from __future__ import annotations

import getpass
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import requests

from orkg_sync.client.errors import BadResponse, RemoteUnavailable, Unauthorized
from orkg_sync.client.hosts import Host

DEFAULT_CLIENT_ID = "orkg-client"
REFRESH_MARGIN = 30.0  # seconds before expiry at which we refresh


@dataclass(repr=False)
class Credentials:
    """Username/password or a ready token; ``repr`` redacts the secrets."""

    username: str | None = None
    password: str | None = field(default=None)
    token: str | None = field(default=None)
    client_id: str = DEFAULT_CLIENT_ID

    def __repr__(self) -> str:
        kind = "token" if self.token else ("password" if self.password else "none")
        return f"Credentials(username={self.username!r}, kind={kind}, client_id={self.client_id!r})"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Credentials | None:
        """ORKG_TOKEN wins over ORKG_USERNAME/ORKG_PASSWORD; None when neither is set."""
        env = dict(os.environ) if env is None else env
        client_id = env.get("ORKG_CLIENT_ID") or DEFAULT_CLIENT_ID
        if env.get("ORKG_TOKEN"):
            return cls(token=env["ORKG_TOKEN"], client_id=client_id)
        if env.get("ORKG_USERNAME") and env.get("ORKG_PASSWORD"):
            return cls(env["ORKG_USERNAME"], env["ORKG_PASSWORD"], client_id=client_id)
        return None

    @classmethod
    def prompt(cls, client_id: str = DEFAULT_CLIENT_ID) -> Credentials:
        """Ask on the terminal; the password is read without echo."""
        username = input("ORKG username (e-mail): ").strip()
        return cls(username, getpass.getpass("ORKG password: "), client_id=client_id)

    def secrets(self) -> list[str]:
        return [s for s in (self.password, self.token) if s]


class TokenAuth(requests.auth.AuthBase):
    """requests auth hook: adds ``Authorization: Bearer``, fetching/refreshing the token as needed."""

    def __init__(
        self,
        host: Host,
        credentials: Credentials,
        *,
        timeout: tuple[float, float] = (5.0, 30.0),
        refresh_margin: float = REFRESH_MARGIN,
    ) -> None:
        self._margin = refresh_margin
        self._host = host
        self._creds = credentials
        self._timeout = timeout
        self._access: str | None = credentials.token
        self._refresh: str | None = None
        self._expires_at = float("inf") if credentials.token else 0.0
        self._lock = threading.Lock()
        self._session = requests.Session()
        self._session.trust_env = False
        self.token_requests = 0

    def __repr__(self) -> str:
        return f"TokenAuth(host={self._host.name!r}, user={self._creds.username!r}, token=<redacted>)"

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self.access_token()}"
        return r

    def access_token(self) -> str:
        with self._lock:
            if self._access is None or time.monotonic() >= self._expires_at - self._margin:
                self._obtain()
            assert self._access is not None
            return self._access

    def _obtain(self) -> None:
        if self._refresh:
            try:
                self._grant({"grant_type": "refresh_token", "refresh_token": self._refresh})
                return
            except Unauthorized:
                self._refresh = None  # refresh token expired: fall back to the password grant
        if not self._creds.password:
            raise Unauthorized(
                f"no usable credentials for {self._host.api_base}: set ORKG_USERNAME and ORKG_PASSWORD, "
                "or a fresh ORKG_TOKEN"
            )
        self._grant(
            {
                "grant_type": "password",
                "username": self._creds.username or "",
                "password": self._creds.password,
            }
        )

    def _grant(self, form: dict[str, str]) -> None:
        url = self._host.token_url
        self.token_requests += 1
        try:
            resp = self._session.post(
                url, data={**form, "client_id": self._creds.client_id}, timeout=self._timeout
            )
        except (requests.ConnectionError, requests.Timeout):
            raise RemoteUnavailable(f"login: token endpoint {url} is unreachable or timed out") from None
        if resp.status_code in {400, 401, 403}:
            err = _oauth_error(resp)
            raise Unauthorized(
                f"login at {url} failed ({err}); check ORKG_USERNAME/ORKG_PASSWORD and ORKG_CLIENT_ID"
            )
        if resp.status_code >= 300:
            raise RemoteUnavailable(f"login: token endpoint {url} answered HTTP {resp.status_code}")
        try:
            body = resp.json()
            self._access = str(body["access_token"])
        except (ValueError, KeyError, TypeError):
            raise BadResponse(f"login: token endpoint {url} did not answer an OAuth token") from None
        self._refresh = body.get("refresh_token") or self._refresh
        self._expires_at = time.monotonic() + float(body.get("expires_in") or 300)


def _oauth_error(resp: requests.Response) -> str:
    try:
        body: Any = resp.json()
    except ValueError:
        return f"HTTP {resp.status_code}"
    if isinstance(body, dict):
        return str(body.get("error_description") or body.get("error") or f"HTTP {resp.status_code}")
    return f"HTTP {resp.status_code}"
