"""Shared ``--host``/auth options for pull, push and diff (not a command itself).

Secrets never come from the command line (shell history): only ORKG_TOKEN, ORKG_USERNAME/ORKG_PASSWORD
or an interactive prompt. ``--client-id`` and ``--keycloak`` are not secret.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from orkg_sync.cli.options import option
from orkg_sync.client.api import OrkgApi
from orkg_sync.client.auth import Credentials, TokenAuth
from orkg_sync.client.hosts import PRESETS, resolve_host
from orkg_sync.client.transport import RetryPolicy, Transport
from orkg_sync.errors import AuthError


def remote_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --host, --keycloak, --client-id; the wrapped command gets ``remote: RemoteConfig``."""

    @option(
        "--host",
        default="orkg",
        show_default=True,
        help=f"ORKG host: a preset ({', '.join(PRESETS)}) or a URL (http only for loopback).",
    )
    @click.option(
        "--keycloak",
        default=None,
        help="Keycloak base URL when it differs from the preset/host (default: the preset's, else the host).",
    )
    @click.option(
        "--client-id",
        default=None,
        envvar="ORKG_CLIENT_ID",
        help="OAuth client id (env ORKG_CLIENT_ID; default: orkg-client).",
    )
    @click.option(
        "--retries",
        type=click.IntRange(1, 20),
        default=RetryPolicy.attempts,
        show_default=True,
        envvar="ORKG_RETRIES",
        help="Attempts per request on network errors, 429 and 5xx (env ORKG_RETRIES).",
    )
    @click.option(
        "--retry-delay",
        type=click.FloatRange(0, 60),
        default=RetryPolicy.base_delay,
        show_default=True,
        envvar="ORKG_RETRY_DELAY",
        help="Base back-off in seconds, doubled per attempt with jitter (env ORKG_RETRY_DELAY).",
    )
    @functools.wraps(func)
    def wrapper(
        *args: Any,
        host: str,
        keycloak: str | None,
        client_id: str | None,
        retries: int,
        retry_delay: float,
        **kw: Any,
    ) -> Any:
        policy = RetryPolicy(attempts=retries, base_delay=retry_delay)
        return func(*args, remote=RemoteConfig(host, keycloak, client_id, policy=policy), **kw)

    return wrapper


class RemoteConfig:
    """Builds an :class:`OrkgApi`, anonymous for reads or logged in for writes."""

    def __init__(
        self,
        host: str,
        keycloak: str | None = None,
        client_id: str | None = None,
        *,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.host = resolve_host(host, keycloak)
        self.client_id = client_id
        self.policy = policy

    def api(self, *, login: bool = False, interactive: bool | None = None) -> OrkgApi:
        auth = None
        if login:
            creds = Credentials.from_env()
            if creds is None:
                if interactive is None:
                    interactive = sys.stdin.isatty()
                if not interactive:
                    raise AuthError(
                        f"{self.host.api_base} needs a login: set ORKG_TOKEN or ORKG_USERNAME + ORKG_PASSWORD"
                    )
                creds = Credentials.prompt()
            if self.client_id:
                creds.client_id = self.client_id
            auth = TokenAuth(self.host, creds)
        return OrkgApi(Transport(self.host, auth=auth, policy=self.policy))
