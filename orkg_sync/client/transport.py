"""Pooled requests session with explicit timeouts, a bounded retry loop for GETs, and typed errors.

Writes are never retried here: a POST whose answer was lost may have succeeded. Callers that want
to retry a write re-read the remote first (see :meth:`Transport.write_after_reread`).
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import requests
from requests.adapters import HTTPAdapter

from orkg_sync.client.errors import (
    BadRequest,
    BadResponse,
    Conflict,
    Forbidden,
    NotFound,
    RemoteUnavailable,
    Unauthorized,
    problem_summary,
)
from orkg_sync.client.hosts import Host

log = logging.getLogger("orkg_sync.client")
T = TypeVar("T")
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
# ChunkedEncodingError covers a body cut short (Content-Length not met / connection dropped mid-body).
NETWORK_ERRORS = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, bounded both in attempts and in total seconds."""

    attempts: int = 5
    base_delay: float = 0.2
    max_delay: float = 8.0
    total_time: float = 30.0
    connect_timeout: float = 5.0
    read_timeout: float = 30.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after  # honoured as given; the total_time bound decides whether we wait at all
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date); None if absent or unusable."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class Transport:
    """One pooled session per host; counts requests so benchmarks can report them."""

    def __init__(
        self,
        host: Host,
        *,
        auth: requests.auth.AuthBase | None = None,
        policy: RetryPolicy | None = None,
        pool_size: int = 16,
        user_agent: str = "orkg-sync",
    ) -> None:
        self.host = host
        self.policy = policy or RetryPolicy()
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = user_agent
        self.session.auth = auth
        self.session.trust_env = False  # a stray proxy env var must not see our bearer token
        self._lock = threading.Lock()
        self.request_count = 0

    def __repr__(self) -> str:
        return f"Transport(host={self.host.api_base!r}, requests={self.request_count})"

    def close(self) -> None:
        self.session.close()

    def _send(self, method: str, url: str, **kw: Any) -> requests.Response:
        with self._lock:
            self.request_count += 1
        timeout = (self.policy.connect_timeout, self.policy.read_timeout)
        return self.session.request(method, url, timeout=timeout, **kw)

    def request(
        self,
        method: str,
        path: str,
        *,
        what: str,
        accept: str = "application/json",
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        content_type: str | None = None,
    ) -> requests.Response:
        """Send one request; GET/HEAD retried per the policy. ``what`` names the thing for messages."""
        url = self.host.url(path)
        headers = {"Accept": accept}
        data = None
        if json_body is not None:
            headers["Content-Type"] = content_type or "application/json"
            data = json.dumps(json_body)
        elif content_type:
            headers["Content-Type"] = content_type
        idempotent = method in {"GET", "HEAD"}
        started = time.monotonic()
        sent = 0
        while True:
            retry_after: float | None = None
            last: requests.Response | None = None
            try:
                sent += 1
                resp = self._send(method, url, params=params, data=data, headers=headers)
                if resp.status_code not in RETRY_STATUS:
                    # Read the body inside the loop so a connection dropped mid-body is retried too.
                    _ = resp.content
                    break
                retry_after = parse_retry_after(resp.headers.get("Retry-After"))
                failure = f"HTTP {resp.status_code}"
                last = resp
            except NETWORK_ERRORS as err:
                failure = _describe_network_error(err)
            delay = self.policy.delay(sent, retry_after)
            elapsed = time.monotonic() - started
            if not idempotent or sent >= self.policy.attempts or elapsed + delay > self.policy.total_time:
                if last is not None:
                    resp = last
                    break
                raise RemoteUnavailable(
                    f"{what}: {self.host.api_base} {failure} after {sent} attempt(s){_write_hint(idempotent)}"
                ) from None
            log.info("%s %s: %s, retry %d in %.2fs", method, path, failure, sent, delay)
            time.sleep(delay)
        if resp.status_code >= 400:
            failed = _status_error(resp, what, self.host.api_base, sent)
            if resp.status_code >= 500 and not idempotent:
                failed = RemoteUnavailable(f"{failed}{_write_hint(False)}")
            raise failed
        return resp

    def get_json(self, path: str, *, what: str, accept: str = "application/json", **kw: Any) -> Any:
        """GET and decode JSON, turning HTML pages and truncated bodies into :class:`BadResponse`."""
        return decode_json(self.request("GET", path, what=what, accept=accept, **kw), what)

    def write_after_reread(
        self,
        reread: Callable[[], T],
        needs_write: Callable[[T], bool],
        write: Callable[[], requests.Response],
    ) -> requests.Response | None:
        """Retry-safe write: after a network failure re-read the remote and write again only if still needed.

        Returns None when the re-read shows the first attempt had already taken effect.
        """
        try:
            return write()
        except RemoteUnavailable:
            state = reread()
            if not needs_write(state):
                return None
            return write()


def _write_hint(idempotent: bool) -> str:
    if idempotent:
        return ""
    return " (writes are not retried: it may or may not have happened; re-read before trying again)"


def _describe_network_error(err: Exception) -> str:
    if isinstance(err, requests.ConnectTimeout):
        return "connect timed out"
    if isinstance(err, requests.ReadTimeout):
        return "read timed out"
    if isinstance(err, requests.exceptions.ChunkedEncodingError):
        return "connection dropped mid-answer"
    if isinstance(err, requests.ConnectionError):
        text = str(err)
        if "Connection refused" in text or "NewConnectionError" in text:
            return "unreachable (connection refused)"
        if "Name or service not known" in text or "NameResolutionError" in text:
            return "unreachable (unknown host name)"
        return "connection dropped"
    return type(err).__name__


def decode_json(resp: requests.Response, what: str) -> Any:
    ctype = resp.headers.get("Content-Type", "")
    if "json" not in ctype:
        snippet = " ".join(resp.text[:80].split())
        raise BadResponse(
            f"{what}: expected JSON from {resp.url.split('?')[0]} but got {ctype or 'no content type'} "
            f"(HTTP {resp.status_code}: {snippet!r}); a proxy may be failing, try again later"
        )
    try:
        return resp.json()
    except ValueError:
        raise BadResponse(
            f"{what}: malformed or truncated JSON from {resp.url.split('?')[0]} "
            f"({len(resp.content)} bytes); try again later"
        ) from None


def _status_error(resp: requests.Response, what: str, base: str, attempts: int) -> Exception:
    body: Any = None
    if "json" in resp.headers.get("Content-Type", ""):
        try:
            body = resp.json()
        except ValueError:
            body = None
    problem = problem_summary(body)
    suffix = f" ({problem})" if problem else ""
    code = resp.status_code
    if code == 404:
        return NotFound(f"{what} not found on {base}{suffix}; check the id and --host")
    if code == 401:
        return Unauthorized(
            f"{what}: {base} rejected the credentials (401){suffix}; "
            "check ORKG_USERNAME/ORKG_PASSWORD or ORKG_TOKEN"
        )
    if code == 403:
        return Forbidden(f"{what}: not allowed on {base} (403){suffix}; this account may not change it")
    if code in {409, 412}:
        return Conflict(f"{what}: the remote changed ({code}){suffix}; pull again and retry")
    if code >= 500 or code == 429:
        return RemoteUnavailable(f"{what}: {base} answered HTTP {code} after {attempts} attempt(s){suffix}")
    ptype = body.get("type") if isinstance(body, dict) else None
    return BadRequest(f"{what}: {base} rejected the request (HTTP {code}){suffix}", problem_type=ptype)
