"""Every bad input a careless user can type: one row per case, one clear line, nothing touched.

Each :class:`Case` is a command line, the exit code it must give and the folders that must be byte for
byte the same afterwards. Every row asserts: that exit code, exactly one ``error:`` line on stderr and
nothing else there, no traceback, and no file created, changed or removed in the watched folders.
Rows run in process through click's ``CliRunner`` (fast); the few that need a real process (Ctrl-C,
a port held by another process) are at the end. To add a case, add a row.

Placeholders in arguments: ``{ws}`` a copy of a real pulled workspace, ``{sb}`` the sandbox URL,
``{busy}`` a TCP port another socket listens on, ``{dead}`` a loopback URL nothing listens on.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from orkg_sync.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_TTL = ROOT / "tests" / "store" / "fixture.ttl"
SHIPPED_MAPPING = str(ROOT / "ontology" / "mapping" / "r790020.toml")
SNAPSHOT = ROOT / "data" / "r790020.snapshot.json"

USAGE, REMOTE, LISTEN, INTERRUPTED = 2, 3, 8, 130


@dataclass(frozen=True)
class Case:
    """One bad command line: arguments, the exit code it must give, the folders to checksum."""

    id: str
    args: tuple[str, ...]
    code: int = USAGE
    watch: tuple[str, ...] = (".",)


def C(id: str, *args: str, code: int = USAGE) -> Case:
    return Case(id, args, code)


# ---- the files every row can point at (made fresh in each row's folder) --------------------------

FILES: dict[str, str | bytes | None] = {
    "good.ttl": None,  # copied from tests/store/fixture.ttl
    "empty.ttl": "",
    "empty.nt": "",
    "empty.jsonld": "",
    "empty.json": "",
    "empty.toml": "",
    "empty.rq": "",
    "empty.nt.d/keep": "",
    "bad.ttl": "<urn:a> <urn:b> .\n",
    "bad.nt": "<urn:a> <urn:b> <urn:c>\n",
    "bad.jsonld": '{"@graph": [ {"@id": ',
    "bad.json": "{not json",
    "bad.toml": "[mapping\nname = \n",
    "notmapping.toml": 'title = "valid TOML, but no [mapping] table"\n',
    "bad.rq": "SELECT ?x WHERE { ?x \n",
    "construct.rq": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }\n",
    "shapes.ttl": "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:s> a sh:NodeShape .\n",
    "unsupported-shapes.ttl": (
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;\n"
        '  sh:property <urn:p> .\n<urn:p> sh:path <urn:q> ; sh:languageIn ( "en" ) .\n'
    ),
    "latin1.rq": "# caf\xe9\n".encode("latin-1"),
    "plan.json": '{"plan_id": "x"}\n',
    "notes.txt": "not rdf\n",
    "data.csv": "a,b\n",
    "afile": "a regular file, used where a folder is expected\n",
    "folder.ttl/keep": "",
    "folder.json/keep": "",
    "folder.toml/keep": "",
    "folder.nt/keep": "",
    "folder.rq/keep": "",
}

MISSING = "nope/missing"
UNWRITABLE = "/proc/orkg-sync-test"  # no one, not even root, creates files under /proc
BAD_IRIS = {
    "no-scheme": "example.org/x/",
    "word": "not an iri",
    "space": "http://example.org/a b/",
    "ftp": "ftp://example.org/x/",
    "urn": "urn:x:",
    "empty": "",
    "angle": "http://example.org/<x>/",
}
BAD_BASES = {**BAD_IRIS, "no-trailing-slash": "http://example.org/x", "query": "http://example.org/?a=1/"}
BAD_IDS = {
    "empty": "",
    "letter-only": "R",
    "query": "R790020?x=1",
    "lower": "r790020",
    "other-prefix": "P123",
    "space": "R79 0020",
    "path": "R790020/x",
}
BAD_URLS = {"ftp": "ftp://example.org/sparql", "word": "not-a-url", "no-host": "http:///sparql", "empty": ""}
BAD_HOSTS = {
    "ftp": "ftp://orkg.org",
    "word": "not a host",
    "plain-http-remote": "http://orkg.example.org",
    "no-host": "https://",
    "bad-port": "http://127.0.0.1:99999",
}
BAD_PORTS = {"negative": "-1", "too-big": "65536", "huge": "99999", "word": "eighty", "float": "80.5"}
BAD_THREADS = {"zero": "0", "negative": "-3", "word": "many"}


def _file_rows(cmd: tuple[str, ...], opt: str | None, suffix: str, malformed: str | None) -> list[Case]:
    """Missing file, folder given for a file, empty file, wrong file type, malformed syntax."""
    name = _name(cmd) + (opt or "-arg")
    pre = (*cmd, opt) if opt else cmd
    rows = [
        C(f"{name}-missing", *pre, f"{MISSING}{suffix}"),
        C(f"{name}-folder", *pre, f"folder{suffix}"),
        C(f"{name}-empty", *pre, f"empty{suffix}"),
        C(f"{name}-empty-path", *pre, ""),
    ]
    if suffix != ".txt":
        rows.append(C(f"{name}-wrong-type", *pre, "notes.txt"))
    if malformed:
        rows.append(C(f"{name}-malformed", *pre, malformed))
    return rows


def _out_rows(cmd: tuple[str, ...], opt: str, kind: str) -> list[Case]:
    """Parent is a file, unwritable place, a file given for a folder (or the reverse)."""
    name = _name(cmd) + opt
    other = "afile" if kind == "dir" else "folder.ttl"
    return [
        C(f"{name}-parent-is-file", *cmd, opt, "afile/out"),
        C(f"{name}-grandparent-is-file", *cmd, opt, "afile/deeper/out"),
        C(f"{name}-unwritable", *cmd, opt, f"{UNWRITABLE}/out"),
        C(f"{name}-wrong-kind", *cmd, opt, other),
        C(f"{name}-empty-path", *cmd, opt, ""),
    ]


def _value_rows(cmd: tuple[str, ...], opt: str, values: dict[str, str], tail: tuple[str, ...] = ()) -> list:
    return [C(f"{_name(cmd)}{opt}-{k}", *cmd, opt, v, *tail) for k, v in values.items()]


def _mapping_rows(cmd: tuple[str, ...]) -> list[Case]:
    """--mapping: the file rows, plus valid TOML that is not a mapping."""
    extra = C(f"{_name(cmd)}--mapping-not-a-mapping", *cmd, "--mapping", "notmapping.toml")
    return [*_file_rows(cmd, "--mapping", ".toml", "bad.toml"), extra]


def _name(cmd: tuple[str, ...]) -> str:
    return "-".join(a.strip("{}-") for a in cmd)


def _rows() -> list[Case]:
    rows: list[Case] = []
    # build
    rows += _file_rows(("build",), "--snapshot", ".json", "bad.json")
    rows += _file_rows(("build",), "--mapping", ".toml", "bad.toml")
    rows += _out_rows(("build",), "--out", "dir")
    rows += _value_rows(("build",), "--base", BAD_BASES)
    rows += [
        C("build-conflict-no-validate-strict", "build", "--no-validate", "--strict"),
        C("build-conflict-no-validate-force", "build", "--no-validate", "--force"),
        C("build-unknown-option", "build", "--stirct"),
        C("build-extra-argument", "build", "dist"),
    ]
    # validate (positional files and --input)
    for opt in (None, "--input"):
        for suffix, bad in ((".ttl", "bad.ttl"), (".nt", "bad.nt"), (".jsonld", "bad.jsonld")):
            rows += (
                _file_rows(("validate",), opt, suffix, bad)
                if suffix == ".ttl"
                else [
                    C(f"validate{opt or '-arg'}-malformed{suffix}", "validate", *([opt] if opt else []), bad),
                    C(
                        f"validate{opt or '-arg'}-empty{suffix}",
                        "validate",
                        *([opt] if opt else []),
                        f"empty{suffix}",
                    ),
                ]
            )
    rows += _value_rows(("validate",), "--focus", BAD_IRIS, ("good.ttl",))
    rows += _file_rows(("validate", "good.ttl"), "--shapes", ".ttl", "bad.ttl")
    rows += [
        C("validate-shapes-nt", "validate", "good.ttl", "--shapes", "good.nt"),
        C("validate-shapes-unsupported", "validate", "good.ttl", "--shapes", "unsupported-shapes.ttl"),
        C(
            "validate-shapes-and-bad-mapping",
            "validate",
            "good.ttl",
            "--shapes",
            "shapes.ttl",
            "--mapping",
            "bad.toml",
        ),
    ]
    rows += [
        C("validate-format-unknown", "validate", "--format", "xml", "good.ttl"),
        C("validate-engine-unknown", "validate", "--engine", "rdflib", "good.ttl"),
        C("validate-focus-not-in-data", "validate", "--focus", "https://example.org/nope", "good.ttl"),
        C("validate-csv-input", "validate", "data.csv"),
    ]
    # export
    rows += _file_rows(("export",), "--input", ".ttl", "bad.ttl")
    rows += [C("export--input-malformed-nt", "export", "--input", "bad.nt")]
    rows += [C("export--input-malformed-jsonld", "export", "--input", "bad.jsonld")]
    rows += _out_rows(("export", "--input", "good.ttl"), "--out", "file")
    rows += _mapping_rows(("export",))
    rows += _file_rows(("export",), "--snapshot", ".json", "bad.json")
    rows += [
        C("export-input-and-mapping", "export", "--input", "good.ttl", "--mapping", SHIPPED_MAPPING),
        C("export-input-and-snapshot", "export", "--input", "good.ttl", "--snapshot", "plan.json"),
        C("export-format-unknown", "export", "--format", "rdfxml"),
        C("export-format-case", "export", "--format", "TTL"),
    ]
    # query
    rows += _file_rows(("query",), None, ".rq", "bad.rq")
    rows += [
        C("query-unknown-name", "query", "no-such-query"),
        C("query-no-name", "query"),
        C("query-not-utf8", "query", "latin1.rq", "--input", "good.ttl"),
        C("query-list-with-name", "query", "--list", "timeline"),
        C("query-graph-without-query-url", "query", "timeline", "--graph", "https://example.org/g"),
        C("query-input-and-endpoint", "query", "timeline", "--input", "good.ttl", "--query-url", "{dead}/q"),
        C("query-endpoint-unreachable", "query", "timeline", "--query-url", "{dead}/query", code=REMOTE),
        C("query-format-unknown", "query", "timeline", "--format", "xml"),
        C("query-select-as-turtle", "query", "timeline", "--format", "turtle"),
        C("query-construct-as-table", "query", "construct.rq", "--format", "table"),
        C("query-construct-as-csv", "query", "construct.rq", "--format", "csv", "--query-url", "{dead}/q"),
    ]
    rows += _file_rows(("query", "timeline"), "--input", ".ttl", "bad.ttl")
    rows += _mapping_rows(("query", "timeline"))
    rows += _file_rows(("query", "timeline"), "--snapshot", ".json", "bad.json")
    rows += [
        C(
            "query-input-and-mapping",
            "query",
            "timeline",
            "--input",
            "good.ttl",
            "--mapping",
            SHIPPED_MAPPING,
        ),
        C(
            "query-mapping-and-endpoint",
            "query",
            "timeline",
            "--mapping",
            SHIPPED_MAPPING,
            "--query-url",
            "{dead}/q",
        ),
        C("query-input-and-snapshot", "query", "timeline", "--input", "good.ttl", "--snapshot", "plan.json"),
    ]
    rows += _value_rows(("query", "timeline"), "--query-url", BAD_URLS)
    rows += _value_rows(
        ("query", "timeline"), "--endpoint", BAD_URLS
    )  # the old spelling, hidden, still checked
    rows += [
        C("query-endpoint-alias-unreachable", "query", "timeline", "--endpoint", "{dead}/q", code=REMOTE)
    ]
    rows += _value_rows(("query", "timeline", "--query-url", "{dead}/query"), "--graph", BAD_IRIS)
    # serve
    rows += _value_rows(("serve", "--input", "good.ttl"), "--port", BAD_PORTS)
    rows += _value_rows(("serve", "--input", "good.ttl"), "--threads", BAD_THREADS)
    rows += _value_rows(("serve", "--input", "good.ttl"), "--base", BAD_BASES)
    rows += _file_rows(("serve", "--port", "0"), "--input", ".ttl", "bad.ttl")
    rows += _mapping_rows(("serve", "--port", "0", "--input", "good.ttl"))
    rows += [
        C("serve-release-is-file", "serve", "--release", "afile"),
        C("serve-release-missing-data", "serve", "--port", "0", "--release", "folder.ttl"),
        C("serve-port-in-use", "serve", "--input", "good.ttl", "--port", "{busy}", code=LISTEN),
        C("serve-bind-unknown-address", "serve", "--input", "good.ttl", "--bind", "256.1.1.1", code=LISTEN),
    ]
    # publish
    rows += _value_rows(("publish", "--input", "good.nt"), "--service", BAD_URLS)
    rows += _value_rows(("publish", "--input", "good.nt"), "--endpoint", BAD_URLS)  # old spelling, hidden
    rows += _value_rows(("publish", "--service", "{dead}", "--input", "good.nt"), "--graph", BAD_IRIS)
    rows += _file_rows(("publish", "--service", "{dead}"), "--input", ".nt", "bad.nt")
    rows += [
        C("publish-no-service", "publish", "--input", "good.nt"),
        C("publish-unreachable", "publish", "--service", "{dead}", "--input", "good.nt", code=REMOTE),
        C("publish-strategy-unknown", "publish", "--service", "{dead}", "--strategy", "append"),
        C("publish-query-url-bad", "publish", "--service", "{dead}", "--query-url", "ftp://x/q"),
        C("publish-ttl-input", "publish", "--service", "{dead}", "--input", "good.ttl"),
    ]
    # sandbox
    rows += _value_rows(("sandbox",), "--port", BAD_PORTS)
    rows += _value_rows(("sandbox",), "--threads", BAD_THREADS)
    rows += _file_rows(("sandbox", "--port", "0"), "--snapshot", ".json", "bad.json")
    rows += _file_rows(("sandbox", "--port", "0"), "--accounts", ".json", "bad.json")
    rows += _out_rows(("sandbox",), "--db", "file")
    rows += [
        C("sandbox-bind-public", "sandbox", "--bind", "0.0.0.0"),
        C("sandbox-bind-word", "sandbox", "--bind", "not-an-ip"),
        C("sandbox-host-alias-public", "sandbox", "--host", "0.0.0.0"),
        C("sandbox-faults-bad-json", "sandbox", "--faults", "{error_rate"),
        C("sandbox-faults-unknown-key", "sandbox", "--faults", '{"eror_rate": 0.5}'),
        C("sandbox-faults-not-an-object", "sandbox", "--faults", "[1, 2]"),
        C("sandbox-token-ttl-negative", "sandbox", "--token-ttl", "-5"),
    ]
    # pull
    rows += _value_rows(("pull",), "--comparison", BAD_IDS)
    rows += _value_rows(("pull",), "--host", BAD_HOSTS)
    rows += _value_rows(("pull",), "--base", BAD_BASES)
    rows += _file_rows(("pull",), "--mapping", ".toml", "bad.toml")
    rows += _out_rows(("pull",), "--workspace", "dir")
    rows += [
        C("pull--out-alias-parent-is-file", "pull", "--out", "afile/x"),
        C("pull-exit-code-alone", "pull", "--exit-code"),
        C("pull-unreachable", "pull", "--host", "{dead}", code=REMOTE),
        C("pull-unknown-comparison", "pull", "--host", "{sb}", "--comparison", "R1"),
        C("pull-keycloak-bad", "pull", "--host", "{sb}", "--keycloak", "ftp://x"),
        C("pull-retries-zero", "pull", "--retries", "0"),
        C("pull-retry-delay-negative", "pull", "--retry-delay", "-1"),
    ]
    # diff, push, apply on a real pulled workspace
    for cmd in ("diff", "push"):
        ws = ("--workspace", "{ws}")
        dry = ("--dry-run",) if cmd == "push" else ()  # no login needed to reach the local file
        rows += _file_rows((cmd, *ws, *dry), "--input", ".ttl", "bad.ttl")
        rows += [C(f"{cmd}--input-malformed-jsonld", cmd, *ws, *dry, "--input", "bad.jsonld")]
        rows += _file_rows((cmd, *ws, *dry), "--local", ".ttl", "bad.ttl")  # the old spelling, hidden
        rows += _value_rows((cmd, *ws), "--host", BAD_HOSTS)
        rows += _value_rows((cmd, *ws), "--base", BAD_BASES)
        rows += _file_rows((cmd, *ws), "--mapping", ".toml", "bad.toml")
        rows += [
            C(f"{cmd}-workspace-is-file", cmd, "--workspace", "afile"),
            C(f"{cmd}-workspace-missing", cmd, "--workspace", MISSING),
            C(f"{cmd}-workspace-empty-folder", cmd, "--workspace", "folder.ttl"),
        ]
    rows += [
        C("diff-other-host", "diff", "--workspace", "{ws}", "--host", "{dead}"),
        C("push-needs-login", "push", "--workspace", "{ws}", "--host", "{sb}", code=4),
        C("push-changelog-alone", "push", "--workspace", "{ws}", "--changelog", "x"),
        C("push-doi-alone", "push", "--workspace", "{ws}", "--doi"),
        C("push-publish-without-changelog", "push", "--workspace", "{ws}", "--publish-version"),
        C("push-prefer-unknown", "push", "--workspace", "{ws}", "--prefer", "mine"),
    ]
    rows += _out_rows(("push", "--workspace", "{ws}", "--host", "{sb}"), "--plan-out", "file")
    rows += _file_rows(("apply",), None, ".json", "bad.json")
    rows += [
        C("apply-plan-not-a-plan", "apply", "plan.json", "--workspace", "{ws}", "--host", "{sb}"),
        C("apply-workspace-is-file", "apply", "plan.json", "--workspace", "afile"),
        C("apply-no-plan", "apply"),
    ]
    rows += _value_rows(("apply", "plan.json", "--workspace", "{ws}"), "--host", BAD_HOSTS)
    # init, doctor, shapes: reading ORKG templates and comparisons
    rows += _value_rows(("init", "--out", "new"), "--comparison", BAD_IDS)
    rows += _out_rows(("init", "--comparison", "R790020"), "--out", "dir")
    rows += _value_rows(("init", "--out", "new", "--comparison", "R790020"), "--base", BAD_BASES)
    rows += _value_rows(("init", "--out", "new", "--comparison", "R790020"), "--host", BAD_HOSTS)
    rows += [
        C("init-no-comparison", "init", "--out", "new"),
        C(
            "init-unreachable",
            "init",
            "--out",
            "new",
            "--comparison",
            "R790020",
            "--host",
            "{dead}",
            code=REMOTE,
        ),
    ]
    rows += _value_rows(("doctor",), "--comparison", BAD_IDS)
    rows += _value_rows(("doctor",), "--host", BAD_HOSTS)
    rows += _file_rows(("doctor", "--host", "{dead}"), "--mapping", ".toml", None)
    rows += _value_rows(("shapes",), "--from-template", BAD_IDS)
    rows += _value_rows(("shapes", "--from-template", "R1"), "--base", BAD_BASES)
    rows += _value_rows(("shapes", "--from-template", "R1"), "--host", BAD_HOSTS)
    rows += _out_rows(("shapes", "--from-template", "R1"), "--out", "file")
    rows += [
        C("shapes-no-template", "shapes"),
        C("shapes-unreachable", "shapes", "--from-template", "R1", "--host", "{dead}", code=REMOTE),
    ]
    # status, undo, resolve on the pulled workspace
    for cmd in ("status", "undo"):
        rows += [
            C(f"{cmd}-workspace-is-file", cmd, "--workspace", "afile"),
            C(f"{cmd}-workspace-missing", cmd, "--workspace", MISSING),
            C(f"{cmd}-other-host", cmd, "--workspace", "{ws}", "--host", "{dead}"),
        ]
        rows += _value_rows((cmd, "--workspace", "{ws}"), "--host", BAD_HOSTS)
    rows += _file_rows(("status", "--workspace", "{ws}"), "--input", ".ttl", "bad.ttl")
    rows += [C("status--local-alias-malformed", "status", "--workspace", "{ws}", "--local", "bad.ttl")]
    rows += [
        C("resolve-no-take", "resolve", "Phi-2", "releaseDate", "--workspace", "{ws}"),
        C("resolve-bad-take", "resolve", "Phi-2", "releaseDate", "--take", "mine", "--workspace", "{ws}"),
        C("resolve-missing-args", "resolve", "--take", "local", "--workspace", "{ws}"),
        C(
            "resolve-workspace-missing",
            "resolve",
            "Phi-2",
            "releaseDate",
            "--take",
            "local",
            "--workspace",
            MISSING,
        ),
    ]
    resolve = ("resolve", "Phi-2", "releaseDate", "--take", "local", "--workspace", "{ws}")
    rows += _file_rows(resolve, "--input", ".ttl", "bad.ttl")
    rows += [C("resolve--local-alias-missing", *resolve, "--local", f"{MISSING}.ttl")]
    # the group itself
    rows += [C("no-such-command", "bulid"), C("global-unknown-option", "--verbose", "build")]
    return rows


ROWS = _rows()


# ---- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pulled(sandbox, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real workspace pulled once from the session sandbox; each row gets a copy."""
    ws = tmp_path_factory.mktemp("pulled") / "ws"
    res = CliRunner().invoke(main, ["pull", "--host", sandbox.url, "--workspace", str(ws), "--quiet"])
    assert res.exit_code == 0, res.output
    return ws


@pytest.fixture(scope="module")
def busy_port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        yield s.getsockname()[1]


@pytest.fixture(scope="module")
def dead_url() -> str:
    with socket.socket() as s:  # a port that was free a moment ago: connections are refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def make_files(folder: Path) -> None:
    for name, content in FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            shutil.copyfile(FIXTURE_TTL, path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    good_nt = folder / "good.nt"
    good_nt.write_text("<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n")


def _fill(arg: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        arg = arg.replace("{" + key + "}", value)
    return arg


def checksums(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        out[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def assert_one_error_line(stderr: str, output: str, code: int, expected: int) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert code == expected, f"exit {code}, expected {expected}: {output!r}"
    assert "Traceback" not in output, output
    assert len(lines) == 1 and lines[0].startswith("error: "), f"stderr: {stderr!r}"


class RowHung(BaseException):
    """Raised in the test process when a row runs too long (a BaseException: no handler swallows it)."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise RowHung(f"still running after {seconds} s (did a server start instead of failing?)")

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# ---- the table -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ROWS, ids=[c.id for c in ROWS])
def test_bad_input(case: Case, tmp_path: Path, monkeypatch, request, busy_port: int, dead_url: str) -> None:
    make_files(tmp_path)
    values = {"busy": str(busy_port), "dead": dead_url, "sb": "", "ws": ""}
    if any("{ws}" in a or "{sb}" in a for a in case.args):
        sb = request.getfixturevalue("sandbox")
        shutil.copytree(request.getfixturevalue("pulled"), tmp_path / "ws")
        values.update(sb=sb.url, ws="ws")
    args = [_fill(a, values) for a in case.args]
    monkeypatch.chdir(tmp_path)
    for var in ("ORKG_TOKEN", "ORKG_USERNAME", "ORKG_PASSWORD", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("ORKG_RETRY_DELAY", "0.001")  # a refused connection is retried without real back-off
    watched = {w: checksums(tmp_path / w) for w in case.watch}
    with deadline(30):  # a row that starts a server instead of failing must not hang the suite
        result = CliRunner().invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert_one_error_line(result.stderr, result.output, result.exit_code, case.code)
    for w, before in watched.items():
        assert checksums(tmp_path / w) == before, f"{w} changed"


def test_the_table_is_big_and_unique() -> None:
    ids = [c.id for c in ROWS]
    assert len(ids) == len(set(ids))
    assert len(ROWS) > 150


# ---- real processes: a port another process holds, Ctrl-C ----------------------------------------


def _cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.Popen(
        [sys.executable, "-m", "orkg_sync", *args],
        cwd=cwd,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("command", ["serve", "sandbox"])
def test_port_held_by_another_process(command: str, tmp_path: Path, sandbox) -> None:
    """The sandbox process holds its port; a second server on it fails at once, and writes nothing."""
    make_files(tmp_path)
    port = sandbox.url.rsplit(":", 1)[1]
    args = ["serve", "--input", "good.ttl"] if command == "serve" else ["sandbox"]
    before = checksums(tmp_path)
    proc = _cli(*args, "--port", port, cwd=tmp_path)
    out, err = proc.communicate(timeout=60)
    assert_one_error_line(err, out + err, proc.returncode, LISTEN)
    assert f"--port {port}" in err and "serving" not in err + out
    assert checksums(tmp_path) == before


def _in_our_imports(pid: int, timeout: float = 30.0) -> None:
    """Wait until the child is importing our modules (pyoxigraph's native library is mapped): a fixed
    delay can land in the interpreter's own start-up on a loaded machine, before any of our code runs."""
    deadline = time.monotonic() + timeout
    maps = Path(f"/proc/{pid}/maps")
    while time.monotonic() < deadline:
        try:
            if "pyoxigraph" in maps.read_text():
                return
        except OSError:
            return
        time.sleep(0.005)


def _interrupt(args: list[str], cwd: Path, after: float) -> tuple[int, str, str]:
    proc = _cli(*args, cwd=cwd)
    _in_our_imports(proc.pid)
    time.sleep(after)
    assert proc.poll() is None, "finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    return proc.returncode, out, err


@pytest.mark.parametrize(
    "args, after",
    [
        (["validate", "--engine", "pyshacl"], 2.5),
        (["validate", "--engine", "pyshacl", "--input", "good.ttl", "--input", "good.ttl"], 0.0),
    ],
    ids=["validate-pyshacl", "during-imports"],
)
def test_ctrl_c(args: list[str], after: float, tmp_path: Path) -> None:
    make_files(tmp_path)
    before = checksums(tmp_path)
    code, out, err = _interrupt(args, tmp_path, after)
    assert_one_error_line(err, out + err, code, INTERRUPTED)
    assert checksums(tmp_path) == before


def test_ctrl_c_during_pull_writes_nothing(tmp_path: Path, fresh_sandbox) -> None:
    """A slow ORKG (1.5 s a request) and Ctrl-C half-way: no workspace, one line, exit 130."""
    fresh_sandbox.set_faults(latency_ms=1500)  # 5 requests: about 7 s, Ctrl-C comes at 2 s
    work = tmp_path / "work"  # the sandbox's own database lives in tmp_path
    work.mkdir()
    code, out, err = _interrupt(["pull", "--host", fresh_sandbox.url, "--workspace", "ws"], work, 2.0)
    assert_one_error_line(err, out + err, code, INTERRUPTED)
    assert checksums(work) == {}
