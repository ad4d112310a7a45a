from __future__ import annotations

import pytest

from orkg_sync.client.hosts import is_loopback, resolve_host
from orkg_sync.errors import InputError


def test_presets():
    assert resolve_host(None).api_base == "https://orkg.org"
    assert (
        resolve_host("orkg").token_url
        == "https://accounts.orkg.org/realms/orkg/protocol/openid-connect/token"
    )
    assert resolve_host("sandbox").api_base == "https://sandbox.orkg.org"
    assert resolve_host("incubating").api_base == "https://incubating.orkg.org"
    local = resolve_host("local")
    assert local.api_base == local.keycloak_base == "http://127.0.0.1:8080"


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9", "http://127.3.4.5/", "http://[::1]:8080", "http://localhost"]
)
def test_http_allowed_for_loopback(url):
    assert resolve_host(url).api_base == url.rstrip("/")


@pytest.mark.parametrize(
    "url", ["http://orkg.org", "http://10.0.0.1", "http://128.0.0.1", "ftp://x", "orkgg"]
)
def test_refused(url):
    with pytest.raises(InputError):
        resolve_host(url)


def test_custom_https_and_keycloak():
    h = resolve_host("https://orkg.example.net/", keycloak="https://kc.example.net")
    assert h.api_base == "https://orkg.example.net" and h.keycloak_base == "https://kc.example.net"
    with pytest.raises(InputError):
        resolve_host("orkg", keycloak="http://kc.example.net")
    assert not is_loopback("localhost.example.org")
