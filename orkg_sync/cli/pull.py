"""`orkg-sync pull`: read a comparison from ORKG into a snapshot, a sync base and the RDF dataset."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from orkg_sync.cli._remote import RemoteConfig, remote_options
from orkg_sync.cli.options import InputFile, OrkgId, base_option, command, needs, option, workspace_option
from orkg_sync.cli.progress import terminal_progress

DEFAULT_OUT = Path("data/pull")


@command
@click.command("pull")
@needs("exit_code", "against_published")
@option(
    "--comparison",
    type=OrkgId(),
    default="R790020",
    show_default=True,
    help="ORKG comparison id (head or published version).",
)
@remote_options
@workspace_option(output=True, dest="out")
@option(
    "--mapping",
    "mapping_path",
    type=InputFile(suffixes=(".toml",)),
    help="Mapping file (TOML; default: the shipped mapping).",
)
@base_option
@option("--force", is_flag=True, help="Overwrite a dataset.ttl that has local edits.")
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@option("--json", "as_json", is_flag=True, help="Print a machine-readable summary.")
@click.option(
    "--against-published",
    is_flag=True,
    help="Write nothing; show how the live sources differ from the published version's frozen table.",
)
@click.option("--exit-code", is_flag=True, help="With --against-published: exit 10 when there is drift.")
def pull_cmd(
    comparison: str,
    remote: RemoteConfig,
    out: Path,
    mapping_path: Path | None,
    base: str,
    force: bool,
    quiet: bool,
    as_json: bool,
    against_published: bool,
    exit_code: bool,
) -> None:
    """Pull the comparison given by --comparison from ORKG (default host orkg.org; --host local: the sandbox).

    Reads the comparison (and its head when it is a published version), its sources and their values
    in 4-5 requests (one bundle; N + 4 when it is unavailable), maps them to RDF, validates, and
    writes WORKSPACE/snapshot.json (the ORKG-native snapshot), WORKSPACE/syncbase.json (statement,
    object and datatype of every value, what a push writes through) and WORKSPACE/dataset.ttl. Nothing
    is written when anything fails. Reads are anonymous: no credentials needed.
    """
    from orkg_sync.pull import pull

    if not against_published:
        remote, comparison = _bound(out, remote, comparison, force)
    api = remote.api()
    if against_published:
        _drift(api, comparison, as_json, exit_code)
        return
    if force:
        _confirm_discard(out)
    start = time.perf_counter()
    with terminal_progress("reading sources", enabled=not quiet and not as_json) as bar:
        progress = None if bar is None else (lambda n: bar(n, None))
        result = pull(
            api,
            comparison,
            out,
            host=remote.host.api_base,
            mapping_path=mapping_path,
            base_iri=base,
            force=force,
            progress=progress,
        )
    report = result.report
    summary = {
        "comparison": comparison,
        "head": result.base.head_id,
        "published_version": bool(result.snapshot.comparison.get("published")),
        "host": remote.host.api_base,
        "models": len(result.mapped.models),
        "requests": result.requests,
        "seconds": round(time.perf_counter() - start, 3),
        "added": result.added,
        "removed": result.removed,
        "changed": result.changed,
        "mapping_warnings": [str(w) for w in result.mapped.warnings],
        "violations": report.violations if report is not None else None,
        "warnings": report.warnings if report is not None else None,
        "out": str(result.out),
    }
    if as_json:
        click.echo(json.dumps(summary, indent=2, sort_keys=True))
    elif not quiet:
        version = f" (published version of {result.base.head_id})" if summary["published_version"] else ""
        click.echo(
            f"pulled {comparison}{version} from {summary['host']}: {summary['models']} models "
            f"in {summary['requests']} requests, {summary['seconds']} s"
        )
        click.echo(
            f"since the last pull: {len(result.added)} added, {len(result.removed)} removed, "
            f"{len(result.changed)} changed"
        )
        for w in result.mapped.warnings:
            click.echo(f"  kept as text: {w}")
        if report is not None:
            click.echo(f"SHACL: {report.violations} violations, {report.warnings} warnings")
        click.echo(f"wrote {out}/ (snapshot.json, syncbase.json, dataset.ttl)")


def _drift(api: Any, comparison: str, as_json: bool, exit_code: bool) -> None:
    from orkg_sync.errors import EXIT_CHANGES
    from orkg_sync.pull.drift import against_published

    published, head, drift = against_published(api, comparison)
    if as_json:
        doc = {"published": published, "head": head, "drift": [d.to_json() for d in drift]}
        click.echo(json.dumps(doc, indent=2, sort_keys=True))
    else:
        click.echo(f"live {head} vs published {published}: {len(drift)} difference(s)")
        for d in drift:
            if d.kind == "value":
                was, now = ", ".join(d.published) or "(none)", ", ".join(d.live) or "(none)"
                click.echo(f"  ~ {d.label} / {d.column}: {was} -> {now}")
            else:
                click.echo(f"  {'+' if d.kind == 'source-added' else '-'} {d.label} ({d.source})")
    if exit_code and drift:
        sys.exit(EXIT_CHANGES)


def _confirm_discard(out: Path) -> None:
    """--force says what it throws away, and asks on a terminal."""
    from orkg_sync.pull.run import discarded_edits

    lost = discarded_edits(out)
    if not lost:
        return
    shown = "; ".join(lost[:5]) + (f" and {len(lost) - 5} more" if len(lost) > 5 else "")
    line = f"pull --force discards {len(lost)} local edit(s) in {out / 'dataset.ttl'}: {shown}"
    if sys.stdin.isatty():
        click.confirm(line + ". Go on?", abort=True, err=True)
    else:
        click.echo(line, err=True)


def _bound(out: Path, remote: RemoteConfig, comparison: str, force: bool) -> tuple[RemoteConfig, str]:
    """An existing workspace is refreshed from its own host and comparison unless told otherwise; a
    different one is refused (exit 2) without --force, which re-binds the folder."""
    from click.core import ParameterSource

    from orkg_sync.client.hosts import PRESETS
    from orkg_sync.errors import InputError
    from orkg_sync.workspace.bindings import Bindings, same_host

    bound = Bindings.load(out) if (out / "snapshot.json").is_file() else None
    if bound is None:
        return remote, comparison
    ctx = click.get_current_context()
    if ctx.get_parameter_source("host") in (ParameterSource.DEFAULT, None):
        name = next((n for n, (api, _) in PRESETS.items() if api == bound.host), bound.host)
        remote = RemoteConfig(name, None, remote.client_id)
    if ctx.get_parameter_source("comparison") in (ParameterSource.DEFAULT, None):
        comparison = bound.comparison
    other = not same_host(remote.host.api_base, bound.host) or comparison != bound.comparison
    if other and not force:
        raise InputError(
            f"{out} was pulled from {bound.host} (comparison {bound.comparison}), not "
            f"{remote.host.api_base} ({comparison}): use another --out, or --force to re-bind it"
        )
    return remote, comparison
