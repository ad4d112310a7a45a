"""`orkg-sync doctor`: the pre-flight a curator runs first against a host (writes nothing)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from orkg_sync.cli._remote import RemoteConfig, remote_options
from orkg_sync.cli.options import InputFile, OrkgId, command, option


@command
@click.command("doctor")
@remote_options
@option(
    "--comparison",
    type=OrkgId(),
    default=None,
    help="Also check this comparison (and, with --mapping, its columns; default: the host only).",
)
@option(
    "--mapping",
    "mapping_path",
    type=InputFile(suffixes=(".toml",)),
    help="Mapping file whose predicates and datatypes to check (default: none).",
)
def doctor_cmd(remote: RemoteConfig, comparison: str | None, mapping_path: Path | None) -> None:
    """Check that HOST can be synced with, one line per check (ok, warn, fail, skip):

    reachable; TLS; the media types we use (comparison v3, paper v2, the page envelope); the token
    endpoint and credentials (when ORKG_TOKEN or ORKG_USERNAME/ORKG_PASSWORD are set); the comparison
    exists and is a head or a published version; publish prerequisites (two sources, research field,
    authors); with --mapping: every mapped predicate resolves (by pinned id or a unique label), and each
    literal column's ORKG datatype accepts what the column's rule writes.

    Exit codes: 0 no check failed (warnings allowed), 1 a comparison/mapping check failed, 3 the host is
    unreachable or does not answer the media types, 4 the credentials were refused.
    """
    from orkg_sync.client.auth import Credentials
    from orkg_sync.doctor import Doctor
    from orkg_sync.mapping import load_mapping

    mapping = load_mapping(mapping_path) if mapping_path is not None else None
    if mapping is not None and comparison is None:
        comparison = mapping.comparison
    creds = Credentials.from_env()
    if creds is not None and remote.client_id:
        creds.client_id = remote.client_id
    doctor = Doctor(remote.host, comparison, mapping, creds)
    code = doctor.run(lambda c: click.echo(c.line()))
    if code:
        sys.exit(code)
