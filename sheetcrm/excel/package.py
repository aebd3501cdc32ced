"""The .xlsx/.xlsm package: its members, its sheets and where their XML lives."""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import IO

from sheetcrm.errors import BackendError
from sheetcrm.excel.codec import data_offset, open_member
from sheetcrm.excel.save import token_of
from sheetcrm.excel.unreadable import strict_conformance, unreadable
from sheetcrm.excel.xmltext import unescape

WORKSHEET_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_OFFICE_DOCUMENT = re.compile(
    rb'<Relationship\b[^>]*Type="[^"]*/officeDocument"[^>]*Target="([^"]+)"'
    rb'|<Relationship\b[^>]*Target="([^"]+)"[^>]*Type="[^"]*/officeDocument"'
)
# Strict Open XML (ISO 29500 Strict, Excel's "Strict Open XML Spreadsheet") names every
# relationship and namespace under purl.oclc.org instead of schemas.openxmlformats.org.
_STRICT = b"http://purl.oclc.org/ooxml/officeDocument/relationships/"
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")
_DATE1904 = re.compile(rb'<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(1|true)"')


def attributes(tag: bytes) -> dict[str, str]:
    """Attributes of one start tag, unescaped, by qualified name (`r:id` keeps its prefix)."""
    return {k.decode(): unescape(v.decode("utf-8"), {"&quot;": '"'}) for k, v in _ATTR.findall(tag)}


@dataclass(frozen=True)
class SheetEntry:
    name: str
    part: str  # zip member name, e.g. xl/worksheets/sheet1.xml
    rel_id: str
    sheet_id: int
    is_worksheet: bool


class Package:
    """An open workbook file: its members, its sheets, and the token of its bytes.

    The file is read through one handle (its bytes are not held in memory), and the token
    (size and SHA-256) is computed from that same handle, so the package read is the one
    the token names; only when asked for (8 ms for a 10 MB workbook: a check of the layout
    before the write does not need it).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.file = path.open("rb")
        except FileNotFoundError:
            raise BackendError(f"the workbook {path} does not exist") from None
        try:
            self.zip = zipfile.ZipFile(self.file)
        except zipfile.BadZipFile as exc:
            self.file.close()
            raise unreadable(path, str(exc)) from None
        self.infos = self.zip.infolist()
        self.names = [i.filename for i in self.infos]
        self.workbook_part = self._workbook_part()
        self.workbook_rels_part = rels_of(self.workbook_part)
        self.sheets = self._sheets()

    @cached_property
    def token(self) -> str:
        self.file.seek(0)  # the whole file: reads of the members moved the handle
        return token_of(self.file)

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.zip.close()
        self.file.close()

    def raw(self, info: zipfile.ZipInfo) -> bytes:
        """The compressed bytes of a member, straight from the file."""
        self.file.seek(data_offset(self.file, info))
        return self.file.read(info.compress_size)

    def open_member(self, name: str) -> IO[bytes]:
        """A member's content as a stream, inflated as it is read (by ISA-L where it is
        installed, see sheetcrm.excel.codec)."""
        return open_member(self.file, self.zip, name)

    def read(self, name: str) -> bytes:
        try:
            return self.zip.read(name)
        except KeyError:
            if name == "_rels/.rels":  # no package at all: an .ods renamed, a damaged file
                raise unreadable(self.path, f"no part {name}") from None
            raise BackendError(f"{self.path}: the package has no part {name}") from None
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise unreadable(self.path, f"{name}: {exc}") from None

    def has(self, name: str) -> bool:
        return name in self.names

    @property
    def date1904(self) -> bool:
        return _DATE1904.search(self.read(self.workbook_part)) is not None

    def _workbook_part(self) -> str:
        rels = self.read("_rels/.rels")
        if _STRICT in rels:
            raise strict_conformance(self.path)
        m = _OFFICE_DOCUMENT.search(rels)
        if not m:
            raise BackendError(f"{self.path}: not a spreadsheet (no workbook part)")
        target = (m.group(1) or m.group(2)).decode()
        return target.lstrip("/")

    def _sheets(self) -> list[SheetEntry]:
        base = posixpath.dirname(self.workbook_part)
        rels: dict[str, tuple[str, str]] = {}
        for tag in _RELATIONSHIP.findall(self.read(self.workbook_rels_part)):
            a = attributes(tag)
            if "Id" not in a or "Target" not in a:
                raise unreadable(self.path, f"{self.workbook_rels_part}: a broken relationship")
            rels[a["Id"]] = (a.get("Type", ""), resolve_target(base, a["Target"]))
        sheets = []
        for tag in _SHEET.findall(self.read(self.workbook_part)):
            a = attributes(tag)
            rel_id = next((v for k, v in a.items() if k.endswith(":id") or k == "id"), None)
            if rel_id is None or "name" not in a or not a.get("sheetId", "0").isdigit():
                raise unreadable(self.path, f"{self.workbook_part}: a broken sheet entry")
            type_, part = rels.get(rel_id, ("", ""))
            sheets.append(
                SheetEntry(
                    a["name"], part, rel_id, int(a.get("sheetId", "0")), type_ == WORKSHEET_TYPE
                )
            )
        return sheets

    def related(self, kind: str) -> str | None:
        """The part the workbook links with a relationship of type `.../kind` (styles,
        sharedStrings, calcChain), wherever the package keeps it."""
        base = posixpath.dirname(self.workbook_part)
        for tag in _RELATIONSHIP.findall(self.read(self.workbook_rels_part)):
            a = attributes(tag)
            linked = a.get("Type", "").endswith("/" + kind) and "Target" in a
            if linked and a.get("TargetMode") != "External":
                return resolve_target(base, a["Target"])
        return None

    def beside_workbook(self, *path: str) -> str:
        """A part name in the workbook's own folder (xl/ in most packages, not in all)."""
        return posixpath.join(posixpath.dirname(self.workbook_part), *path)

    def has_sheet(self, name: str) -> bool:
        return any(entry.name == name for entry in self.sheets)

    def sheet(self, name: str) -> SheetEntry:
        for entry in self.sheets:
            if entry.name == name:
                return entry
        raise BackendError(f"{self.path}: no sheet named {name!r}")


def resolve_target(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base, target))


def rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")
