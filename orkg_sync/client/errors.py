"""Typed client errors whose one-line message tells the user which thing failed and what to do."""

from __future__ import annotations

from typing import Any

from orkg_sync.errors import AuthError, ConflictError, InputError, RemoteError


class NotFound(InputError):
    """The requested thing does not exist on the host (404)."""


class BadRequest(InputError):
    """The server rejected the request (400/4xx); ``problem_type`` carries the ORKG problem type."""

    def __init__(self, message: str, *, problem_type: str | None = None) -> None:
        super().__init__(message)
        self.problem_type = problem_type


class Unauthorized(AuthError):
    """401: missing, wrong or expired credentials."""


class Forbidden(AuthError):
    """403: logged in but not allowed to change this thing."""


class Conflict(ConflictError):
    """409/412: the remote changed under us; re-read before writing again."""


class RemoteUnavailable(RemoteError):
    """Host unreachable, timed out, or answering 5xx/429 after all retries."""


class BadResponse(RemoteError):
    """The answer is not the JSON we asked for (an HTML proxy page, a truncated body)."""


def problem_summary(body: Any) -> str:
    """Render the useful parts of an RFC 9457 problem+json body as ``type: detail``."""
    if not isinstance(body, dict):
        return ""
    ptype = body.get("type")
    detail = body.get("detail") or body.get("message") or body.get("title")
    parts = [str(p) for p in (ptype, detail) if p and p != "about:blank"]
    return ": ".join(parts)
