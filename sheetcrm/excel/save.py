"""Writing the workbook politely and atomically.

Politely: never while it is open in Excel, WPS or LibreOffice, never over edits staff made
since it was read. Atomically: a temporary file beside it, fsync, rename, fsync the folder;
the previous version is kept as a backup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from sheetcrm.errors import BackendError

BACKUP_DIR = ".sheetcrm-backups"


def lock_files(path: Path) -> list[Path]:
    """Lock files Excel/WPS (~$name.xlsx) and LibreOffice (.~lock.name.xlsx#) leave beside it."""
    candidates = [path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")]
    if len(path.name) > 2:  # Excel shortens long names: ~$ replaces the first two characters
        candidates.append(path.with_name("~$" + path.name[2:]))
    return [p for p in candidates if p.exists()]


def refuse_if_open(path: Path, *, before_sending: bool = True) -> None:
    """Refuse a workbook open in Excel or LibreOffice (their lock file beside it): staff's
    next save there would replace whatever the job wrote."""
    locks = lock_files(path)
    if locks:
        who = lock_owner(locks[0])
        nothing = "Nothing was sent or written" if before_sending else "Nothing was written"
        raise BackendError(
            f"{path.name} is open in another program{f' by {who}' if who else ''} (lock file "
            f"{locks[0].name}); close it there and run sync again. {nothing}. If nobody has "
            "it open, the lock file is stale: delete it."
        )


def lock_owner(lock: Path) -> str:
    """Who the lock file says holds the workbook: LibreOffice writes `,Name,host,...`, Excel
    a length-prefixed user name after its first byte."""
    try:
        data = lock.read_bytes()[:512]
    except OSError:
        return ""
    if lock.name.startswith(".~lock."):
        fields = data.decode("utf-8", "replace").split(",")
        return fields[1].strip() if len(fields) > 1 else ""
    if len(data) > 1 and 0 < data[0] <= len(data) - 1:
        return data[1 : 1 + data[0]].decode("latin-1", "replace").strip()
    return ""


def refuse_if_changed(path: Path, token: str, current: str) -> None:
    if current != token:
        raise BackendError(
            f"{path.name} changed since it was read; staff edits win, so nothing was written. "
            "Run sync again."
        )


def replace_atomically(
    path: Path,
    write: Callable[[BinaryIO], None],
    *,
    backups: int,
    now: dt.datetime,
    expected: str | None = None,
) -> Path | None:
    """Write a new version of `path` through `write`; returns the backup kept, if any.

    `expected` is the token of the version the new one was made from. It is checked again
    at the last moment, right before the rename, and the version the rename replaced is
    checked once more after it: a staff save that landed in between is put back, never lost.
    """
    # A symlinked workbook is written through to its target, never replaced by a file.
    path = path.resolve()
    mode = path.stat().st_mode & 0o7777
    remove_stale(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        if expected is not None:
            # The last moment: opened in Excel, or saved by staff, while sync was writing.
            refuse_if_open(path, before_sending=False)
            refuse_if_changed(path, expected, file_token(path))
        backup = _backup(path, backups, now)
        held = _hold(path)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        # A full disk, a folder turned read-only: the workbook is as it was.
        raise BackendError(
            f"cannot write {path.name}: {exc.strerror or exc}; the workbook was not changed"
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    try:
        if held is not None and expected is not None and file_token(held) != expected:
            os.replace(held, path)  # staff's version, saved between the check and the rename
            raise BackendError(
                f"{path.name} was saved by someone else while sync was writing; their version "
                "is back in place and nothing of sync's was kept. Run sync again."
            )
    finally:
        if held is not None:
            held.unlink(missing_ok=True)
    _fsync_dir(path.parent)
    return backup


def remove_stale(path: Path) -> None:
    """Temporary files an earlier run left when it was killed mid-write: only one sync at a
    time writes a workbook (the workbook lock), so any of ours still there is stale."""
    for pattern in (f".{path.stem}.*.tmp", f".{path.stem}.replaced-*{path.suffix}"):
        for stale in path.parent.glob(pattern):
            stale.unlink(missing_ok=True)


def file_token(path: Path) -> str:
    """The token of the file's bytes now, as Package.token names the version read."""
    with path.open("rb") as f:
        return token_of(f)


def token_of(file: BinaryIO) -> str:
    """Size and SHA-256 of the bytes from the handle's position on; the handle is left at
    the start."""
    digest = hashlib.sha256()
    size = 0
    while chunk := file.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return f"{size}:{digest.hexdigest()}"


def _hold(path: Path) -> Path | None:
    """A second name for the version about to be replaced (a hard link: no copy), so it can
    be checked, and put back, after the rename; None where links are not possible."""
    held = path.with_name(f".{path.stem}.replaced-{os.getpid()}{path.suffix}")
    held.unlink(missing_ok=True)
    try:
        os.link(path, held)
    except OSError:
        return None
    return held


def _backup(path: Path, keep: int, now: dt.datetime) -> Path | None:
    if keep <= 0:
        return None
    folder = path.parent / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    target = folder / f"{path.stem}.{now:%Y%m%d-%H%M%S-%f}{path.suffix}"
    shutil.copy2(path, target)
    old = sorted(folder.glob(f"{path.stem}.*{path.suffix}"))  # names sort by time
    for stale in old[: max(0, len(old) - keep)]:
        stale.unlink()
    return target


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
