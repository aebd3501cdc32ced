"""The workbook as calamine is given it: each sheet's XML begun with an empty <mergeCells>.

python-calamine's get_sheet_by_name reads a sheet's values, then the sheet's whole XML a
second time for its merged cells: calamine ends that second read only at <mergeCells>,
which the schema puts after the cells. It was two fifths of the parse (the demo's
10,000-customer contact log: 0.63 s, 0.40 s without it). The reader takes merged cells from
its own byte scan, so calamine reads a copy of the package in which each sheet's part
starts with an empty <mergeCells></mergeCells>: the second read stops there, and the values
read are the same (calamine looks for the cells by name, and reads nothing else before).

The copy is made without inflating anything: every member is copied compressed, and a
sheet's deflate stream is put behind a stored block holding the element (a deflate stream
is a series of blocks, and a stored one ends on a byte), its CRC-32 combined from the
element's and the member's. A sheet that is not a plainly deflated member whose XML starts
with "<" in UTF-8 is copied as it is: calamine then reads it twice, as before.
"""

from __future__ import annotations

import io
import os
import re
import struct
import tempfile
import zlib
from collections.abc import Collection, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipInfo

from sheetcrm.errors import BackendError
from sheetcrm.excel import codec
from sheetcrm.excel.package import Package
from sheetcrm.excel.zipwriter import Deflated, Entry, write_zip

LEAD = b"<mergeCells></mergeCells>"  # a start and an end: calamine stops at the start
_HEAD = 512  # inflated bytes enough to see how a part begins (its declaration)
_ENCODING = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")


@contextmanager
def calamine_copy(package: Package, sheets: Collection[str]) -> Iterator[Path]:
    """A temporary copy of the package with the `sheets` parts led by LEAD, gone when the
    block ends; the package's own path where no copy can be made (a full disk, a member
    over 4 GB): reading it costs the second read, nothing else."""
    handle, name = tempfile.mkstemp(suffix=".xlsx", prefix="sheetcrm-read-")
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            write_zip(out, _entries(package, sheets))
    except (OSError, BackendError):
        path.unlink(missing_ok=True)
        yield package.path
        return
    except BaseException:  # a damaged member: the read says so, and leaves no copy
        path.unlink(missing_ok=True)
        raise
    try:
        yield path
    finally:
        with suppress(OSError):
            path.unlink()


def _entries(package: Package, sheets: Collection[str]) -> Iterator[Entry]:
    for info in package.infos:
        raw = package.raw(info)
        if info.filename in sheets and _can_lead(info, raw):
            yield Entry(info.filename, info, new=_led(info, raw))
        else:
            yield Entry(info.filename, info, raw=raw)


def _can_lead(info: ZipInfo, raw: bytes) -> bool:
    """A plainly deflated member whose XML starts with "<" in UTF-8 (no byte-order mark,
    no other encoding declared)."""
    if info.compress_type != ZIP_DEFLATED or info.flag_bits & 0x1:
        return False
    try:
        head = zlib.decompressobj(-15).decompress(raw[:_HEAD], _HEAD)
    except zlib.error:
        return False  # calamine will say what is wrong with it
    if not head.startswith(b"<"):
        return False
    declared = _ENCODING.match(head)
    return declared is None or declared.group(1).lower() in (b"utf-8", b"utf8")


def _led(info: ZipInfo, raw: bytes) -> Deflated:
    block = _stored_block(LEAD)
    crc = codec.crc32_combine(codec.crc32(LEAD), info.CRC, info.file_size)
    return Deflated(
        io.BytesIO(block + raw),
        len(block) + len(raw),
        crc,
        len(LEAD) + info.file_size,
        ZIP_DEFLATED,
    )


def _stored_block(content: bytes) -> bytes:
    """A deflate block holding `content` as it is, not the stream's last: its header bits
    (not final, stored) padded to a byte, then the length and its complement."""
    return b"\x00" + struct.pack("<HH", len(content), len(content) ^ 0xFFFF) + content
