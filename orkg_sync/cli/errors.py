"""The one place where a failure becomes ``error: <what and where>`` and a documented exit code.

:func:`describe` knows every failure a user can cause (our own errors, click's usage errors, a
declined prompt, Ctrl-C, the filesystem, the network); the top-level group (``cli/main.py``) prints its
line and exits with its code. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import click

from orkg_sync.errors import (
    EXIT_DECLINED,
    EXIT_INTERRUPTED,
    EXIT_REMOTE,
    EXIT_USAGE,
    OrkgSyncError,
)


def describe(err: BaseException) -> tuple[str, int] | None:
    """The one line (without ``error: ``) and the exit code for ``err``; None when it is a bug."""
    if isinstance(err, OrkgSyncError):
        return str(err), err.exit_code
    if isinstance(err, click.UsageError):
        return _usage(err), err.exit_code
    if isinstance(err, click.ClickException):
        return err.format_message(), err.exit_code
    if isinstance(err, click.Abort):
        if _interrupted(err):
            return "interrupted (Ctrl-C)", EXIT_INTERRUPTED
        return "not confirmed; nothing was done", EXIT_DECLINED
    if isinstance(err, KeyboardInterrupt):
        return "interrupted (Ctrl-C)", EXIT_INTERRUPTED
    network = _network(err)
    if network is not None:
        return network, EXIT_REMOTE
    if isinstance(err, OSError):
        where = f"{err.filename}: " if err.filename else ""
        return f"{where}{err.strerror or err}", EXIT_USAGE
    if isinstance(err, UnicodeDecodeError):
        return f"input is not UTF-8 text ({err.reason} at byte {err.start})", EXIT_USAGE
    return None


def _usage(err: click.UsageError) -> str:
    if isinstance(err, click.BadParameter) and err.param is not None:
        hint = err.param.opts[0] if isinstance(err.param, click.Option) else err.param.human_readable_name
        return f"{hint} {' '.join(err.message.split())}"  # "--port 99999 is not in the range ..."
    msg = " ".join(err.format_message().split())
    ctx = err.ctx
    if ctx is None:
        return msg
    if ctx.parent is None:  # the group itself: no such command, bad global option
        return f"{msg} (see 'orkg-sync --help')"
    return f"{ctx.command.name}: {msg} (see 'orkg-sync {ctx.command.name} --help')"


def _interrupted(err: BaseException) -> bool:
    seen: BaseException | None = err
    for _ in range(5):
        if seen is None:
            return False
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _network(err: BaseException) -> str | None:
    """A one-line description of a requests failure that escaped the client (e.g. a SPARQL endpoint)."""
    import requests

    if not isinstance(err, requests.RequestException):
        return None
    url = getattr(err.request, "url", None) if err.request is not None else None
    reason = " ".join(str(err).split()) or type(err).__name__
    if isinstance(err, requests.ConnectionError):
        reason = "cannot connect"
    elif isinstance(err, requests.Timeout):
        reason = "timed out"
    return f"{url}: {reason}" if url else reason


__all__ = ["describe"]
