"""One name for one thing: every command's click params, walked and checked against one table.

``orkg_sync.cli.options.MEANINGS`` maps each canonical option name to what it means. A command that spells
one of those names must declare it through the shared ``option()`` (so it means that thing); an option
whose type says what it is (an RDF file to read, a mapping, a base IRI, a port, ...) must carry that
canonical name; a deprecated spelling is hidden and listed below; and every visible option says what it
does and shows its default.
"""

from __future__ import annotations

from collections import defaultdict

import click
import pytest

from orkg_sync.cli.main import main
from orkg_sync.cli.options import MEANINGS, RDF_SUFFIXES, BaseIri, InputFile, Port, SharedOption

# (command, old spelling) -> the canonical name it is a hidden alias of; nothing else may be hidden
DEPRECATED = {
    ("pull", "--out"): "--workspace",
    **{(c, "--out"): "--workspace" for c in ("apply", "diff", "push", "resolve", "status", "undo")},
    **{(c, "--local"): "--input" for c in ("diff", "push", "resolve", "status")},
    ("serve", "--host"): "--bind",
    ("sandbox", "--host"): "--bind",
    ("query", "--endpoint"): "--query-url",
    ("publish", "--endpoint"): "--service",
}


def _commands() -> dict[str, click.Command]:
    ctx = click.Context(main)
    return {name: main.get_command(ctx, name) for name in main.list_commands(ctx)}  # type: ignore[misc]


def _options() -> list[tuple[str, click.Option]]:
    return [(n, p) for n, c in _commands().items() for p in c.params if isinstance(p, click.Option)]


def _visible(p: click.Option) -> list[str]:
    return [o for o in p.opts + p.secondary_opts if o not in getattr(p, "hidden_aliases", set())]


def _implied(p: click.Option) -> str | None:
    """The canonical name an option's type alone implies."""
    t = p.type
    if isinstance(t, BaseIri):
        return "--base"
    if isinstance(t, Port):
        return "--port"
    if isinstance(t, InputFile) and t.suffixes == (".toml",):
        return "--mapping"
    if isinstance(t, InputFile) and set(t.suffixes) <= set(RDF_SUFFIXES) and ".ttl" in t.suffixes:
        return "--shapes" if p.name == "shape_files" else "--input"
    return None


def test_every_command_is_walked() -> None:
    want = {"pull", "diff", "push", "apply", "status", "resolve", "build", "serve", "sandbox", "query"}
    assert want <= set(_commands())


def test_a_canonical_name_means_one_thing_everywhere() -> None:
    wrong = []
    for cmd, p in _options():
        for name in _visible(p):
            if name in MEANINGS and getattr(p, "meaning", None) != name:
                wrong.append(f"{cmd} {name}: declared ad hoc, not with options.option() ({MEANINGS[name]!r})")
        if isinstance(p, SharedOption) and p.opts[0] != p.meaning:
            wrong.append(f"{cmd} {p.opts[0]}: tagged {p.meaning}")
    assert not wrong, "\n".join(wrong)


def test_one_meaning_has_one_name() -> None:
    wrong = []
    for cmd, p in _options():
        implied = _implied(p)
        if implied is not None and implied not in _visible(p):
            wrong.append(
                f"{cmd} {'/'.join(_visible(p))}: is {MEANINGS[implied]!r}, so it is spelled {implied}"
            )
    assert not wrong, "\n".join(wrong)


def test_names_across_commands_agree() -> None:
    """The same visible name in two commands: both shared (same meaning), or the name is command-local."""
    users: dict[str, set[str]] = defaultdict(set)
    for cmd, p in _options():
        for name in _visible(p):
            users[name].add(cmd)
    shared = {n: cmds for n, cmds in users.items() if len(cmds) > 1 and n not in ("--help", "-h")}
    local_twice = {
        n: sorted(cmds)
        for n, cmds in shared.items()
        if n not in MEANINGS and n not in {"--keycloak", "--client-id", "--retries", "--retry-delay"}
    }
    # flags that mean the same in each command they are in (checked by their help in test_help_is_honest)
    assert set(local_twice) <= {"--allow-removals", "--exit-code", "--list", "--remote", "--offline"}, (
        local_twice
    )


def test_hidden_spellings_are_deliberate_and_still_work() -> None:
    found = {}
    for cmd, p in _options():
        for alias in getattr(p, "hidden_aliases", ()):
            found[(cmd, alias)] = p.opts[0]
    assert found == DEPRECATED
    for (cmd, alias), canonical in DEPRECATED.items():
        p = next(p for c, p in _options() if c == cmd and canonical in p.opts)
        assert alias in p.opts  # parsed by click: the old spelling fills the same param


@pytest.mark.parametrize("cmd", sorted(_commands()))
def test_help_is_honest(cmd: str) -> None:
    """Every visible option says what it does; one that takes a value shows its default (or needs none)."""
    ctx = click.Context(_commands()[cmd], info_name=cmd)
    wrong = []
    for p in _commands()[cmd].params:
        if not isinstance(p, click.Option) or p.hidden or "--help" in p.opts:
            continue
        if not (p.help and len(p.help) > 10):
            wrong.append(f"{cmd} {p.opts[0]}: no help")
        if p.is_flag or p.required:
            continue
        record = p.get_help_record(ctx)
        if record is None or "default" not in record[1].lower():
            wrong.append(f"{cmd} {p.opts[0]}: the help does not say its default")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("cmd", "alias", "tail"),
    [
        ("diff", "--local", ("nope.ttl",)),
        ("push", "--local", ("nope.ttl",)),
        ("status", "--local", ("nope.ttl",)),
        ("query", "--endpoint", ("ftp://x/q",)),
        ("publish", "--endpoint", ("ftp://x/",)),
        ("pull", "--out", ("",)),
        ("sandbox", "--host", ("0.0.0.0",)),
    ],
)
def test_an_old_spelling_behaves_exactly_like_the_new(cmd: str, alias: str, tail: tuple[str, ...]) -> None:
    from click.testing import CliRunner

    canonical = DEPRECATED[(cmd, alias)]
    lead = ("timeline",) if cmd == "query" else ()
    old = CliRunner().invoke(main, [cmd, *lead, alias, *tail])
    new = CliRunner().invoke(main, [cmd, *lead, canonical, *tail])
    assert old.exit_code == new.exit_code == 2
    assert (
        old.output == new.output
        and canonical in new.output
        and alias not in new.output.replace(canonical, "")
    )
