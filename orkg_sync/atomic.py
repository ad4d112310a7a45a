"""Atomic file writes: a reader (or a crash) never sees a half-written file."""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import re
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from orkg_sync import scratch


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same folder, fsync, then rename."""
    with atomic_writer(path) as fh:
        fh.write(data)


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file that becomes ``path`` when the block ends (temp file in the same folder, fsync,
    rename), so a large output is streamed, never held whole; on any error, Ctrl-C included, the temp
    file is removed and ``path`` is untouched."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Text variant of :func:`atomic_write_bytes` (UTF-8, ``\\n`` line ends)."""
    atomic_write_bytes(path, text.encode("utf-8"))


# ---------------------------------------------------------------------------------------------- folders
_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def swap_in(stage: Path, target: Path) -> None:
    """Put the folder ``stage`` at ``target`` with no moment where ``target`` is missing or partial.

    An existing ``target`` is exchanged with ``stage`` in one rename (``RENAME_EXCHANGE``), then the old
    content (now at ``stage``) is deleted. Where the kernel or file system cannot exchange, the fallback
    is two renames (a window of microseconds without the folder; never a partial one). The old content
    is removed under a stage name, so a kill -9 during its removal leaves a folder the next stage sweeps.
    """
    if target.exists() and _exchange(stage, target):
        shutil.rmtree(stage, ignore_errors=True)
    elif target.exists():
        old = target.with_name(f"{_stage_prefix(target)}{os.getpid()}.old")
        os.replace(target, old)
        os.replace(stage, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(stage, target)
    _fsync_dir(target.parent)


def write_folder(target: str | os.PathLike[str], files: Mapping[str, bytes]) -> Path:
    """Stage ``files`` (name -> bytes) in a sibling folder and swap it in, fsync'd (:class:`StagedFolder`);
    on any error, Ctrl-C included, the stage is removed and ``target`` is untouched."""
    return StagedFolder.of(files, beside=target).publish(target)


# ---------------------------------------------------------------------------------------------- stages
# A stage is named <prefix><pid>.<random> so that one left by a killed process (kill -9 skips every
# clean-up) can be told from one a live process is filling, and swept by the next stage made there.
STAGE_TAG = ".stage."
TEMP_STAGE_PREFIX = scratch.PREFIX + "release."


def _stage_prefix(target: Path) -> str:
    return f".{target.name}{STAGE_TAG}"


def stage_beside(target: Path) -> Path:
    """A new empty folder beside ``target`` (same file system, so :func:`swap_in` is one rename), after
    sweeping the stages of ``target`` whose process is gone."""
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = _stage_prefix(target)
    sweep_stages(target.parent, prefix)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}.", dir=target.parent))


def temp_stage() -> Path:
    """A new empty stage in the temp folder, for files whose destination is not known yet."""
    return scratch.make_dir("release")  # orkg-sync-release.<pid>.*: swept once its process is gone


def sweep_stages(parent: Path, prefix: str) -> list[Path]:
    """Remove the folders ``<prefix><pid>.<suffix>`` in ``parent`` whose process is gone; the removed ones."""
    shape = re.compile(re.escape(prefix) + r"(\d+)\.[A-Za-z0-9_]+")
    gone = []
    for folder in parent.glob(glob.escape(prefix) + "*"):
        m = shape.fullmatch(folder.name)
        if m and folder.is_dir() and not scratch.alive(int(m.group(1))):
            shutil.rmtree(folder, ignore_errors=True)
            gone.append(folder)
    return gone


def fsync_file(path: Path) -> None:
    """Flush a file written by someone else (another process, a kernel copy) to disk before a swap."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------------- staged
class StagedFolder(Mapping[str, bytes]):
    """Files made one by one in a stage folder, then swapped in as one folder (:meth:`publish`) or dropped
    (:meth:`close`).

    Each file is written to its path as it is made and read back only on demand (``staged[name]`` reads
    the file), so a release of gigabytes never sits in memory; :meth:`size` and :meth:`path` tell without
    reading. Made ``beside`` the folder it will replace, publishing is one rename; without a destination it
    waits in the temp folder. An unpublished stage is removed by :meth:`close` (or a ``with`` block), when
    the object is collected or at exit; one left by a kill -9 is swept by the next stage made there.
    """

    def __init__(self, beside: str | os.PathLike[str] | None = None) -> None:
        self.folder = stage_beside(Path(beside).resolve()) if beside is not None else temp_stage()
        self._names: set[str] = set()
        self._staged = True  # False once published: the names then read from the published folder
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.folder, True)

    @classmethod
    def of(cls, files: Mapping[str, bytes], beside: str | os.PathLike[str] | None = None) -> StagedFolder:
        """A stage holding ``files`` (name -> bytes)."""
        staged = cls(beside)
        try:
            for name, data in sorted(files.items()):
                staged.put(name, data)
        except BaseException:
            staged.close()
            raise
        return staged

    # -- adding files
    @contextlib.contextmanager
    def create(self, name: str) -> Iterator[BinaryIO]:
        """A file to write ``name`` into as it is made; it is staged once the block ends without error."""
        path = self._prepared(name)
        try:
            with open(path, "wb") as fh:
                yield fh
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        self._names.add(name)

    def put(self, name: str, data: bytes) -> None:
        """Stage a small file from bytes."""
        with self.create(name) as fh:
            fh.write(data)

    def link(self, name: str, source: Path) -> None:
        """Stage a finished file that its owner removes later (never rewrites in place): a hard link where the
        file system allows (instant: no copy of gigabytes), else a copy made by the kernel (no pass through
        this process)."""
        path = self._prepared(name)
        try:
            os.link(source, path)
        except OSError:
            shutil.copyfile(source, path)
        self._names.add(name)

    def adopt(self, name: str) -> None:
        """Stage the file another process wrote at :meth:`path` (``name``)."""
        if not self.path(name).is_file():
            raise FileNotFoundError(f"{self.path(name)}: not written")
        self._names.add(name)

    # -- reading
    def path(self, name: str) -> Path:
        """Where ``name`` is (or is to be) staged; after :meth:`publish`, where it was published."""
        rel = PurePosixPath(name)
        if not rel.parts or rel.is_absolute() or ".." in rel.parts:
            raise ValueError(f"{name!r}: not a relative file name")
        return self.folder.joinpath(*rel.parts)

    def size(self, name: str) -> int:
        if name not in self._names:
            raise KeyError(name)
        return self.path(name).stat().st_size

    def __getitem__(self, name: str) -> bytes:
        if name not in self._names:
            raise KeyError(name)
        return self.path(name).read_bytes()

    def __contains__(self, name: object) -> bool:  # Mapping's default would read the file
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._names))

    def __len__(self) -> int:
        return len(self._names)

    # -- publishing
    def publish(
        self, target: str | os.PathLike[str], finish: Callable[[StagedFolder], None] | None = None
    ) -> Path:
        """Swap the files in at ``target`` as one folder (:func:`swap_in`), fsync'd first. ``finish`` runs
        once the stage is beside ``target`` (it may write more files into :attr:`folder`, such as a list
        of checksums). Any error, Ctrl-C included, removes the stage and leaves ``target`` as it was."""
        out = Path(target).resolve()
        self._move_beside(out)
        try:
            if finish is not None:
                finish(self)
            for path in [*self.folder.rglob("*"), self.folder]:
                if path.is_dir():
                    _fsync_dir(path)  # where the file system can
                else:
                    fsync_file(path)
            os.chmod(self.folder, 0o755)
            swap_in(self.folder, out)
        except BaseException:
            self.close()
            raise
        self._cleanup.detach()
        self.folder, self._staged = out, False
        return out

    def _move_beside(self, out: Path) -> None:
        """Bring the files into a stage beside ``out``: already there, renamed there (same file system),
        or copied by the kernel (another file system, or files already published elsewhere)."""
        if (
            self._staged
            and self.folder.parent == out.parent
            and self.folder.name.startswith(_stage_prefix(out))
        ):
            return
        stage = stage_beside(out)
        try:
            if self._staged and _renamed(self.folder, stage):
                self._own(stage)
                return
            for name in self._names:
                dst = stage.joinpath(*PurePosixPath(name).parts)
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(self.path(name), dst)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        if self._staged:
            self._cleanup()
        self._own(stage)

    def _own(self, folder: Path) -> None:
        self._cleanup.detach()
        self.folder, self._staged = folder, True
        self._cleanup = weakref.finalize(self, shutil.rmtree, folder, True)

    def _prepared(self, name: str) -> Path:
        if not self._staged:
            raise ValueError(f"{self.folder}: published, no more files can be added")
        path = self.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def close(self) -> None:
        """Remove the stage (nothing once published)."""
        if self._staged:
            self._cleanup()

    def __enter__(self) -> StagedFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _renamed(src: Path, dst: Path) -> bool:
    """Rename the folder ``src`` onto the empty folder ``dst``; False when they are on two file systems."""
    try:
        os.replace(src, dst)
    except OSError as err:
        if err.errno == errno.EXDEV:
            return False
        raise
    return True
