"""Write the release folder atomically: every file is written to a stage folder beside the release as it is
made, then the stage is swapped into place (:class:`orkg_sync.atomic.StagedFolder`).

A reader sees either the old release or the complete new one, never a mix; no release file is held whole
in memory (at 10M triples they are 3.3 GB). ``SHA256SUMS`` covers every file (``sha256sum -c`` format),
and all content is deterministic for the same input.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from orkg_sync import export, second_process
from orkg_sync.atomic import StagedFolder
from orkg_sync.publish.metadata import DatasetInfo, FileFacts, describe_dataset, file_facts, statistics

CHECKSUMS = "SHA256SUMS"
# From this much sorted N-Triples on, JSON-LD (the most Python-bound export) is written by a second
# process while this one writes Turtle (where one is worth it: :func:`second_process.worth`).
JSONLD_BESIDE_BYTES = second_process.WORTH_AT
CHUNK = 1 << 20  # read size for hashing a staged file


def checksums(files: Mapping[str, bytes]) -> bytes:
    """``sha256sum``-compatible listing, sorted by name. Staged files are hashed in chunks from disk, two
    at a time (hashlib releases the GIL: the large files hash side by side on two cores)."""
    names = sorted(files)
    with ThreadPoolExecutor(min(2, os.cpu_count() or 1), thread_name_prefix="orkg-sync-sha") as pool:
        digests = pool.map(partial(_sha256, files), names)
        lines = [f"{digest}  {name}\n" for digest, name in zip(digests, names, strict=True)]
    return "".join(lines).encode("ascii")


def _sha256(files: Mapping[str, bytes], name: str) -> str:
    if not isinstance(files, StagedFolder):
        return hashlib.sha256(files[name]).hexdigest()
    digest = hashlib.sha256()
    with open(files.path(name), "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def release_files(
    store: ox.Store,
    info: DatasetInfo | None = None,
    extra: Mapping[str, bytes] | None = None,
    nt: export.SortedNTriples | None = None,
    beside_at: int = JSONLD_BESIDE_BYTES,
    out: str | os.PathLike[str] | None = None,
    into: StagedFolder | None = None,
) -> StagedFolder:
    """All release files for the default graph of ``store``, each written to a stage folder as it is made
    (name -> bytes, read from disk on demand: the large files are never whole in memory).

    ``extra`` carries files made elsewhere (ontology, shapes, validation report) unchanged; ``nt`` is the
    store's sorted N-Triples when the caller made them already (:class:`export.BackgroundSort`);
    ``beside_at``: from this size of N-Triples on, JSON-LD is written by a second process (same bytes);
    ``out``: the folder the release will replace, so the stage is made beside it (publishing is then a
    rename); default a stage in the temp folder. ``into``: a stage to add to instead (the caller's, already
    holding files it wrote as they were made). On any error, Ctrl-C included, the stage is removed.
    """
    info = info or DatasetInfo()
    files = into if into is not None else StagedFolder(out)
    try:
        for name, data in (extra or {}).items():
            files.put(name, data)
        _write_data(files, store, info, nt, beside_at)
    except BaseException:
        files.close()
        raise
    return files


def _write_data(
    files: StagedFolder,
    store: ox.Store,
    info: DatasetInfo,
    nt: export.SortedNTriples | None,
    beside_at: int,
) -> None:
    """data.ttl, data.nt, data.jsonld, context.jsonld and void.ttl, from one sorted dump of the store;
    JSON-LD maybe in a second process and the VoID statistics (queries that release the GIL) on a thread
    meanwhile."""
    with (
        ThreadPoolExecutor(1, thread_name_prefix="orkg-sync-void") as pool,
        export.sorted_ntriples(nt or store) as nt,
        _jsonld_beside(nt, info.base, beside_at, files.path("data.jsonld")) as jsonld,
    ):
        stats = pool.submit(statistics, store)
        with files.create("data.ttl") as fh:
            # one pass: JSON-LD's process has the second core already (two halves here: 1M build +0.3 s)
            export.write_turtle(nt, fh, info.base, halves=False)
        files.link("data.nt", nt.path)
        files.put("context.jsonld", export.context_bytes(info.base))
        # The context is embedded so the download reads with no network (w3id.org may not resolve yet);
        # context.jsonld is still published beside it for those who want to reference it.
        jsonld()
        files.adopt("data.jsonld")
        void = describe_dataset(store, _facts(files), info, stats.result())
    files.put("void.ttl", export.to_turtle(void, info.base))


def _facts(files: StagedFolder) -> dict[str, FileFacts]:
    """Size and declared licence of each staged file, for its DCAT distribution: sizes from the file
    system, and only the small Turtle files that can declare a licence are read."""
    return {name: file_facts(name, files.size(name), partial(files.__getitem__, name)) for name in files}


# What the second process runs (see :mod:`orkg_sync.second_process`: a fresh interpreter that dies with
# the build, so a kill -9 of the build leaves no writer behind).
JSONLD_JOB = "orkg_sync.export:jsonld_file"


@contextmanager
def _jsonld_beside(
    nt: export.SortedNTriples, base: str | None, beside_at: int, out: Path
) -> Iterator[Callable[[], None]]:
    """Yield a function that returns once the JSON-LD is written to ``out``: by a second process (started
    now, so it runs while the caller writes Turtle) for a large graph on a machine with two or more cores,
    else inline when called. When it fails or the caller does, ``out`` is removed (and the process
    killed)."""
    try:
        if not second_process.worth(nt.path.stat().st_size, at=beside_at):
            yield partial(_removing_on_error, out, partial(_write_jsonld, nt, base, out))
        else:
            with _child(nt, base, out) as wait:
                yield partial(_removing_on_error, out, wait)
    except BaseException:
        out.unlink(missing_ok=True)
        raise


def _write_jsonld(nt: export.SortedNTriples, base: str | None, out: Path) -> None:
    with open(out, "wb") as fh:
        export.write_jsonld(nt, fh, base=base)


def _removing_on_error(out: Path, write: Callable[[], None]) -> None:
    """Run ``write``; a partial ``out`` is removed when it fails, even if the caller carries on."""
    try:
        write()
    except BaseException:
        out.unlink(missing_ok=True)
        raise


def _child(
    nt: export.SortedNTriples, base: str | None, out: Path
) -> AbstractContextManager[Callable[[], None]]:
    """The JSON-LD process, writing straight to ``out``; yields a wait that raises what it reported."""
    job = {"nt_path": str(nt.path), "base": base, "out_path": str(out)}
    return second_process.running(JSONLD_JOB, "writing JSON-LD", **job)


def write_release(out_dir: str | os.PathLike[str], files: Mapping[str, bytes]) -> Path:
    """Swap ``files`` + ``SHA256SUMS`` in at ``out_dir`` (an exchange rename: no moment without a complete
    folder). Staged files (:func:`release_files`) are moved, not copied; bytes are staged beside first."""
    staged = files if isinstance(files, StagedFolder) else StagedFolder.of(files, beside=out_dir)
    return staged.publish(out_dir, _write_checksums)


def _write_checksums(files: StagedFolder) -> None:
    """``SHA256SUMS`` into the stage beside the files it lists (not one of them: it seals the release)."""
    (files.folder / CHECKSUMS).write_bytes(checksums(files))
