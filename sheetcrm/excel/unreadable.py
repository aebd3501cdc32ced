"""What a file that is not a readable workbook is, told in one line with what to do.

Staff hand the job what they have: a password-protected copy, an old .xls, a CSV or .ods
renamed to .xlsx, a file cut short by a full disk or a crashed copy. Each gets its own
message (exit 2, an input error), never a traceback; a damaged file names the newest backup.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

from sheetcrm.errors import ConfigError
from sheetcrm.excel.save import BACKUP_DIR

# What zipfile raises for a package whose bytes were damaged (a flipped bit in a header, a
# member cut short): the file is unreadable, the job is not at fault.
DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, struct.error)

_OLE = bytes.fromhex("D0CF11E0A1B11AE1")  # Compound File: .xls, or an encrypted .xlsx
_ODS = b"application/vnd.oasis.opendocument.spreadsheet"


def unreadable(path: Path, detail: str = "") -> ConfigError:
    """The error for `path`, which could not be read as an .xlsx package."""
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError as exc:
        return ConfigError(f"cannot read the workbook {path}: {exc.strerror}")
    return ConfigError(f"{path}: {_what(path, head, detail)}")


def strict_conformance(path: Path) -> ConfigError:
    """The error for a workbook saved as Strict Open XML.

    Its parts live in other namespaces than the ones every writer and reader of the job
    (and most tools staff use) know; the parts the job would add could not be checked
    against what Excel accepts there, so the job refuses rather than risk the file.
    """
    return ConfigError(
        f"{path}: this workbook is saved as Strict Open XML, which the job does not write; "
        'in Excel use File > Save As and choose "Excel Workbook (*.xlsx)" (not "Strict '
        'Open XML Spreadsheet"), then run again'
    )


def _what(path: Path, head: bytes, detail: str) -> str:
    if not head:
        return "the file is empty." + _restore(path)
    if head.startswith(_OLE):
        return (
            "this is a password-protected workbook or an old .xls file; save it in Excel "
            "as .xlsx (File > Info > Protect Workbook: remove the password), then run again"
        )
    if head.startswith(b"PK"):
        if _ODS in head[:200]:
            return "this is a LibreOffice .ods file renamed; save it as .xlsx in LibreOffice"
        reason = f" ({detail})" if detail else ""
        return "the workbook is damaged or cut short" + reason + "." + _restore(path)
    if _looks_like_text(head):
        return "this is a text file (CSV?), not a workbook; open it in Excel and save as .xlsx"
    return "this is not an .xlsx workbook." + _restore(path)


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\0" not in head


def _restore(path: Path) -> str:
    backups = sorted((path.parent / BACKUP_DIR).glob(f"{path.stem}.*{path.suffix}"))
    if not backups:
        return ""
    return f" The newest backup is {backups[-1]}: copy it over the workbook to restore it."
