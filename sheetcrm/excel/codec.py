"""Deflate, as the workbook's parts are stored: ISA-L's where it is installed, else zlib.

The same format either way (Excel, LibreOffice and zipfile read both), but ISA-L deflates a
10,000-customer contact log's 46 MB of XML in 0.03 s against zlib's 0.13 s at level 1, a
little smaller, and inflates it in 0.04 s against 0.08 s. A sync inflates its big staff
sheets twice (the read's scan, the write's patch) and deflates each sheet it writes.
`isal` installs as a wheel on the common platforms; elsewhere zlib does the same work.

`open_member` inflates a zip member as it is read (zipfile's own reader uses zlib),
checking its CRC-32 at the end as zipfile does.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from types import ModuleType
from typing import IO, BinaryIO


def _fastest() -> ModuleType:
    try:
        from isal import isal_zlib
    except ImportError:  # no wheel for this platform: zlib, slower, the same bytes read
        return zlib
    return isal_zlib


_codec = _fastest()
CodecError: tuple[type[Exception], ...] = (
    (zlib.error,) if _codec is zlib else (_codec.error, zlib.error)
)

# Level 1: the job rewrites its sheets on every sync, so speed wins (with zlib, a 44 MB
# sheet 18% bigger than at level 6, deflated in a third of the time).
LEVEL = 1


def deflate(segment: bytes, *, final: bool) -> bytes:
    """A raw deflate stream of `segment`; unless `final`, ended with a sync flush so that the
    next segment's stream can follow it (segments deflated apart join into one stream)."""
    compressor = _codec.compressobj(LEVEL, zlib.DEFLATED, -15)
    flush = zlib.Z_FINISH if final else zlib.Z_SYNC_FLUSH
    deflated: bytes = compressor.compress(segment) + compressor.flush(flush)
    return deflated


def crc32(data: bytes | memoryview, value: int = 0) -> int:
    checksum: int = _codec.crc32(data, value)
    return checksum


def crc32_combine(first: int, second: int, second_length: int) -> int:
    """The CRC-32 of two contents one after the other, from each one's CRC-32 and the
    second one's length: nothing is read again (ISA-L's, or zlib's method in Python)."""
    combine = getattr(_codec, "crc32_combine", None)
    if combine is not None:
        combined: int = combine(first, second, second_length)
        return combined
    return _combined(first, second, second_length)


def _combined(crc: int, second: int, length: int) -> int:
    # zlib's crc32_combine: `crc` carried through `length` zero bytes by squaring the
    # operator that carries it through one zero bit, then the second CRC added (GF(2)).
    if length <= 0:
        return crc
    odd = [0xEDB88320, *(1 << n for n in range(31))]  # one zero bit
    even = _squared(odd)  # two zero bits
    odd = _squared(even)  # four zero bits
    while length:
        even = _squared(odd)
        if length & 1:
            crc = _times(even, crc)
        length >>= 1
        if not length:
            break
        odd = _squared(even)
        if length & 1:
            crc = _times(odd, crc)
        length >>= 1
    return crc ^ second


def _times(matrix: list[int], vector: int) -> int:
    total, row = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[row]
        vector >>= 1
        row += 1
    return total


def _squared(matrix: list[int]) -> list[int]:
    return [_times(matrix, column) for column in matrix]


LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # a member's local header (zipwriter writes it)
_READ = 1 << 18  # compressed bytes read at a time: a few MB of XML once inflated


def inflate(data: bytes) -> bytes:
    """A whole raw deflate stream, inflated."""
    try:
        inflated: bytes = _codec.decompress(data, -15)
    except CodecError as exc:
        raise zlib.error(str(exc)) from None
    return inflated


def data_offset(file: BinaryIO, info: zipfile.ZipInfo) -> int:
    """Where a member's compressed bytes start: after its local header, name and extra."""
    file.seek(info.header_offset)
    fields = LOCAL_HEADER.unpack(file.read(LOCAL_HEADER.size))
    if fields[0] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"{info.filename}: bad local file header")
    name_length: int = fields[10]
    extra_length: int = fields[11]
    return info.header_offset + LOCAL_HEADER.size + name_length + extra_length


def open_member(file: BinaryIO, archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    """A member of `archive` (read from `file`) as a stream, inflated as it is read. A
    plainly deflated member is inflated here, from `file` (which may be read elsewhere
    meanwhile: each read seeks first): a damaged stream raises zlib.error, a wrong CRC-32
    zipfile.BadZipFile, as zipfile's reader would. Any other (stored, encrypted) goes
    through zipfile."""
    info = archive.getinfo(name)
    if info.compress_type == zipfile.ZIP_DEFLATED and not info.flag_bits & 0x1:
        return io.BufferedReader(_Inflating(file, info, data_offset(file, info)), 1 << 20)
    return archive.open(info)


class _Inflating(io.RawIOBase):
    def __init__(self, file: BinaryIO, info: zipfile.ZipInfo, start: int) -> None:
        self._file = file
        self._name = info.filename
        self._at = start
        self._left = info.compress_size
        self._expected_crc = info.CRC
        self._crc = 0
        self._inflater = _codec.decompressobj(-15)
        self._out = b""  # inflated, not yet read from self._pos on
        self._pos = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        """Up to `size` bytes (all the rest when negative); b"" at the end."""
        wanted = -1 if size is None or size < 0 else size
        parts = []
        while wanted:
            if self._pos >= len(self._out):
                if self._done:
                    break
                self._inflate_more()
                continue
            end = len(self._out) if wanted < 0 else min(len(self._out), self._pos + wanted)
            parts.append(
                self._out if (self._pos, end) == (0, len(self._out)) else self._out[self._pos : end]
            )
            if wanted > 0:
                wanted -= end - self._pos
            self._pos = end
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def _inflate_more(self) -> None:
        if self._left > 0:
            self._file.seek(self._at)
            chunk = self._file.read(min(_READ, self._left))
            if not chunk:
                raise EOFError(f"{self._name}: the member ends before its data")
            self._at += len(chunk)
            self._left -= len(chunk)
        else:
            chunk = b""
        try:
            out = self._inflater.decompress(chunk)
            if self._left <= 0:
                out += self._inflater.flush()
                self._done = True
        except CodecError as exc:
            raise zlib.error(f"{self._name}: {exc}") from None
        self._crc = crc32(out, self._crc)
        self._out, self._pos = out, 0
        if self._done and self._crc != self._expected_crc:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {self._name!r}")
