"""`orkg-sync sandbox`: run the local ORKG REST API stand-in (see docs/sandbox.md)."""

from __future__ import annotations

import ipaddress
import json
import sqlite3
from pathlib import Path

import click

from orkg_sync.cli.options import InputFile, OutputPath, bind_options, command, option
from orkg_sync.errors import InputError, ListenError


@command
@click.command("sandbox")
@bind_options(default_port=8080)
@click.option(
    "--db",
    type=OutputPath("file"),
    default="orkg-sandbox.sqlite",
    show_default=True,
    help="SQLite database file.",
)
@click.option("--seed/--no-seed", default=True, show_default=True, help="Seed an empty db from the snapshot.")
@option(
    "--snapshot",
    type=InputFile(suffixes=(".json",)),
    default=None,
    help="Seed snapshot (default: the shipped R790020 snapshot).",
)
@click.option(
    "--reset",
    is_flag=True,
    help="Delete the database first (then seed again); refused while a sandbox serves it.",
)
@click.option(
    "--token-ttl",
    default=300.0,
    show_default=True,
    type=click.FloatRange(0),
    help="Access token lifetime (s; 0 = every token is already expired, for rehearsing refreshes).",
)
@click.option(
    "--accounts",
    type=InputFile(suffixes=(".json",)),
    default=None,
    help="JSON file with accounts (default: the documented ones).",
)
@click.option(
    "--faults",
    default=None,
    help='Fault injection as JSON, e.g. \'{"error_rate": 0.1, "seed": 1}\' (default: none).',
)
def sandbox(
    bind: str,
    port: int,
    threads: int,
    db: Path,
    seed: bool,
    snapshot: Path | None,
    reset: bool,
    token_ttl: float,
    accounts: Path | None,
    faults: str | None,
) -> None:
    """Serve a local ORKG REST API seeded with R790020 and four smaller comparisons (docs/sandbox.md)."""
    from orkg_sync.resources import default_snapshot
    from orkg_sync.sandbox.faults import FaultConfig
    from orkg_sync.sandbox.lock import DatabaseInUse
    from orkg_sync.sandbox.server import build, listen, serve

    host = bind
    _check_host(host)
    fault_cfg = None
    if faults:
        try:
            fault_cfg = FaultConfig.from_dict(json.loads(faults))
        except (ValueError, TypeError) as exc:
            raise InputError(f"--faults: {exc}") from None
    seed_file = (snapshot or str(default_snapshot())) if seed else None
    try:  # the port first: a port in use must not cost the database (issue 9, --reset)
        server, late = listen(host, port, threads)
    except OSError as exc:
        detail = exc.strerror or exc
        raise ListenError(f"--bind {host} --port {port}: cannot listen ({detail}); nothing changed") from None
    fresh = not db.exists()
    try:
        app = build(
            db,
            seed=seed_file,
            reset=reset,
            token_ttl=token_ttl,
            accounts_file=str(accounts) if accounts else None,
            faults=fault_cfg,
        )
    except DatabaseInUse as exc:  # never _forget: the database is another sandbox's
        server.close()
        raise InputError(f"--db {db}: {exc}; nothing deleted") from None
    except (sqlite3.Error, OSError) as exc:
        server.close()
        _forget(db, fresh)
        raise InputError(f"--db {db}: cannot use the database ({exc})") from None
    except ValueError as exc:
        server.close()
        _forget(db, fresh)
        raise InputError(str(exc)) from None
    except BaseException:
        server.close()
        _forget(db, fresh)
        raise
    serve(server, late, app, host)


def _check_host(host: str) -> None:
    try:
        if not ipaddress.ip_address(host).is_loopback:
            raise InputError(f"--bind {host}: the sandbox binds to loopback addresses only")
    except ValueError:
        if host != "localhost":
            raise InputError(f"--bind {host}: not an IP address") from None


def _forget(db: Path, fresh: bool) -> None:
    """A failed start leaves no new database behind (a bad --snapshot must not create files)."""
    if fresh:
        for suffix in ("", "-wal", "-shm", "-journal", ".lock"):
            Path(str(db) + suffix).unlink(missing_ok=True)
