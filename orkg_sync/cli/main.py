"""Entry point: the `orkg-sync` click group and the error-to-exit-code boundary.

Commands live in sibling modules marked with :func:`~orkg_sync.cli.options.command`; they are
registered the first time the group lists or looks up a command (not at import time, so importing a
command module before this one cannot hide it). Every failure a user can cause is turned into one
line on stderr and its exit code by :func:`orkg_sync.cli.errors.describe`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import click

from orkg_sync import __version__
from orkg_sync.cli.errors import describe
from orkg_sync.cli.options import command
from orkg_sync.errors import EXIT_PIPE

__all__ = ["command", "main"]


class _Group(click.Group):
    """Registers the command modules lazily and prints every user error as one line, never a traceback."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except SystemExit:
            raise
        except BaseException as err:
            found = describe(err)
            if found is None:
                raise
            line, code = found
            click.echo(f"error: {line}", err=True)
            sys.exit(code)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        # Before click's own EPIPE handling, which exits 1 (our "invalid data")
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _stdout_gone()
            sys.exit(EXIT_PIPE)

    def list_commands(self, ctx: click.Context) -> list[str]:
        if self is main:
            _register()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if self is main:
            _register()
        return super().get_command(ctx, cmd_name)


def _stdout_gone() -> None:
    """The reader closed the pipe (``| head``): as for a command killed by SIGPIPE, say nothing, and
    point stdout at /dev/null so the interpreter's last flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (e.g. under a test runner)
        pass


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="orkg-sync")
def main() -> None:
    """Turn an ORKG comparison into a validated linked-data dataset and keep the two in sync.

    \b
    Exit codes:
      0    ok
      1    invalid data (SHACL violations; warnings too with --strict)
      2    usage or input error (bad option, missing/malformed file)
      3    remote or network error
      4    authentication error
      5    sync conflict
      6    interrupted push (run `push --resume`)
      7    a confirmation was declined (nothing done)
      8    a server cannot listen (port in use, not permitted)
      10   `diff --exit-code` / `pull --exit-code` found changes
      130  interrupted (Ctrl-C)
      141  the reader of the output went away (e.g. `| head`); silent
    """


_registered = False


def _register() -> None:
    """Attach every command module of ``orkg_sync.cli`` that exists (each helper owns one module)."""
    global _registered
    if _registered:
        return
    _registered = True
    import importlib
    import pkgutil

    import orkg_sync.cli as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name in {"main", "errors", "options"} or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"orkg_sync.cli.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, click.Command) and getattr(obj, "__orkg_sync_command__", False):
                main.add_command(obj)
