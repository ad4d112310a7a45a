"""Shared option types, option decorators and option-combination rules for every command.

One rule in one place: a port, an IRI, an ORKG id, a thread count, an input or output path is checked
here, before a command does anything, so every command rejects the same nonsense with the same line
(exit 2). Declare shared options with the decorators below (the sqlite-utils ``output_options``
pattern) instead of spelling them again in each command.
"""

from __future__ import annotations

import functools
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import click

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_WORKSPACE = Path("data/pull")
DEFAULT_BIND = "127.0.0.1"
RDF_SUFFIXES = (".ttl", ".nt", ".jsonld", ".json")


def command(obj: click.Command) -> click.Command:
    """Mark a click command/group for registration on the top-level group (see ``cli/main.py``)."""
    obj.__orkg_sync_command__ = True  # type: ignore[attr-defined]
    return obj


# ---- types -------------------------------------------------------------------------------------


class Port(click.types.IntRange):
    """A TCP port, 1-65535; with ``allow_any`` also 0 (= any free port, the one chosen is printed)."""

    name = "port"

    def __init__(self, allow_any: bool = False) -> None:
        super().__init__(0 if allow_any else 1, 65535)


THREADS = click.IntRange(1, 1024)
"""Worker thread counts: 0 would hang every request."""

_IRI_BAD = re.compile(r"[\s<>\"{}|\\^`]")
_ORKG_ID = re.compile(r"R[0-9]+")


def check_iri(value: str) -> str | None:
    """Why ``value`` is not an absolute http(s) IRI, or None when it is one."""
    if _IRI_BAD.search(value):
        return 'contains a space or one of <>"{}|\\^`'
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return "not an absolute http(s) IRI"
    return None


class Iri(click.ParamType):
    """An absolute http(s) IRI (a model, graph or term)."""

    name = "iri"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        why = check_iri(text)
        if why:
            self.fail(f"{text!r}: {why}", param, ctx)
        return text


class BaseIri(Iri):
    """A namespace IRI: absolute http(s), ending in ``/`` or ``#`` so terms can be appended to it."""

    name = "base-iri"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = super().convert(value, param, ctx)
        if not text.endswith(("/", "#")):
            self.fail(f"{text!r}: a base IRI must end with '/' or '#' (e.g. {text}/)", param, ctx)
        if urlsplit(text).query:
            self.fail(f"{text!r}: a base IRI has no query part", param, ctx)
        return text


class HttpUrl(click.ParamType):
    """An http(s) URL with a host (a SPARQL endpoint or service)."""

    name = "url"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        parts = urlsplit(text)
        if parts.scheme not in {"http", "https"} or not parts.hostname or _IRI_BAD.search(text):
            self.fail(f"{text!r}: not an http(s) URL with a host", param, ctx)
        try:
            parts.port  # noqa: B018 - raises ValueError for a port out of range
        except ValueError:
            self.fail(f"{text!r}: bad port in URL", param, ctx)
        return text


class OrkgId(click.ParamType):
    """An ORKG resource id, ``R`` followed by digits (e.g. R790020)."""

    name = "id"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        if not _ORKG_ID.fullmatch(text):
            self.fail(f"{value!r}: not an ORKG resource id (R followed by digits, e.g. R790020)", param, ctx)
        return text


class InputFile(click.Path):
    """An existing, readable, non-empty regular file; ``rdf=True`` also needs a known RDF suffix."""

    def __init__(self, rdf: bool = False, suffixes: Sequence[str] | None = None) -> None:
        super().__init__(exists=True, dir_okay=False, readable=True, path_type=Path)
        self.suffixes = tuple(suffixes or (RDF_SUFFIXES if rdf else ()))

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = Path(str(value))
        if str(value) == "":
            self.fail("empty path", param, ctx)
        if self.suffixes and path.suffix.lower() not in self.suffixes:
            kind = "RDF file type" if ".ttl" in self.suffixes else "file type"
            self.fail(f"{path}: unknown {kind} (use {', '.join(self.suffixes)})", param, ctx)
        if not path.exists():
            self.fail(f"{path}: no such file", param, ctx)
        if path.is_dir():
            self.fail(f"{path}: is a folder, not a file", param, ctx)
        path = Path(str(super().convert(value, param, ctx)))
        if path.stat().st_size == 0:
            self.fail(f"{path}: empty file", param, ctx)
        return path


class OutputPath(click.Path):
    """Where a command will write (``kind`` "file" or "dir"): checked before any work is done.

    The path itself must not be of the other kind; its nearest existing ancestor must be a writable
    folder (missing folders in between are created by the atomic writer).
    """

    def __init__(self, kind: str = "file") -> None:
        super().__init__(file_okay=kind == "file", dir_okay=kind == "dir", path_type=Path)
        self.kind = kind

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if str(value) == "":
            self.fail("empty path", param, ctx)
        path = Path(value)
        if path.exists() and (path.is_dir() != (self.kind == "dir")):
            what = "a folder" if path.is_dir() else "a file"
            want = "folder" if self.kind == "dir" else "file"
            self.fail(f"{path}: is {what}, expected a {want}", param, ctx)
        parent = path.absolute().parent
        while not parent.exists():
            parent = parent.parent
        if not parent.is_dir():
            self.fail(f"{path}: {parent} is a file, not a folder", param, ctx)
        try:  # a real probe: os.access says yes to root even on a read-only file system
            with tempfile.TemporaryFile(dir=parent, prefix=".orkg-sync-probe."):
                pass
        except OSError as err:
            self.fail(f"{path}: cannot write in {parent} ({err.strerror})", param, ctx)
        return path


# ---- options whose name or alias must not show in --help ---------------------------------------


class AliasedOption(click.Option):
    """An option with deprecated spellings that still work but are left out of ``--help``."""

    def __init__(self, *args: Any, hidden_aliases: Sequence[str] = (), **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.hidden_aliases = set(hidden_aliases)

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        saved = self.opts
        self.opts = [o for o in saved if o not in self.hidden_aliases]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = saved


class SharedOption(AliasedOption):
    """An option whose name is one of :data:`MEANINGS`: the same spelling means the same thing in every
    command (tests/cli/test_option_names.py walks every command's params and enforces it)."""

    def __init__(self, *args: Any, meaning: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.meaning = meaning


# canonical option name -> what it means, in every command that has it (docs/cli.md "Option names")
MEANINGS: dict[str, str] = {
    "--input": "an RDF dataset file to read (Turtle, N-Triples, JSON-LD)",
    "--workspace": "the pulled folder (snapshot.json, syncbase.json, dataset.ttl)",
    "--mapping": "the mapping file (TOML) whose rules, ontology, vocabularies, shapes and base are used",
    "--snapshot": "an ORKG-native snapshot (.json) to read",
    "--shapes": "a SHACL shapes file (Turtle) to validate with",
    "--base": "the base IRI (namespace) of the IRIs the command mints or reads",
    "--host": "the ORKG server: a preset or a URL",
    "--comparison": "an ORKG comparison id",
    "--bind": "the address a server of ours listens on",
    "--port": "the TCP port a server of ours listens on",
    "--threads": "worker threads of a server of ours",
    "--json": "machine-readable JSON on stdout instead of text",
    "--format": "the format of what the command prints or writes",
    "--out": "the file or folder the command writes its result to",
    "--query-url": "a SPARQL 1.1 query endpoint URL",
    "--service": "the base URL of a SPARQL service (its query, update and store endpoints below it)",
    "--graph": "a named graph IRI in a SPARQL store",
    "--yes": "do not ask for confirmation",
    "--dry-run": "show what would be done and stop (nothing written)",
    "--confirm-host": "the production host name, typed out to write there",
    "--force": "write even where a safety check would refuse",
    "--strict": "SHACL warnings fail too (exit 1)",
}


def option(name: str, *decls: str, hidden: Sequence[str] = (), **kw: Any) -> Callable[[F], F]:
    """``click.option`` for a canonical name of :data:`MEANINGS`; ``hidden`` are deprecated spellings
    that still work but are left out of ``--help``."""
    if name not in MEANINGS:
        raise ValueError(f"{name} is not a canonical option name (add it to MEANINGS)")
    return click.option(name, *hidden, *decls, cls=SharedOption, meaning=name, hidden_aliases=hidden, **kw)


# ---- shared option decorators --------------------------------------------------------------------


def workspace_option(output: bool = False, dest: str = "folder") -> Callable[[F], F]:
    """``--workspace DIR``: the folder `pull` writes (``output=True``) and diff/push/apply read.

    One name everywhere; ``--out`` is kept as a hidden deprecated alias (it was `pull`'s spelling).
    """

    def deco(func: F) -> F:
        return option(
            "--workspace",
            dest,
            hidden=("--out",),
            type=OutputPath("dir") if output else click.Path(file_okay=False, path_type=Path),
            default=DEFAULT_WORKSPACE,
            show_default=True,
            help="The pulled folder: snapshot.json, syncbase.json, dataset.ttl (and push's journal).",
        )(func)

    return deco


def local_option(func: F) -> F:
    """``--input FILE`` (param ``local``): the edited dataset, when it is not WORKSPACE/dataset.ttl.

    ``--local`` (its old spelling in diff/push/status/resolve) still works, hidden from ``--help``.
    """
    return option(
        "--input",
        "local",
        hidden=("--local",),
        type=InputFile(suffixes=(".ttl", ".jsonld", ".json")),
        default=None,
        help="The edited dataset to read (Turtle or JSON-LD; default: WORKSPACE/dataset.ttl).",
    )(func)


def base_option(func: F) -> F:
    """``--base IRI``: the dataset's namespace (absolute http(s), ending in / or #)."""
    from orkg_sync.mapping import DEFAULT_BASE

    return option(
        "--base",
        type=BaseIri(),
        default=DEFAULT_BASE,
        show_default=True,
        help="Base IRI of the dataset's own terms (absolute http(s), ending in '/' or '#').",
    )(func)


def workspace_base_option(func: F) -> F:
    """``--base IRI`` for commands on a workspace: default the base the workspace was pulled with."""
    return option(
        "--base",
        type=BaseIri(),
        default=None,
        help="Base IRI of the dataset (absolute http(s), ending in '/' or '#'; default: the workspace's).",
    )(func)


def inputs_option(func: F) -> F:
    """``--input FILE`` (repeatable): RDF files to load; .ttl, .nt, .jsonld (or .json)."""
    return option(
        "--input",
        "inputs",
        multiple=True,
        type=InputFile(rdf=True),
        help="RDF file to load (.ttl, .nt, .jsonld); repeat for several. Default: the shipped dataset.",
    )(func)


def mapping_option(help: str = "Mapping file (TOML; default: the shipped mapping).") -> Callable[[F], F]:
    """``--mapping FILE.toml`` (param ``mapping_path``): the mapping whose ontology, vocabularies, shapes
    and base a command uses (build, validate, export, query, serve)."""
    return option("--mapping", "mapping_path", type=InputFile(suffixes=(".toml",)), help=help)


def snapshot_option(func: F) -> F:
    """``--snapshot FILE.json`` (param ``snapshot_path``): the ORKG-native snapshot to build the data from."""
    return option(
        "--snapshot",
        "snapshot_path",
        type=InputFile(suffixes=(".json",)),
        help="ORKG-native snapshot (.json) to build from (default: the shipped R790020 reconstruction).",
    )(func)


def json_option(func: F) -> F:
    """``--json``: the one machine-output switch (commands with ``--format`` take ``--format json`` too)."""
    return option("--json", "as_json", is_flag=True, help="Print machine-readable JSON on stdout.")(func)


def yes_option(func: F) -> F:
    """``--yes``: no confirmation prompt (push, apply, undo)."""
    help = "Do not ask for confirmation (needed where there is no terminal to ask on)."
    return option("--yes", is_flag=True, help=help)(func)


def confirm_host_option(verb: str) -> Callable[[F], F]:
    """``--confirm-host NAME``: the production host typed out, so a script writes there without a prompt."""
    help = f"The production host name (orkg.org), typed out to {verb} there without a prompt (default: none)."
    return option("--confirm-host", default=None, metavar="NAME", help=help)


def json_format_alias(func: F) -> F:
    """Add ``--json`` to a command whose ``--format`` (param ``fmt``) has a ``json`` choice."""

    @option("--json", "as_json", is_flag=True, help="Same as --format json.")
    @functools.wraps(func)
    def wrapper(*args: Any, as_json: bool, **kw: Any) -> Any:
        if as_json:
            kw["fmt"] = "json"
        return func(*args, **kw)

    return wrapper  # type: ignore[return-value]


def bind_options(default_port: int, default_threads: int = 8) -> Callable[[F], F]:
    """``--bind ADDR --port N --threads N`` for servers (serve, sandbox); ``--host`` is a hidden alias."""

    def deco(func: F) -> F:
        func = option(
            "--threads",
            type=THREADS,
            default=default_threads,
            show_default=True,
            help="Worker threads (at least 1).",
        )(func)
        func = option(
            "--port",
            type=Port(allow_any=True),
            default=default_port,
            show_default=True,
            help="TCP port to listen on, 1-65535 (0 = any free port; the chosen one is printed).",
        )(func)
        return option(
            "--bind",
            "bind",
            hidden=("--host",),
            default=DEFAULT_BIND,
            show_default=True,
            help="Address to listen on (loopback by default).",
        )(func)

    return deco


def probe_listen(bind: str, port: int) -> None:
    """Fail early (exit 8) when ``bind:port`` cannot be listened on, before a server loads or writes anything.

    Only a courtesy check (another process may take the port in between); the server's own bind still
    reports its failure the same way.
    """
    import socket

    from orkg_sync.errors import ListenError

    try:
        infos = socket.getaddrinfo(bind, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as err:
        raise ListenError(
            f"--bind {bind}: unknown address ({getattr(err, 'strerror', None) or err})"
        ) from None
    family, kind, proto, _, addr = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(addr)
        except OSError as err:
            raise ListenError(f"--bind {bind} --port {port}: cannot listen ({err.strerror or err})") from None


# ---- option combinations ----------------------------------------------------------------------


def _given(value: Any) -> bool:
    return value not in (None, False, (), "")


def _flag(ctx: click.Context, name: str) -> str:
    for p in ctx.command.params:
        if p.name == name:
            return p.opts[0] if isinstance(p, click.Option) else p.human_readable_name
    return f"--{name.replace('_', '-')}"


def needs(option: str, partner: str) -> Callable[[F], F]:
    """Refuse ``option`` (param name) unless ``partner`` is given too, instead of silently ignoring it."""

    def deco(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kw: Any) -> Any:
            if _given(kw.get(option)) and not _given(kw.get(partner)):
                ctx = click.get_current_context()
                raise click.UsageError(f"{_flag(ctx, option)} needs {_flag(ctx, partner)}", ctx)
            return func(*args, **kw)

        return wrapper  # type: ignore[return-value]

    return deco


def conflicts(option: str, other: str) -> Callable[[F], F]:
    """Refuse ``option`` together with ``other`` (param names): they contradict each other."""

    def deco(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kw: Any) -> Any:
            if _given(kw.get(option)) and _given(kw.get(other)):
                ctx = click.get_current_context()
                raise click.UsageError(
                    f"{_flag(ctx, option)} and {_flag(ctx, other)} exclude each other", ctx
                )
            return func(*args, **kw)

        return wrapper  # type: ignore[return-value]

    return deco
