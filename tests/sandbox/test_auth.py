"""Contract tests: Keycloak-compatible token endpoint and write protection."""

from __future__ import annotations

import requests

TOKEN = "/realms/orkg/protocol/openid-connect/token"


def test_password_grant_and_refresh(sandbox):
    r = requests.post(
        f"{sandbox.url}{TOKEN}",
        data={
            "grant_type": "password",
            "client_id": "orkg-client",
            "username": sandbox.username,
            "password": sandbox.password,
        },
        timeout=10,
    )
    assert r.status_code == 200
    body = r.json()
    assert {"access_token", "expires_in", "refresh_token", "refresh_expires_in", "token_type"} <= set(body)
    assert body["token_type"] == "Bearer" and body["expires_in"] > 0
    again = requests.post(
        f"{sandbox.url}{TOKEN}",
        data={
            "grant_type": "password",
            "client_id": "orkg-client",
            "username": sandbox.username,
            "password": sandbox.password,
        },
        timeout=10,
    ).json()
    assert again["access_token"] != body["access_token"]  # random
    ref = requests.post(
        f"{sandbox.url}{TOKEN}",
        data={
            "grant_type": "refresh_token",
            "client_id": "orkg-client",
            "refresh_token": body["refresh_token"],
        },
        timeout=10,
    )
    assert ref.status_code == 200
    me = requests.get(
        f"{sandbox.url}/api/user",
        headers={"Authorization": f"Bearer {ref.json()['access_token']}"},
        timeout=10,
    )
    assert me.json()["id"] == sandbox.user_id and me.json()["is_curation_allowed"] is True
    reused = requests.post(
        f"{sandbox.url}{TOKEN}",
        data={
            "grant_type": "refresh_token",
            "client_id": "orkg-client",
            "refresh_token": body["refresh_token"],
        },
        timeout=10,
    )
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


def test_wrong_password_and_client(sandbox):
    r = requests.post(
        f"{sandbox.url}{TOKEN}",
        data={
            "grant_type": "password",
            "client_id": "orkg-client",
            "username": sandbox.username,
            "password": "nope",
        },
        timeout=10,
    )
    assert r.status_code == 401 and r.json()["error"] == "invalid_grant"
    r = requests.post(
        f"{sandbox.url}{TOKEN}",
        data={
            "grant_type": "password",
            "client_id": "evil",
            "username": sandbox.username,
            "password": sandbox.password,
        },
        timeout=10,
    )
    assert r.status_code == 401


def test_write_without_token_is_403_access_denied(sandbox):
    r = requests.post(f"{sandbox.url}/api/resources", json={"label": "x"}, timeout=10)
    assert r.status_code == 403
    assert r.json()["type"] == "orkg:problem:access_denied"
    assert requests.delete(f"{sandbox.url}/api/statements/S9000001", timeout=10).status_code == 403


def test_bad_token_is_401_with_www_authenticate(sandbox):
    h = {"Authorization": "Bearer not-a-token"}
    r = requests.post(f"{sandbox.url}/api/resources", json={"label": "x"}, headers=h, timeout=10)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    g = requests.get(f"{sandbox.url}/api/resources/R790020", headers=h, timeout=10)
    assert g.status_code == 401  # also on reads, as Spring's bearer filter does


def test_expired_token_is_401(tmp_path):
    from tests.conftest import SandboxServer

    srv = SandboxServer(tmp_path / "db.sqlite", extra_args=["--token-ttl", "0"])
    srv.start()
    try:
        tok = srv.token()
        r = requests.post(
            f"{srv.url}/api/resources",
            json={"label": "x"},
            headers={"Authorization": f"Bearer {tok}"},
            timeout=10,
        )
        assert r.status_code == 401
    finally:
        srv.stop()


def test_reads_are_anonymous_and_created_by_is_token_user(sandbox):
    assert requests.get(f"{sandbox.url}/api/statements", timeout=10).status_code == 200
    tok = sandbox.token(sandbox.other_username, sandbox.other_password)
    r = requests.post(
        f"{sandbox.url}/api/predicates",
        json={"label": "by other"},
        headers={"Authorization": f"Bearer {tok}"},
        timeout=10,
    )
    assert requests.get(r.headers["Location"], timeout=10).json()["created_by"] == sandbox.other_user_id
