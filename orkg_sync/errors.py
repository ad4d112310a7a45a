"""Typed errors and the exit-code scheme every command shares.

Every error a user can cause is an :class:`OrkgSyncError`; the CLI prints its one-line
message (never a traceback) and exits with its code. Codes are documented in the README.
"""

from __future__ import annotations

# Exit codes (documented in README "Exit codes" and `orkg-sync --help`; tests/cli/test_exit_codes.py
# checks that all three agree).
EXIT_OK = 0
EXIT_INVALID_DATA = 1  # SHACL violations / data the mapping rejects
EXIT_USAGE = 2  # bad option, missing/malformed file, unknown query name (click uses 2 as well)
EXIT_REMOTE = 3  # ORKG or SPARQL endpoint unreachable, timeout, 5xx, non-JSON answer
EXIT_AUTH = 4  # missing, bad or expired credentials; insufficient rights
EXIT_CONFLICT = 5  # sync conflict, or the remote moved since a saved plan was made
EXIT_INCOMPLETE = 6  # an interrupted push left a journal: run `push --resume`
EXIT_DECLINED = 7  # the user answered "no" to a confirmation: nothing was done
EXIT_LISTEN = 8  # a server (serve, sandbox) cannot listen: port in use, permission denied, bad address
EXIT_CHANGES = 10  # `diff --exit-code`: changes exist (never used by an error)
EXIT_INTERRUPTED = 130  # Ctrl-C (SIGINT), as shells report it
EXIT_PIPE = 141  # the reader of stdout went away (`| head`): 128 + SIGPIPE, as shells report it


class OrkgSyncError(Exception):
    """Base of all user-facing errors: ``str(err)`` is the one line shown to the user."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class InputError(OrkgSyncError):
    """A file, option or identifier given by the user is unusable (missing, malformed, unknown)."""

    exit_code = EXIT_USAGE


class InvalidDataError(OrkgSyncError):
    """The data violates the shapes or cannot be mapped."""

    exit_code = EXIT_INVALID_DATA


class RemoteError(OrkgSyncError):
    """A remote service failed: unreachable, timed out, 5xx, or answered something unusable."""

    exit_code = EXIT_REMOTE


class AuthError(OrkgSyncError):
    """Credentials are missing, wrong or expired, or lack the rights for the operation."""

    exit_code = EXIT_AUTH


class ConflictError(OrkgSyncError):
    """Local and remote changed the same value differently, or the remote moved under a plan."""

    exit_code = EXIT_CONFLICT


class IncompleteError(OrkgSyncError):
    """A previous run stopped half-way; the message says how to resume."""

    exit_code = EXIT_INCOMPLETE


class DeclinedError(OrkgSyncError):
    """The user answered "no" (or typed something else) at a confirmation prompt; nothing was done."""

    exit_code = EXIT_DECLINED


class ListenError(OrkgSyncError):
    """A server cannot listen on the address and port asked for (in use, not permitted, unknown)."""

    exit_code = EXIT_LISTEN
