"""Write the release folder atomically: stage everything in a sibling temp dir, then rename into place.

A reader sees either the old release or the complete new one, never a mix. ``SHA256SUMS`` covers every
file (``sha256sum -c`` format), and all content is deterministic for the same input.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from orkg_sync import export
from orkg_sync.atomic import write_folder
from orkg_sync.publish.metadata import DatasetInfo, describe_dataset, statistics

CHECKSUMS = "SHA256SUMS"
# Above this much sorted N-Triples (~250k triples), JSON-LD (the most Python-bound export) is written by
# a second process while this one writes Turtle: below it, starting a process costs more than it saves.
JSONLD_BESIDE_BYTES = 32 << 20


def checksums(files: dict[str, bytes]) -> bytes:
    """``sha256sum``-compatible listing, sorted by name."""
    lines = [f"{hashlib.sha256(files[n]).hexdigest()}  {n}\n" for n in sorted(files)]
    return "".join(lines).encode("ascii")


def release_files(
    store: ox.Store,
    info: DatasetInfo | None = None,
    extra: dict[str, bytes] | None = None,
    nt: export.SortedNTriples | None = None,
    beside_at: int = JSONLD_BESIDE_BYTES,
) -> dict[str, bytes]:
    """All release files (name -> bytes) for the default graph of ``store``.

    ``extra`` carries files made elsewhere (ontology, shapes, validation report) unchanged; ``nt`` is the
    store's sorted N-Triples when the caller made them already (:class:`export.BackgroundSort`);
    ``beside_at``: from this size of N-Triples on, JSON-LD is written by a second process (same bytes).
    """
    info = info or DatasetInfo()
    files: dict[str, bytes] = dict(extra or {})
    # Dumped and sorted once, on disk, for all three formats; JSON-LD maybe in a second process and the
    # VoID statistics (queries that release the GIL) on a thread meanwhile.
    with (
        ThreadPoolExecutor(1, thread_name_prefix="orkg-sync-void") as pool,
        export.sorted_ntriples(nt or store) as nt,
        _jsonld_beside(nt, info.base, beside_at) as jsonld,
    ):
        stats = pool.submit(statistics, store)
        files["data.ttl"] = export.to_turtle(nt, info.base)
        files["data.nt"] = nt.read_bytes()
        files["context.jsonld"] = export.context_bytes(info.base)
        # The context is embedded so the download reads with no network (w3id.org may not resolve yet);
        # context.jsonld is still published beside it for those who want to reference it.
        files["data.jsonld"] = jsonld()
        void = describe_dataset(store, files, info, stats.result())
    files["void.ttl"] = export.to_turtle(void, info.base)
    return files


# The second process: a fresh interpreter that imports only the exporter (not the caller's __main__,
# as multiprocessing's spawn would), with this process's import path.
_CHILD = (
    "import sys; from orkg_sync.export import jsonld_file; "
    "jsonld_file(sys.argv[1], sys.argv[2] or None, sys.argv[3])"
)


@contextmanager
def _jsonld_beside(
    nt: export.SortedNTriples, base: str | None, beside_at: int
) -> Iterator[Callable[[], bytes]]:
    """Yield a getter of the JSON-LD bytes: made by a second process (started now, so it runs while the
    caller writes Turtle) for a large graph on a machine with two or more cores, else inline on demand."""
    if nt.path.stat().st_size < beside_at or (os.cpu_count() or 1) < 2:
        yield lambda: export.to_jsonld(nt, base=base)
        return
    with tempfile.TemporaryDirectory(prefix="orkg-sync-jsonld-") as tmp:
        out = Path(tmp) / "data.jsonld"
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        argv = [sys.executable, "-c", _CHILD, str(nt.path), base or "", str(out)]
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

        def result() -> bytes:
            _, err = proc.communicate()
            if proc.returncode != 0:
                last = err.decode(errors="replace").strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
                raise OSError(f"writing JSON-LD in a second process failed: {last[0]}")
            return out.read_bytes()

        try:
            yield result
        finally:
            if proc.poll() is None:  # the caller failed or was interrupted first
                proc.kill()
                proc.wait()


def write_release(out_dir: str | os.PathLike[str], files: dict[str, bytes]) -> Path:
    """Stage ``files`` + ``SHA256SUMS`` beside ``out_dir`` and swap them in (an exchange rename: no moment
    without a complete folder)."""
    return write_folder(out_dir, {**files, CHECKSUMS: checksums(files)})
