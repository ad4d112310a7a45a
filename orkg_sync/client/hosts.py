"""Host presets and the rule that plain http is only allowed to loopback."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from orkg_sync.errors import InputError

# Keycloak bases for sandbox/incubating are an ASSUMPTION by analogy with production
# (accounts.orkg.org); the API spec (orkg-api.md section 11) only documents production.
PRESETS: dict[str, tuple[str, str]] = {
    "orkg": ("https://orkg.org", "https://accounts.orkg.org"),
    "sandbox": ("https://sandbox.orkg.org", "https://accounts.sandbox.orkg.org"),
    "incubating": ("https://incubating.orkg.org", "https://accounts.incubating.orkg.org"),
    # Our sandbox serves the token endpoint itself, on the same host as the API.
    "local": ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
}
DEFAULT_HOST = "orkg"
REALM = "orkg"


@dataclass(frozen=True)
class Host:
    """An ORKG deployment: API base URL and the Keycloak base that issues its tokens."""

    name: str
    api_base: str
    keycloak_base: str

    @property
    def token_url(self) -> str:
        return f"{self.keycloak_base}/realms/{REALM}/protocol/openid-connect/token"

    def url(self, path: str) -> str:
        return self.api_base + path


def is_loopback(hostname: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1 — the only places plain http may go."""
    name = hostname.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_url(url: str, what: str = "host") -> str:
    """Validate a base URL: http(s) with a hostname, http only for loopback; strips a trailing /."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or any(c.isspace() for c in url):
        raise InputError(f"--{what} {url!r}: not a preset ({', '.join(PRESETS)}) nor an http(s) URL")
    try:
        parts.port  # noqa: B018 - raises ValueError when out of range or not a number
    except ValueError:
        raise InputError(f"--{what} {url!r}: bad port (1-65535)") from None
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise InputError(
            f"--{what} {url!r}: plain http is refused for non-loopback hosts (credentials would travel "
            "unencrypted); use https://"
        )
    return url.rstrip("/")


def resolve_host(value: str | None, keycloak: str | None = None) -> Host:
    """Turn a preset name or URL into a Host; a custom URL uses itself as Keycloak base unless given."""
    value = value or DEFAULT_HOST
    if value in PRESETS:
        api, kc = PRESETS[value]
        return Host(value, api, check_url(keycloak, "keycloak") if keycloak else kc)
    api = check_url(value)
    return Host(api, api, check_url(keycloak, "keycloak") if keycloak else api)
