"""`orkg-sync diff`, `push` and `apply`: send local edits of the dataset back to ORKG, safely."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import click

from orkg_sync.cli._remote import RemoteConfig, remote_options
from orkg_sync.cli.options import (
    InputFile,
    OutputPath,
    command,
    confirm_host_option,
    json_option,
    local_option,
    mapping_option,
    needs,
    option,
    workspace_base_option,
    workspace_option,
    yes_option,
)
from orkg_sync.cli.progress import Progress, terminal_progress
from orkg_sync.errors import EXIT_CHANGES, InputError

WORKSPACE = Path("data/pull")
PRODUCTION = "https://orkg.org"


def _workspace(folder: Path, mapping_path: Path | None, base: str | None):
    from orkg_sync.workspace import Workspace

    return Workspace.open(folder, mapping_path, base)


def bound_remote(ws, remote: RemoteConfig) -> RemoteConfig:
    """The workspace's host unless --host was given; a different --host is refused (exit 2)."""
    from click.core import ParameterSource

    from orkg_sync.client.hosts import PRESETS

    ctx = click.get_current_context()
    if ctx.get_parameter_source("host") in (ParameterSource.DEFAULT, None):
        bound = ws.bindings.host
        name = next((n for n, (api, _) in PRESETS.items() if api == bound), bound)
        return RemoteConfig(name, None, remote.client_id)
    ws.check_host(remote.host.api_base)
    return remote


def _common(func):
    func = workspace_option()(func)
    func = local_option(func)
    func = _mapping_option(func)
    return workspace_base_option(func)


_mapping_option = mapping_option()


READING, WRITING = "reading ORKG", "writing to ORKG"  # progress labels (stderr, on a terminal only)


def received(bar: Progress | None) -> Callable[[int], None] | None:
    """The readers count statements received, with no total known in advance."""
    return None if bar is None else (lambda n: bar(n, None))


def _short(column: str | None) -> str:
    return (column or "model").rsplit("#", 1)[-1]


def _values(v: frozenset[str] | list[str]) -> str:
    return ", ".join(sorted(v)) or "(none)"


@command
@click.command("diff")
@_common
@remote_options
@json_option
@click.option(
    "--exit-code",
    is_flag=True,
    help=f"Exit {EXIT_CHANGES} when there are changes or conflicts, 0 when in sync (for CI drift checks).",
)
@click.option("--offline", is_flag=True, help="Only local changes against the last pull; no remote read.")
def diff_cmd(
    folder: Path,
    local: Path | None,
    mapping_path: Path | None,
    base: str | None,
    remote: RemoteConfig,
    as_json: bool,
    exit_code: bool,
    offline: bool,
) -> None:
    """Show local changes, remote changes and conflicts since the last pull (three-way)."""
    from orkg_sync.sync.push import diff_all

    ws = _workspace(folder, mapping_path, base)
    remote = bound_remote(ws, remote)
    with terminal_progress(READING, enabled=not as_json and not offline) as bar:
        tw = diff_all(ws, None if offline else remote.api(), local, received(bar))
    if as_json:
        doc = {
            "in_sync": tw.in_sync,
            "local": [c.to_json() for c in tw.local],
            "remote": [c.to_json() for c in tw.remote],
            "conflicts": [{"local": a.to_json(), "remote": b.to_json()} for a, b in tw.conflicts],
        }
        click.echo(json.dumps(doc, indent=2, sort_keys=True))
    else:
        for title, changes in (("local changes", tw.local), ("remote changes", tw.remote)):
            click.echo(f"{title}: {len(changes)}")
            for c in changes:
                if c.kind == "value":
                    click.echo(
                        f"  ~ {c.label} / {_short(c.column)}: {_values(c.before)} -> {_values(c.after)}"
                    )
                else:
                    click.echo(f"  {'+' if c.kind == 'model-added' else '-'} model {c.label} ({c.model})")
        click.echo(f"conflicts: {len(tw.conflicts)}")
        for a, b in tw.conflicts:
            click.echo(
                f"  ! {a.label} / {_short(a.column)}: local {_values(a.after)}, remote {_values(b.after)}"
            )
        if tw.in_sync:
            click.echo("in sync")
    if exit_code and not tw.in_sync:
        sys.exit(EXIT_CHANGES)


def _confirm_host(remote: RemoteConfig, yes: bool, confirm_host: str | None) -> None:
    """Every write to production (a version publish included) passes here first."""
    if remote.host.api_base != PRODUCTION:
        return
    host = remote.host.api_base.split("//", 1)[-1]
    if confirm_host == host:
        return
    if not sys.stdin.isatty():
        raise InputError(f"pushing to production ({host}) needs --confirm-host {host}")
    typed = click.prompt(f"This writes to the production ORKG. Type the host name ({host}) to go on")
    if typed.strip() != host:
        raise InputError("host name not confirmed; nothing was pushed")


@command
@click.command("push")
@needs("changelog", "publish_version")
@needs("doi", "publish_version")
@_common
@remote_options
@yes_option
@option("--dry-run", is_flag=True, help="Show the plan and stop (nothing written).")
@click.option(
    "--plan-out",
    type=OutputPath("file"),
    help="Save the plan (JSON) to this file and stop; run it with `apply` (default: do not save).",
)
@click.option(
    "--prefer",
    type=click.Choice(["local", "remote"]),
    help="Resolve conflicts: local writes ours to ORKG; remote takes ORKG's into the local dataset "
    "(default: stop at the first conflict).",
)
@click.option(
    "--resume", is_flag=True, help="Finish an interrupted push (same plan, journal beside WORKSPACE)."
)
@click.option("--discard", is_flag=True, help="Drop an interrupted push's plan and journal (writes nothing).")
@click.option(
    "--allow-removals",
    is_flag=True,
    help="Allow a plan that removes models from the comparison without a terminal confirmation.",
)
@click.option(
    "--prune",
    is_flag=True,
    help="Delete the contribution of a removed model (kept by default; never one a published version cites).",
)
@click.option("--publish-version", is_flag=True, help="Afterwards publish a new version of the comparison.")
@click.option(
    "--changelog",
    default=None,
    help="Description of the new version (needed by --publish-version; default: none).",
)
@click.option("--doi", is_flag=True, help="Ask ORKG for a DOI for the new version.")
@confirm_host_option("push")
@json_option
def push_cmd(
    folder: Path,
    local: Path | None,
    mapping_path: Path | None,
    base: str | None,
    remote: RemoteConfig,
    yes: bool,
    dry_run: bool,
    plan_out: Path | None,
    prefer: str | None,
    resume: bool,
    discard: bool,
    allow_removals: bool,
    prune: bool,
    publish_version: bool,
    changelog: str | None,
    doi: bool,
    confirm_host: str | None,
    as_json: bool,
) -> None:
    """Push local edits of the dataset back to ORKG: validate, plan, confirm, apply (journaled).

    SHACL violations block the push. Conflicts (a value changed both locally and on ORKG since the
    pull) stop it unless --prefer local|remote. Every write is journaled beside WORKSPACE; after a crash,
    `orkg-sync push --resume` finishes the same plan. Credentials: ORKG_TOKEN, or ORKG_USERNAME and
    ORKG_PASSWORD, or a prompt on a terminal.
    """
    from orkg_sync.sync.session import PushSession

    ws = _workspace(folder, mapping_path, base)
    remote = bound_remote(ws, remote)
    if publish_version and not changelog:
        raise InputError("--publish-version needs --changelog TEXT (the new version's description)")
    with ws.lock():
        session = PushSession(ws, remote.host.api_base)
        if discard:
            click.echo(session.discard())
            return
        if resume:
            _confirm_host(remote, yes, confirm_host)
            api = remote.api(login=True)
            with terminal_progress(WRITING, enabled=not as_json) as bar:
                applier = session.resume(api, bar)
            _report(applier, as_json, resumed=True)
            return
        session.refuse_unfinished()
        writes = not dry_run and plan_out is None
        read_api = remote.api(login=writes)
        with terminal_progress(READING, enabled=not as_json) as bar:
            prepared = session.plan(read_api, local, prefer, prune, received(bar))
        plan = prepared.plan
        if plan_out is not None:
            from orkg_sync.atomic import atomic_write_text

            atomic_write_text(plan_out, plan.to_json())
        _show_plan(prepared, as_json)
        if not writes or not plan.ops:
            if as_json:
                doc = {"plan": json.loads(plan.to_json()), "applied": False, "resolved": prepared.resolved}
                click.echo(json.dumps(doc, indent=2, sort_keys=True))
            elif not plan.ops:
                click.echo("nothing to push")
            if writes and publish_version:
                _confirm_host(remote, yes, confirm_host)
                _publish(session, read_api, changelog or "", doi, as_json)
            return
        _confirm_host(remote, yes, confirm_host)
        _confirm_plan(plan, remote, yes, allow_removals)
        with terminal_progress(WRITING, enabled=not as_json) as bar:
            applier = session.apply(read_api, prepared, bar)
        _report(applier, as_json)
        if publish_version:
            _publish(session, read_api, changelog or "", doi, as_json)


def _show_plan(prepared, as_json: bool) -> None:
    if as_json:
        return
    plan = prepared.plan
    for line in prepared.resolved_lines():
        click.echo(line)
    click.echo(f"plan {plan.plan_id}: {len(plan.ops)} operation(s) on {len(plan.touched)} model(s)")
    for line in plan.summary_lines():
        click.echo(line)
    if prepared.diff.remote:
        click.echo(
            f"({len(prepared.diff.remote)} remote change(s) on these models are kept; pull to get them)"
        )


def _confirm_plan(plan, remote: RemoteConfig, yes: bool, allow_removals: bool) -> None:
    """Removals from the comparison need an informed yes: a terminal prompt naming them, or the flag."""
    removed = plan.removed_models()
    tty = sys.stdin.isatty()
    if removed and not allow_removals and (yes or not tty):
        names = ", ".join(removed[:5]) + (f" and {len(removed) - 5} more" if len(removed) > 5 else "")
        raise InputError(
            f"the plan removes {len(removed)} model(s) from the comparison ({names}); nothing was pushed "
            "(confirm on a terminal, or pass --allow-removals)"
        )
    if yes:
        return
    if not tty:
        raise InputError("confirmation needed: pass --yes (or --dry-run to only see the plan)")
    what = f"apply {len(plan.ops)} operation(s) to {remote.host.api_base}"
    if removed:
        what += f", REMOVING {len(removed)} model(s) from the comparison"
    click.confirm(what + "?", abort=True)


def _report(applier, as_json: bool, resumed: bool = False) -> None:
    done = len(applier.journal.done)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "applied": done,
                    "plan": applier.plan.plan_id,
                    "retries": applier.retries,
                    "verifications": applier.verifications,
                    "resumed": resumed,
                },
                sort_keys=True,
            )
        )
    else:
        click.echo(f"{'resumed and ' if resumed else ''}applied {done} operation(s); sync base updated")
        for i, ids in sorted(applier.journal.done.items()):
            if "kept" in ids and applier.plan.ops[i]["op"] == "prune_model":
                click.echo(f"kept contribution {applier.plan.ops[i]['resource']}: {ids['kept']}")


def _publish(session, api, changelog: str, doi: bool, as_json: bool) -> None:
    head = session.ws.base.head_id
    version = session.publish_version(api, changelog, doi)
    if as_json:
        click.echo(json.dumps({"published_version": version}))
    else:
        click.echo(f"published new version {version} of {head}")


@command
@click.command("apply")
@click.argument("plan_file", type=InputFile(suffixes=(".json",)))
@workspace_option()
@_mapping_option
@workspace_base_option
@remote_options
@confirm_host_option("apply")
@option("--dry-run", is_flag=True, help="Show the saved plan and stop (no login, nothing written).")
@yes_option
@json_option
def apply_cmd(
    plan_file: Path,
    folder: Path,
    mapping_path: Path | None,
    base: str | None,
    remote: RemoteConfig,
    confirm_host: str | None,
    dry_run: bool,
    yes: bool,
    as_json: bool,
) -> None:
    """Execute exactly the plan saved by `push --plan-out`; refused if ORKG changed since.

    On a terminal it asks first unless --yes (answering no exits 7); in a script the saved,
    reviewed plan is the confirmation.
    """
    from orkg_sync.sync import push as sync
    from orkg_sync.sync.session import PushSession

    ws = _workspace(folder, mapping_path, base)
    remote = bound_remote(ws, remote)
    plan = sync.load_plan(plan_file)
    ws.check_plan(plan, remote.host.api_base, str(plan_file))
    if dry_run:
        if as_json:
            doc = {"plan": json.loads(plan.to_json()), "applied": False}
            click.echo(json.dumps(doc, indent=2, sort_keys=True))
        else:
            click.echo(f"plan {plan.plan_id}: {len(plan.ops)} operation(s) on {len(plan.touched)} model(s)")
            for line in plan.summary_lines():
                click.echo(line)
        return
    with ws.lock():
        session = PushSession(ws, remote.host.api_base)
        session.refuse_unfinished()
        _confirm_host(remote, True, confirm_host)
        if not yes and sys.stdin.isatty():
            click.confirm(f"apply {len(plan.ops)} operation(s) to {remote.host.api_base}?", abort=True)
        api = remote.api(login=True)
        with terminal_progress(WRITING, enabled=not as_json) as bar:
            applier = session.apply_saved(api, plan, bar)
    _report(applier, as_json)
