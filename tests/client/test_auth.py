"""Keycloak password grant, refresh, Bearer hook, and that secrets never leak."""

from __future__ import annotations

import logging
import secrets

import click
import pytest
from click.testing import CliRunner

from orkg_sync.cli._remote import RemoteConfig, remote_options
from orkg_sync.client.api import OrkgApi
from orkg_sync.client.auth import Credentials, TokenAuth
from orkg_sync.client.errors import Unauthorized
from orkg_sync.client.hosts import resolve_host
from orkg_sync.client.transport import RetryPolicy, Transport
from orkg_sync.errors import EXIT_AUTH, OrkgSyncError

TOKEN_PATH = "/realms/orkg/protocol/openid-connect/token"
FAST = RetryPolicy(attempts=2, base_delay=0.01, total_time=3, connect_timeout=1, read_timeout=2)


class Keycloak:
    """Issues short-lived tokens on the fake server and checks bearer headers on a write endpoint."""

    def __init__(self, fake, password: str, expires_in: int = 300) -> None:
        self.issued: list[str] = []
        self.grants: list[dict[str, list[str]]] = []
        self.refresh = "rt-" + secrets.token_hex(8)

        @fake.route("POST", TOKEN_PATH)
        def _(c):
            from urllib.parse import parse_qs

            form = parse_qs(c.req.body.decode())
            self.grants.append(form)
            ok = (form["grant_type"] == ["password"] and form["password"] == [password]) or (
                form["grant_type"] == ["refresh_token"] and form["refresh_token"] == [self.refresh]
            )
            if not ok:
                c.send(401, {"error": "invalid_grant", "error_description": "Invalid user credentials"})
                return
            token = "at-" + secrets.token_hex(16)
            self.issued.append(token)
            c.send(
                200,
                {
                    "access_token": token,
                    "expires_in": expires_in,
                    "refresh_token": self.refresh,
                    "token_type": "Bearer",
                },
            )

        @fake.route("POST", "/api/literals")
        def _(c):
            if c.req.headers.get("Authorization") != f"Bearer {self.issued[-1] if self.issued else ''}":
                c.send(401, {"type": "about:blank", "detail": "invalid token"}, "application/problem+json")
                return
            c.send(201, b"", Location=f"{fake.base}/api/literals/L{len(self.issued)}")


def test_password_grant_then_bearer(fake):
    kc = Keycloak(fake, "s3cret")
    host = resolve_host(fake.base)
    auth = TokenAuth(host, Credentials("ann@example.org", "s3cret", client_id="my-client"))
    api = OrkgApi(Transport(host, auth=auth, policy=FAST))
    assert api.create_literal("a") == "L1"
    assert api.create_literal("b") == "L1"  # token reused while valid
    assert len(kc.grants) == 1
    assert kc.grants[0]["client_id"] == ["my-client"] and kc.grants[0]["username"] == ["ann@example.org"]


def test_refresh_before_expiry_uses_refresh_token(fake):
    kc = Keycloak(fake, "pw", expires_in=30)
    host = resolve_host(fake.base)
    # margin >= lifetime: every use counts as "about to expire", so refresh happens without sleeping
    auth = TokenAuth(host, Credentials("u", "pw"), refresh_margin=30)
    api = OrkgApi(Transport(host, auth=auth, policy=FAST))
    api.create_literal("a")
    api.create_literal("b")
    assert [g["grant_type"][0] for g in kc.grants] == ["password", "refresh_token"]
    assert kc.grants[1]["refresh_token"] == [kc.refresh]
    assert len(kc.issued) == 2


def test_expired_refresh_token_falls_back_to_password(fake):
    kc = Keycloak(fake, "pw", expires_in=30)
    host = resolve_host(fake.base)
    auth = TokenAuth(host, Credentials("u", "pw"), refresh_margin=30)
    api = OrkgApi(Transport(host, auth=auth, policy=FAST))
    api.create_literal("a")
    kc.refresh = "rotated"  # server no longer accepts the old refresh token
    api.create_literal("b")
    assert [g["grant_type"][0] for g in kc.grants] == ["password", "refresh_token", "password"]


def test_wrong_password_is_auth_error(fake):
    Keycloak(fake, "right")
    host = resolve_host(fake.base)
    api = OrkgApi(Transport(host, auth=TokenAuth(host, Credentials("u", "wrong")), policy=FAST))
    with pytest.raises(Unauthorized) as info:
        api.create_literal("x")
    assert info.value.exit_code == EXIT_AUTH and "Invalid user credentials" in str(info.value)


def test_ready_token_is_sent_and_rejected_cleanly(fake):
    Keycloak(fake, "pw")
    host = resolve_host(fake.base)
    api = OrkgApi(Transport(host, auth=TokenAuth(host, Credentials(token="stale-token")), policy=FAST))
    with pytest.raises(Unauthorized):
        api.create_literal("x")
    assert fake.hits("/api/literals")[0].headers["Authorization"] == "Bearer stale-token"


def test_credentials_from_env():
    assert Credentials.from_env({}) is None
    c = Credentials.from_env({"ORKG_USERNAME": "u", "ORKG_PASSWORD": "p", "ORKG_CLIENT_ID": "x"})
    assert c is not None and (c.username, c.password, c.client_id) == ("u", "p", "x")
    t = Credentials.from_env({"ORKG_TOKEN": "t", "ORKG_USERNAME": "u", "ORKG_PASSWORD": "p"})
    assert t is not None and t.token == "t" and t.client_id == "orkg-client"


def test_secrets_never_leak(fake, caplog, closed_port):
    """Scan every log record, repr and error message produced around auth for the token and password."""
    password = "pw-" + secrets.token_hex(12)
    kc = Keycloak(fake, password)
    caplog.set_level(logging.DEBUG)  # includes urllib3's connection logs
    host = resolve_host(fake.base)
    creds = Credentials("u", password)
    auth = TokenAuth(host, creds)
    transport = Transport(host, auth=auth, policy=FAST)
    api = OrkgApi(transport)
    texts = [repr(creds), repr(auth), repr(transport), repr(api)]
    api.create_literal("ok")
    texts.append(repr(auth))

    @fake.route("POST", "/api/statements")
    def _(c):
        c.send(403, {"type": "orkg:problem:forbidden", "detail": "nope"}, "application/problem+json")

    for call in (
        lambda: api.create_statement("R1", "P1", "L1"),
        lambda: OrkgApi(
            Transport(host, auth=TokenAuth(host, Credentials("u", "bad" + password)))
        ).create_literal("x"),
        lambda: OrkgApi(
            Transport(
                resolve_host(f"http://127.0.0.1:{closed_port}"),
                policy=FAST,
                auth=TokenAuth(resolve_host(f"http://127.0.0.1:{closed_port}"), creds),
            )
        ).create_literal("x"),
    ):
        with pytest.raises(OrkgSyncError) as info:
            call()
        texts += [str(info.value), repr(info.value)]
    texts += [r.getMessage() for r in caplog.records]
    blob = "\n".join(texts)
    assert kc.issued and blob  # the scan really had something to look at
    for secret in [password, *kc.issued, kc.refresh]:
        assert secret not in blob


def test_remote_options_refuse_plain_http_and_missing_login(monkeypatch):
    from orkg_sync.cli.main import _Group

    @click.group(cls=_Group)
    def cli() -> None:
        pass

    @cli.command()
    @remote_options
    def probe(remote: RemoteConfig) -> None:
        remote.api(login=True, interactive=False)
        click.echo(remote.host.api_base)

    for var in ("ORKG_TOKEN", "ORKG_USERNAME", "ORKG_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    runner = CliRunner()
    res = runner.invoke(cli, ["probe", "--host", "http://example.org"])
    assert res.exit_code == 2 and "plain http is refused" in res.output and "Traceback" not in res.output
    res = runner.invoke(cli, ["probe", "--host", "local"])
    assert res.exit_code == EXIT_AUTH and "ORKG_TOKEN" in res.output
    monkeypatch.setenv("ORKG_TOKEN", "tok")
    res = runner.invoke(cli, ["probe", "--host", "sandbox"])
    assert res.exit_code == 0 and res.output.strip() == "https://sandbox.orkg.org"
    assert "--password" not in runner.invoke(cli, ["probe", "--help"]).output
