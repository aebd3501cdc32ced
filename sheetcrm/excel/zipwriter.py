"""A minimal zip writer that copies untouched members raw.

Re-deflating every member of a 6 MB workbook costs close to a second and changes bytes the job
does not own; copying the compressed bytes as they are costs nothing and keeps them identical.
Only the members the job changed or added are deflated.
"""

from __future__ import annotations

import shutil
import struct
import tempfile
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import IO, BinaryIO
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipInfo

from sheetcrm.errors import BackendError
from sheetcrm.excel import codec

_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_UTF8_FLAG = 0x800
_DATA_DESCRIPTOR_FLAG = 0x08
_LIMIT = 0xFFFFFFFF


@dataclass(frozen=True)
class Deflated:
    """New content, compressed as soon as it is made so the plain XML can be let go, and
    kept in a temporary file once over 1 MB: the parts of a sync wait there for the zip to
    be written, not in memory (13 MB of a 10,000-customer workbook's patched sheets)."""

    stored: IO[bytes]
    length: int  # compressed
    crc: int
    size: int  # uncompressed
    method: int

    @property
    def data(self) -> bytes:
        self.stored.seek(0)
        return self.stored.read()

    def copy_to(self, out: BinaryIO) -> None:
        self.stored.seek(0)
        shutil.copyfileobj(self.stored, out, _SEGMENT)

    @classmethod
    def of(cls, content: bytes) -> Deflated:
        return cls.of_pieces([content])

    @classmethod
    def of_pieces(
        cls, pieces: Iterable[bytes | memoryview], stored: IO[bytes] | None = None
    ) -> Deflated:
        """Deflate consecutive pieces of one part without joining them first (into
        `stored`, a file the caller made, when given)."""
        sink = DeflateSink(stored)
        for piece in pieces:
            sink.write(piece)
        return sink.finish()


class DeflateSink:
    """Takes a part's content piece by piece and deflates it as it comes.

    Content is gathered in 1 MB segments, each deflated on its own by a pool of two threads
    (zlib lets go of the GIL) and ended with a sync flush, so the segments join into one
    valid deflate stream, as pigz does: a 40 MB contact log compresses on both cores. At most
    a few segments wait, so memory stays flat.
    """

    def __init__(self, stored: IO[bytes] | None = None) -> None:
        self._segment: list[bytes | memoryview] = []
        self._segment_size = 0
        self._crc = 0
        self._size = 0
        self._pool: ThreadPoolExecutor | None = None
        self._pending: deque[Future[bytes]] = deque()
        # Lives as long as the Deflated that holds it (until the zip is written); an
        # unnamed temporary file goes when it is closed or collected. `stored`: a file the
        # caller made (one a forked copy writes to, say).
        self._stored: IO[bytes] = stored or tempfile.SpooledTemporaryFile(max_size=_SEGMENT)  # noqa: SIM115
        self._length = 0

    def write(self, piece: bytes | memoryview) -> None:
        if not piece:
            return
        self._crc = codec.crc32(piece, self._crc)
        self._size += len(piece)
        self._segment.append(piece)
        self._segment_size += len(piece)
        if self._segment_size >= _SEGMENT:
            self._submit(final=False)

    def finish(self) -> Deflated:
        self._submit(final=True)
        while self._pending:
            self._store(self._pending.popleft().result())
        if self._pool is not None:
            self._pool.shutdown()
        return Deflated(self._stored, self._length, self._crc, self._size, ZIP_DEFLATED)

    def discard(self) -> None:
        """Drop what was written (a patch that starts over): nothing more is stored."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        self._pending.clear()

    def _store(self, chunk: bytes) -> None:
        self._stored.write(chunk)
        self._length += len(chunk)

    def _submit(self, *, final: bool) -> None:
        segment = b"".join(self._segment)
        self._segment, self._segment_size = [], 0
        if final and not self._pending:
            self._store(codec.deflate(segment, final=True))  # a small part: no threads
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=2)
        while len(self._pending) >= _BACKLOG:
            self._store(self._pending.popleft().result())
        self._pending.append(self._pool.submit(codec.deflate, segment, final=final))


_SEGMENT = 1 << 20
_BACKLOG = 2


@dataclass(frozen=True)
class Entry:
    """One member to write: raw bytes copied from the source member, or new content."""

    name: str
    info: ZipInfo | None  # the source member (its attributes are kept)
    raw: bytes = b""  # compressed bytes of the source member, copied as they are
    new: Deflated | None = None


def _dos_time(info: ZipInfo | None) -> tuple[int, int]:
    y, mo, d, h, mi, s = info.date_time if info else (1980, 1, 1, 0, 0, 0)
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


def write_zip(out: BinaryIO, entries: Iterable[Entry]) -> None:
    central: list[bytes] = []
    offset = 0
    count = 0
    for entry in entries:
        name = entry.name.encode("utf-8")
        flags = _UTF8_FLAG if not entry.name.isascii() else 0
        if entry.new is None and entry.info is not None:
            info = entry.info
            method, crc, size, length = info.compress_type, info.CRC, info.file_size, len(entry.raw)
            new: Deflated | None = None
            flags |= info.flag_bits & ~(_DATA_DESCRIPTOR_FLAG | _UTF8_FLAG)
            external = info.external_attr
        else:
            new = entry.new or Deflated.of(b"")
            method, crc, size, length = new.method, new.crc, new.size, new.length
            external = entry.info.external_attr if entry.info else 0o600 << 16
        if method not in (ZIP_STORED, ZIP_DEFLATED):
            raise BackendError(f"zip member {entry.name} uses an unsupported compression")
        if max(offset, length, size) >= _LIMIT:
            raise BackendError("the workbook is over 4 GB; such files are not supported")
        time, date = _dos_time(entry.info)
        version = 20
        local = codec.LOCAL_HEADER.pack(
            b"PK\x03\x04", version, 0, flags, method, time, date, crc, length, size, len(name), 0
        )
        out.write(local)
        out.write(name)
        if new is None:
            out.write(entry.raw)
        else:
            new.copy_to(out)
        central.append(
            _CENTRAL.pack(
                b"PK\x01\x02",
                version,
                3,
                version,
                0,
                flags,
                method,
                time,
                date,
                crc,
                length,
                size,
                len(name),
                0,
                0,
                0,
                0,
                external,
                offset,
            )
            + name
        )
        offset += len(local) + len(name) + length
        count += 1
    directory = b"".join(central)
    out.write(directory)
    out.write(_END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0))
