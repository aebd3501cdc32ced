"""The workbook's read begun as `sheetcrm sync` or `check` starts, before the rest imports.

Such a command spends its first quarter second importing the pipeline (pydantic and the
settings' models, the rules, the channels) on one core while the other has nothing to do,
and calamine's parse of the sheets needs nothing but the workbook's path. So the path is
found in the settings file the way the settings will find it, the read begins at once
(excel/reader.py's BegunRead: the parses on two threads, the byte scan in a forked copy),
and the backend takes it when it reads, if it reads that same file unchanged: the same
device, inode, size and modification time as the read opened (another sync that replaced
it while this one waited for the lock, or a save from Excel, make a new file). In every
other case the begun read is let go and the workbook read as usual: the guess only saves
time, it never decides what is read. The demo's check 1.54 -> 1.49 s, its sync 3.075 ->
3.0 s, the xlsxwriter shape's sync 2.21 -> 2.155 s (medians of six alternating runs).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

import yaml

from sheetcrm.backend import Snapshot
from sheetcrm.excel.package import Package
from sheetcrm.excel.reader import BegunRead
from sheetcrm.settings_file import DEFAULT_SETTINGS, ENV_REF, settings_file

log = logging.getLogger(__name__)

# The group's options before the command (see cli.py): -c takes a value, the others none.
_CONFIG = ("-c", "--config")
_FLAGS = frozenset({"-v", "--verbose", "-q", "--quiet"})

Identity = tuple[int, int, int, int]  # device, inode, size, modification time (ns)

_begun: tuple[BegunRead, Identity] | None = None


def workbook_named(
    argv: Sequence[str], commands: Collection[str], environ: Mapping[str, str]
) -> Path | None:
    """The Excel workbook the command in `argv` (without the program's name), one of
    `commands`, will read, as its settings name it; None for another command, or when
    anything is unusual (an unknown option, a Google Sheet, a variable not set, no such
    file): the settings then say what they say, and the workbook is read when they have."""
    reads, config = _command_reads(argv, commands)
    if not reads:
        return None
    chosen = settings_file(config)
    source = chosen or DEFAULT_SETTINGS
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError):
        return None
    if not isinstance(data, dict) or "google" in data:
        return None
    named = data.get("workbook")
    if not isinstance(named, str):
        return None
    unset = [n for n in ENV_REF.findall(named) if n not in environ]
    if unset:
        return None
    named = ENV_REF.sub(lambda m: environ[m.group(1)], named)
    if not named.lower().endswith((".xlsx", ".xlsm")):
        return None
    try:
        path = Path(named).expanduser()  # ~nobody/: no such home (RuntimeError)
        if not path.is_absolute():
            base = Path.cwd() if chosen is None else chosen.resolve().parent
            path = base / path
        return path if path.is_file() else None
    except (OSError, RuntimeError, ValueError):
        return None


def _command_reads(argv: Sequence[str], commands: Collection[str]) -> tuple[bool, Path | None]:
    """Whether the command is one of `commands` (after the group's options, without
    --help), and -c's value if given."""
    config = None
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg in _CONFIG and rest:
            config = Path(rest.pop(0))
        elif arg.startswith("--config="):
            config = Path(arg.removeprefix("--config="))
        elif arg not in _FLAGS:
            return arg in commands and "--help" not in rest, config
    return False, None


def begin(
    argv: Sequence[str], commands: Collection[str], environ: Mapping[str, str] = os.environ
) -> None:
    """Begin reading the workbook the command in `argv` will read, if it is one of
    `commands` and reads one."""
    global _begun
    if _begun is not None:
        return
    try:
        path = workbook_named(argv, commands, environ)
        package = Package(path) if path is not None else None
    except Exception:  # not read early: the settings and the read say what is wrong, later
        return
    if package is None:
        return
    try:
        opened = _identity(os.fstat(package.file.fileno()))
        _begun = (BegunRead(package), opened)
    except Exception:
        package.close()


def take(path: Path) -> Snapshot | None:
    """The snapshot of the read begun at start-up when it is of the file at `path` as it
    is now; None (and the begun read let go) otherwise."""
    global _begun
    if _begun is None:
        return None
    begun, opened = _begun
    _begun = None
    try:
        same = _identity(os.stat(path)) == opened
    except OSError:
        same = False
    if not same:
        log.info("%s is not the file the read begun at start-up opened: read again", path)
        _let_go(begun)
        return None
    with begun.package:
        return begun.finish()


def under_way() -> bool:
    """Whether a read begun at start-up waits to be taken."""
    return _begun is not None


def let_go() -> None:
    """Let a read begun at start-up go when nothing took it (the command failed first, or
    read another workbook)."""
    global _begun
    if _begun is not None:
        begun, _ = _begun
        _begun = None
        _let_go(begun)


def _let_go(begun: BegunRead) -> None:
    with begun.package:
        begun.abandon()


def _identity(stat: os.stat_result) -> Identity:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
