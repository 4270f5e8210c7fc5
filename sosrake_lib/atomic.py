"""Atomic writes: a file or folder appears complete or not at all.

Write to a temporary sibling, then ``os.replace`` it into place, so an interrupted run never leaves a
half-written output and a reader never sees one.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write_text(d / "a.txt", "hei")
>>> (d / "a.txt").read_text(encoding="utf-8")
'hei'
>>> with atomic_path(d / "b.bin") as tmp:
...     _ = tmp.write_bytes(b"x")
>>> (d / "b.bin").read_bytes()
b'x'
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()
_DIR_MODE = 0o777 & ~_umask()


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success move it onto ``target``.

    On an exception the temporary file is removed and ``target`` is left as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        if tmp.exists():
            os.chmod(tmp, _FILE_MODE)  # mkstemp makes 0600 files; give the usual permissions
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def atomic_write_text(target: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``target`` atomically (UTF-8 by default, ``\\n`` line ends)."""
    atomic_write_bytes(target, text.encode(encoding))


@contextlib.contextmanager
def folder_lock(target: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the lock of an output folder (``.<name>.lock`` beside it, via :mod:`filelock`) or refuse at once.

    Two runs into one folder would race for the same temporary and final folders; the second one stops with
    a one-line :class:`~sosrake_lib.errors.ConfigError` instead. While the lock is held, partial folders left
    by a killed earlier run (``.<name>.*.partial``, ``.<name>.old``) are removed: no run can be writing them.
    """
    from filelock import FileLock, Timeout

    from .errors import ConfigError

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(target.parent / f".{target.name}.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise ConfigError(
            f"another sosrake run is writing {target} right now (lock {lock.lock_file}); "
            "wait for it to finish, then run again"
        ) from None
    try:
        for stale in [
            *target.parent.glob(f".{target.name}.*.partial"),
            target.with_name(f".{target.name}.old"),
        ]:
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
        _clean_siblings(target)
        yield
    finally:
        # The lock file goes too, so an output tree holds only outputs. A run that opened it just before is
        # refused anyway (no waiting), so removing it can at worst let a third run start alongside a second.
        with contextlib.suppress(OSError):
            Path(lock.lock_file).unlink()
        lock.release()


def _clean_siblings(target: Path) -> None:
    """Remove the partial folders a killed run left for the other analyses beside ``target``, where no run holds
    their lock (a run of only one analysis then leaves the semester folder clean as well)."""
    from filelock import FileLock, Timeout

    names = {
        p.name.split(".")[1] for p in target.parent.glob(".*.partial") if p.name.count(".") >= 3
    }
    names |= {p.name[1:-4] for p in target.parent.glob(".*.old")}
    for name in sorted(names - {target.name}):
        lock = FileLock(str(target.parent / f".{name}.lock"))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            continue  # another run is writing that analysis now
        try:
            for stale in [
                *target.parent.glob(f".{name}.*.partial"),
                target.parent / f".{name}.old",
            ]:
                if stale.is_dir():
                    shutil.rmtree(stale, ignore_errors=True)
        finally:
            with contextlib.suppress(OSError):
                Path(lock.lock_file).unlink()
            lock.release()


@contextlib.contextmanager
def atomic_dir(target: str | os.PathLike[str], *, locked: bool = False) -> Iterator[Path]:
    """Yield a temporary folder; on success it replaces ``target`` whole, on error it is deleted.

    An existing ``target`` is only removed once the new folder is complete. The folder is locked for the
    whole time (:func:`folder_lock`): a second run into it stops at once, and stale partial folders of a
    killed run are cleaned. ``locked=True``: the caller already holds the folder's lock (a semester run takes
    every lock before it writes anything).
    """
    target = Path(target)
    if locked:
        yield from _atomic_dir(target)
        return
    with folder_lock(target):
        yield from _atomic_dir(target)


def _atomic_dir(target: Path) -> Iterator[Path]:
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    try:
        yield tmp
        os.chmod(tmp, _DIR_MODE)
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            if old.exists():
                shutil.rmtree(old)
            os.replace(target, old)
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
