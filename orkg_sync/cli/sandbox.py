"""`orkg-sync sandbox`: run the local ORKG REST API stand-in (see docs/sandbox.md)."""

from __future__ import annotations

import ipaddress
import json
import sqlite3

import click

from orkg_sync.cli.main import command
from orkg_sync.errors import InputError


@command
@click.command("sandbox")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback only).")
@click.option("--port", default=8080, show_default=True, type=int, help="Port (0 = any free port).")
@click.option("--db", default="orkg-sandbox.sqlite", show_default=True, help="SQLite database file.")
@click.option("--seed/--no-seed", default=True, show_default=True, help="Seed an empty db from the snapshot.")
@click.option("--snapshot", default=None, help="Seed snapshot (default: the shipped R790020 snapshot).")
@click.option(
    "--reset",
    is_flag=True,
    help="Delete the database first (then seed again); refused while a sandbox serves it.",
)
@click.option("--token-ttl", default=300.0, show_default=True, type=float, help="Access token lifetime (s).")
@click.option("--accounts", default=None, help="JSON file with accounts (default: the documented ones).")
@click.option(
    "--faults", default=None, help='Fault injection as JSON, e.g. \'{"error_rate": 0.1, "seed": 1}\'.'
)
@click.option("--threads", default=8, show_default=True, type=int, help="Worker threads.")
def sandbox(
    host: str,
    port: int,
    db: str,
    seed: bool,
    snapshot: str | None,
    reset: bool,
    token_ttl: float,
    accounts: str | None,
    faults: str | None,
    threads: int,
) -> None:
    """Serve a local ORKG REST API seeded with comparison R790020."""
    from orkg_sync.resources import default_snapshot
    from orkg_sync.sandbox.faults import FaultConfig
    from orkg_sync.sandbox.lock import DatabaseInUse
    from orkg_sync.sandbox.server import build, listen, serve

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
        raise InputError(
            f"--host {host} --port {port}: cannot listen ({exc.strerror or exc}); nothing changed"
        ) from None
    try:
        app = build(
            db, seed=seed_file, reset=reset, token_ttl=token_ttl, accounts_file=accounts, faults=fault_cfg
        )
    except DatabaseInUse as exc:
        server.close()
        raise InputError(f"--db {db}: {exc}; nothing deleted") from None
    except OSError as exc:
        server.close()
        raise InputError(f"--db {db}: cannot use the database ({exc.strerror or exc})") from None
    except sqlite3.Error as exc:
        server.close()
        raise InputError(f"--db {db}: cannot use the database ({exc})") from None
    except ValueError as exc:
        server.close()
        raise InputError(str(exc)) from None
    serve(server, late, app, host)


def _check_host(host: str) -> None:
    try:
        if not ipaddress.ip_address(host).is_loopback:
            raise InputError(f"--host {host}: the sandbox binds to loopback addresses only")
    except ValueError:
        if host != "localhost":
            raise InputError(f"--host {host}: not an IP address") from None
