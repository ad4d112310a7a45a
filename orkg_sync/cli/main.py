"""Entry point: the `orkg-sync` click group and the error-to-exit-code boundary.

Commands live in sibling modules and are registered in :func:`_register`; any
:class:`~orkg_sync.errors.OrkgSyncError` raised below becomes one line on stderr and its exit code.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from orkg_sync import __version__
from orkg_sync.errors import OrkgSyncError


class _Group(click.Group):
    """Turns user errors into one clean line and a documented exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OrkgSyncError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(err.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="orkg-sync")
def main() -> None:
    """Turn an ORKG comparison into a validated linked-data dataset and keep the two in sync.

    Exit codes: 0 ok, 1 invalid data (SHACL violations), 2 usage or input error,
    3 remote/network error, 4 authentication error, 5 sync conflict, 6 interrupted push
    (resume it), 10 `diff --exit-code` found changes.
    """


def _register() -> None:
    """Attach every command module that exists (each helper owns one module)."""
    import importlib
    import pkgutil

    import orkg_sync.cli as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name in {"main"} or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"orkg_sync.cli.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, click.Command) and getattr(obj, "__orkg_sync_command__", False):
                main.add_command(obj)


def command(obj: click.Command) -> click.Command:
    """Mark a click command/group for registration on the top-level group."""
    obj.__orkg_sync_command__ = True  # type: ignore[attr-defined]
    return obj


_register()
