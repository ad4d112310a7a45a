"""Write the release folder atomically: stage everything in a sibling temp dir, then rename into place.

A reader sees either the old release or the complete new one, never a mix. ``SHA256SUMS`` covers every
file (``sha256sum -c`` format), and all content is deterministic for the same input.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pyoxigraph as ox

from orkg_sync import export
from orkg_sync.atomic import write_folder
from orkg_sync.publish.metadata import DatasetInfo, describe_dataset

CHECKSUMS = "SHA256SUMS"


def checksums(files: dict[str, bytes]) -> bytes:
    """``sha256sum``-compatible listing, sorted by name."""
    lines = [f"{hashlib.sha256(files[n]).hexdigest()}  {n}\n" for n in sorted(files)]
    return "".join(lines).encode("ascii")


def release_files(
    store: ox.Store,
    info: DatasetInfo | None = None,
    extra: dict[str, bytes] | None = None,
    nt: export.SortedNTriples | None = None,
) -> dict[str, bytes]:
    """All release files (name -> bytes) for the default graph of ``store``.

    ``extra`` carries files made elsewhere (ontology, shapes, validation report) unchanged; ``nt`` is the
    store's sorted N-Triples when the caller made them already (:class:`export.BackgroundSort`).
    """
    info = info or DatasetInfo()
    files: dict[str, bytes] = dict(extra or {})
    with export.sorted_ntriples(nt or store) as nt:  # dumped and sorted once, on disk, for all three formats
        files["data.ttl"] = export.to_turtle(nt, info.base)
        files["data.nt"] = nt.read_bytes()
        files["context.jsonld"] = export.context_bytes(info.base)
        # The context is embedded so the download reads with no network (w3id.org may not resolve yet);
        # context.jsonld is still published beside it for those who want to reference it.
        files["data.jsonld"] = export.to_jsonld(nt, base=info.base)
    files["void.ttl"] = export.to_turtle(describe_dataset(store, files, info), info.base)
    return files


def write_release(out_dir: str | os.PathLike[str], files: dict[str, bytes]) -> Path:
    """Stage ``files`` + ``SHA256SUMS`` beside ``out_dir`` and swap them in (an exchange rename: no moment
    without a complete folder)."""
    return write_folder(out_dir, {**files, CHECKSUMS: checksums(files)})
