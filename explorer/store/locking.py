"""One writer per workspace file, across processes: the import lock.

An import holds an exclusive, non-blocking lock on ``.<workspace>.lock`` beside the workspace
for its whole run. A second import into the same file (a new one or an existing one, from
another terminal or the window) is refused at once with "workspace is busy", instead of
building its own copy and silently replacing the first one's result. The operating system
drops the lock when its process dies, so a killed import never blocks the next one; and since
only the lock holder may create temporary files for the workspace, the holder may remove any
it finds: they were left by an import that is gone.

The lock file is removed on release. Another process may have opened it just before: after
locking, the holder checks that the path still names the file it locked, and tries again if
not, so two processes never both believe they hold the lock.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from explorer.store.db import WorkspaceError

BUSY_MESSAGE = "workspace is busy (another import?); try again"
_ATTEMPTS = 5


class WorkspaceBusy(WorkspaceError):
    """Another process holds the workspace's import lock."""


def lock_path(workspace: Path) -> Path:
    return workspace.with_name(f".{workspace.name}.lock")


@contextlib.contextmanager
def workspace_lock(workspace: Path) -> Iterator[None]:
    """Hold the import lock of ``workspace``; WorkspaceBusy when another process holds it."""
    path = lock_path(workspace)
    fd = _acquire(path, workspace)
    try:
        yield
    finally:
        _release(path, fd)


def _acquire(path: Path, workspace: Path) -> int:
    for _attempt in range(_ATTEMPTS):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise WorkspaceError(f"{workspace}: cannot lock the workspace ({exc.strerror})"
                                 ) from None
        if not _try_lock(fd):
            os.close(fd)
            raise WorkspaceBusy(f"{workspace}: {BUSY_MESSAGE}")
        if _same_file(fd, path):
            return fd
        os.close(fd)  # the holder before us removed the file we opened: lock the new one
    raise WorkspaceBusy(f"{workspace}: {BUSY_MESSAGE}")


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


def _release(path: Path, fd: int) -> None:
    if sys.platform != "win32":
        with contextlib.suppress(OSError):
            path.unlink()  # still locked: nobody else can have taken it meanwhile
    with contextlib.suppress(OSError):
        _unlock(fd)
    os.close(fd)
    if sys.platform == "win32":  # Windows cannot remove a file another process holds open
        with contextlib.suppress(OSError):
            path.unlink()


if sys.platform != "win32":
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError:  # a file system without locks: work as before, unlocked
            return True
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

else:  # pragma: no cover - Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
