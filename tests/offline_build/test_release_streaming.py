"""The release is written to a stage folder beside the output as it is made (issue 13, item 2).

Same bytes as rendering every file in memory; checksums and sizes taken from the files on disk; a
failure or Ctrl-C at any step leaves the previous release byte-identical and no stage behind; the stage
of a build killed with SIGKILL is swept by the next build.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox
import pytest

from orkg_sync import export
from orkg_sync.atomic import TEMP_STAGE_PREFIX, StagedFolder
from orkg_sync.build import build, build_dataset, write
from orkg_sync.publish import release
from orkg_sync.publish.metadata import DatasetInfo, FileFacts, declared_licence, describe_dataset
from orkg_sync.publish.release import CHECKSUMS, release_files, write_release

ROOT = Path(__file__).resolve().parents[2]
DCAT = "http://www.w3.org/ns/dcat#"
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
INFO = DatasetInfo(generated_at="2026-01-01T00:00:00Z")
# An extra Turtle file that declares its own licence: the description must read it (and only it).
ONTOLOGY = b"""@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dct: <http://purl.org/dc/terms/> .
<http://example.org/onto> a owl:Ontology ; dct:license <https://creativecommons.org/licenses/by/4.0/> .
"""
EXTRA = {"ontology/example.ttl": ONTOLOGY, "mapping-warnings.json": b"[]\n"}


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return build_dataset().store


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _in_memory(store: ox.Store, info: DatasetInfo, extra: Mapping[str, bytes]) -> dict[str, bytes]:
    """The release as the previous code rendered it: every file as bytes, then SHA256SUMS of the bytes."""
    files = dict(extra)
    files["data.ttl"] = export.to_turtle(store, info.base)
    files["data.nt"] = export.to_ntriples(store)
    files["context.jsonld"] = export.context_bytes(info.base)
    files["data.jsonld"] = export.to_jsonld(store, base=info.base)
    facts = {n: FileFacts(len(b), declared_licence(n, b)) for n, b in files.items()}
    files["void.ttl"] = export.to_turtle(describe_dataset(store, facts, info), info.base)
    sums = "".join(f"{hashlib.sha256(files[n]).hexdigest()}  {n}\n" for n in sorted(files))
    return {**files, CHECKSUMS: sums.encode("ascii")}


def _stages(out: Path) -> list[str]:
    """Stage folders of ``out`` beside it, and temp stages of this process."""
    beside = [p.name for p in out.parent.glob(f".{out.name}.*")]
    temp = Path(tempfile.gettempdir()).glob(f"{TEMP_STAGE_PREFIX}{os.getpid()}.*")
    return beside + [p.name for p in temp]


@pytest.mark.parametrize("beside_at", [1 << 60, 0], ids=["jsonld-inline", "jsonld-second-process"])
def test_staged_release_is_the_in_memory_release(store: ox.Store, tmp_path: Path, beside_at: int) -> None:
    staged = release_files(store, INFO, EXTRA, beside_at=beside_at, out=tmp_path / "r")
    assert staged.folder.parent == tmp_path  # staged beside the release, so writing is a rename
    out = write_release(tmp_path / "r", staged)
    expected = _in_memory(store, INFO, EXTRA)
    assert _tree(out) == expected
    assert "creativecommons.org/licenses/by/4.0/" in (out / "void.ttl").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_checksums_verify_with_sha256sum(tmp_path: Path) -> None:
    out = write(build(date="2026-01-01"), tmp_path / "dist")
    proc = subprocess.run(["sha256sum", "--strict", "-c", CHECKSUMS], cwd=out, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    listed = [line.split("  ", 1)[1] for line in (out / CHECKSUMS).read_text().splitlines()]
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert listed == sorted(set(on_disk) - {CHECKSUMS}) and "data.jsonld" in listed
    (out / "data.nt").write_bytes((out / "data.nt").read_bytes() + b"\n")  # and a change is caught
    assert subprocess.run(["sha256sum", "-c", CHECKSUMS], cwd=out, capture_output=True).returncode == 1


def test_byte_size_is_the_file_size_of_every_distribution(tmp_path: Path) -> None:
    out = write(build(date="2026-01-01"), tmp_path / "dist")
    void = list(ox.parse(path=str(out / "void.ttl"), format=ox.RdfFormat.TURTLE))
    sizes: dict[str, int] = {}
    for dist in {t.object for t in void if t.predicate.value == DCAT + "distribution"}:
        about = {t.predicate.value: t.object.value for t in void if t.subject == dist}
        sizes[about[TITLE.value]] = int(about[DCAT + "byteSize"])
    files = {p.relative_to(out).as_posix(): p.stat().st_size for p in out.rglob("*") if p.is_file()}
    del files["void.ttl"], files[CHECKSUMS]  # the description and the seal are not described in it
    assert sizes == files and files["data.nt"] > 100_000


def test_build_result_reads_lazily_and_cleans_up_unwritten() -> None:
    with build(date="2026-01-01") as result:
        stage = result.files.folder
        assert stage.is_dir() and stage.name.startswith(f"{TEMP_STAGE_PREFIX}{os.getpid()}.")
        assert "data.ttl" in result.files and CHECKSUMS not in result.files
        assert result.files.size("data.nt") == result.files.path("data.nt").stat().st_size
        assert result.files["data.nt"] == export.to_ntriples(result.store)
    assert not stage.exists()  # a caller that only wanted the report leaves nothing behind


def _old_release(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    out = write_release(tmp_path / "dist", {"data.ttl": b"old\n", "keep.txt": b"old release\n"})
    return out, _tree(out)


def test_a_failing_jsonld_process_leaves_the_old_release(
    store: ox.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, before = _old_release(tmp_path)
    # fault injection: the second process writes part of its file, then dies
    monkeypatch.setattr(release, "JSONLD_JOB", "tests.faults:partial_file_then_die")
    with pytest.raises(OSError, match="disk full") as raised:
        release_files(store, INFO, EXTRA, beside_at=0, out=out)
    assert _tree(out) == before
    assert _stages(out) == [], raised  # removed at once, not when the traceback goes


def test_ctrl_c_inside_the_turtle_writer_leaves_the_old_release(
    store: ox.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, before = _old_release(tmp_path)
    real = export.write_turtle

    def interrupted(data: export.Data, fh: BinaryIO, base: str | None = None, **kw: Any) -> None:
        real(data, fh, base, **kw)  # half a release is on disk, the JSON-LD process is running
        assert _jsonld_children(wait=5.0), "the second process was not running"
        raise KeyboardInterrupt

    monkeypatch.setattr(export, "write_turtle", interrupted)
    with pytest.raises(KeyboardInterrupt) as raised:
        release_files(store, INFO, EXTRA, beside_at=0, out=out)
    assert _tree(out) == before
    assert _stages(out) == [], raised
    assert not _jsonld_children()  # killed, not left to finish a file nobody will publish


def test_ctrl_c_while_sealing_leaves_the_old_release(
    store: ox.Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, before = _old_release(tmp_path)
    staged = release_files(store, INFO, EXTRA, out=out)

    def interrupted(files: Mapping[str, bytes]) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr(release, "checksums", interrupted)
    with pytest.raises(KeyboardInterrupt) as raised:
        write_release(out, staged)
    assert _tree(out) == before
    assert _stages(out) == [], raised


def _jsonld_children(wait: float = 0.0) -> list[str]:
    """This process's children that run the JSON-LD writer (see :func:`_children_of`)."""
    return _children_of(os.getpid(), b"jsonld_file", wait)


def _children_of(parent: int, marker: bytes, wait: float = 0.0) -> list[str]:
    """The children of ``parent`` whose command line holds ``marker``; ``wait``: poll that long for one
    (right after a fork a child's command line reads empty until its exec completes)."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                ppid = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            except (OSError, IndexError):
                continue
            if int(ppid) == parent and marker in cmd:
                found.append(pid)
        if found or time.monotonic() >= deadline:
            return found
        time.sleep(0.01)


def test_a_killed_build_takes_its_jsonld_process_with_it(tmp_path: Path) -> None:
    """SIGKILL of the build (no clean-up runs) also ends the JSON-LD process it started."""
    fifo = tmp_path / "sorted.nt"
    os.mkfifo(fifo)  # nobody writes: the second process blocks reading it until it is killed
    script = (
        "import sys, time; from pathlib import Path; from orkg_sync import export; "
        "from orkg_sync.publish.release import _jsonld_beside; "
        "ctx = _jsonld_beside(export.SortedNTriples(Path(sys.argv[1])), None, 0, Path(sys.argv[2])); "
        "ctx.__enter__(); time.sleep(60)"
    )
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    build_proc = subprocess.Popen([sys.executable, "-c", script, str(fifo), str(tmp_path / "out")], env=env)
    child: list[str] = []
    try:
        child = _children_of(build_proc.pid, b"jsonld_file", wait=10.0)
        assert child, "the second process was not started"
        deadline = time.monotonic() + 10.0
        while not (tmp_path / "out").exists() and time.monotonic() < deadline:
            time.sleep(0.01)  # it opens its output, then blocks reading the pipe: past its start-up
        build_proc.kill()
        build_proc.wait()
        assert _gone(int(child[0]), wait=5.0), "the JSON-LD process outlived the build"
    finally:
        build_proc.kill()
        for pid in child:  # when the test fails: no process left blocked on the pipe
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)


def _gone(pid: int, wait: float) -> bool:
    """True once ``pid`` has exited (a zombie waiting for its new parent to reap it counts as exited)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in "ZX":
                return True
        except (OSError, IndexError):
            return True
        time.sleep(0.02)
    return False


def test_a_build_that_writes_nothing_leaves_no_stage(tmp_path: Path) -> None:
    """`build --strict` with SHACL warnings writes nothing (exit 1): the stage beside --out is removed."""
    proc = _cli(tmp_path, "build", "--strict", "--out", "dist")
    assert proc.returncode == 1 and "nothing written" in proc.stderr, proc.stderr
    assert sorted(os.listdir(tmp_path)) == []


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-m", "orkg_sync", *args]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_the_stage_of_a_killed_build_is_swept_by_the_next(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    out, before = _old_release(work)
    proc, killed = _signal_while_staging(work, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    assert _tree(out) == before  # the kill left the old release
    assert [p.name for p in work.glob(".dist.stage.*")] == [killed.name]
    live = work / f".dist.stage.{os.getpid()}.abcd1234"  # a live process's stage is not touched
    live.mkdir()
    done = _cli(work, "build", "--out", "dist")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in work.iterdir()) == sorted(["dist", live.name])
    assert (out / "data.jsonld").is_file() and not (out / "keep.txt").exists()


def test_ctrl_c_of_the_build_leaves_the_old_release_and_no_stage(tmp_path: Path) -> None:
    out, before = _old_release(tmp_path)
    proc, _ = _signal_while_staging(tmp_path, signal.SIGINT)  # to the process group, as a terminal does
    assert proc.returncode == 130 and proc.stderr is not None
    assert proc.stderr.read().strip() == "error: interrupted (Ctrl-C)"  # one line, no traceback
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def _signal_while_staging(work: Path, sig: int) -> tuple[subprocess.Popen[str], Path]:
    """Start `build --out dist` in a session of its own and send ``sig`` to it once its stage beside dist
    holds files; the finished process and the stage seen."""
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-m", "orkg_sync", "build", "--out", "dist"]
    for _ in range(5):  # the stage lives ~0.1 s of a small build: poll closely, retry if it was missed
        proc = subprocess.Popen(
            cmd,
            cwd=work,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        while proc.poll() is None:
            stages = [p for p in work.glob(f".dist.stage.{proc.pid}.*") if any(p.iterdir())]
            if stages:
                os.killpg(proc.pid, sig)
                proc.wait(timeout=60)
                return proc, stages[0]
            time.sleep(0.002)
        proc.communicate()
        write_release(work / "dist", {"data.ttl": b"old\n", "keep.txt": b"old release\n"})
    pytest.fail("the build finished every time before its stage was seen")


def test_a_temp_stage_of_a_dead_process_is_swept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"{TEMP_STAGE_PREFIX}{dead.pid}.k1ll3d_0"
    (stale / "ontology").mkdir(parents=True)
    (stale / "data.nt").write_bytes(b"x" * 1024)
    unrelated = tmp_path / f"{TEMP_STAGE_PREFIX}{dead.pid}.not.a.stage"  # not our name shape: kept
    unrelated.mkdir()
    with StagedFolder() as staged:
        assert staged.folder.parent == tmp_path
        assert not stale.exists() and unrelated.is_dir()
    assert sorted(os.listdir(tmp_path)) == [unrelated.name]


def test_publishing_twice_copies_and_bytes_are_staged_beside(tmp_path: Path) -> None:
    staged = StagedFolder.of({"a/b.txt": b"b", "c.txt": b"c"}, beside=tmp_path / "one")
    one = staged.publish(tmp_path / "one")
    two = staged.publish(tmp_path / "two")  # from the published folder: copied, the first one stays
    assert _tree(one) == _tree(two) == {"a/b.txt": b"b", "c.txt": b"c"}
    assert staged["a/b.txt"] == b"b" and staged.path("c.txt") == two / "c.txt"
    with pytest.raises(ValueError):
        staged.put("d.txt", b"d")  # published: nothing more can be added
    with pytest.raises(ValueError):
        StagedFolder.of({"../escape.txt": b"x"}, beside=tmp_path / "three")
    assert sorted(os.listdir(tmp_path)) == ["one", "two"]
