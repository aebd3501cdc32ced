"""The deflate codec (ISA-L's where installed, else zlib): a member inflated as it is read
gives what zipfile gives, from any writer's deflate; a damaged member fails as it fails in
zipfile; and what the codec deflates, any zip reader inflates."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from sheetcrm.excel import codec

# A sheet's XML, long enough to take several reads of compressed bytes.
XML = b"".join(
    f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>客户 {r % 97}</t></is></c></row>'.encode()
    for r in range(1, 60_000)
)


@pytest.fixture(params=["isal", "zlib"])
def each_codec(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Every test runs with the codec this machine has and with plain zlib."""
    if request.param == "zlib":
        monkeypatch.setattr(codec, "_codec", zlib)
        monkeypatch.setattr(codec, "CodecError", (zlib.error,))
    elif codec._codec is zlib:
        pytest.skip("isal is not installed here")
    yield request.param


def _zip(path: Path, content: bytes, **options: int) -> Path:
    with zipfile.ZipFile(path, "w", **options) as z:  # type: ignore[arg-type]
        z.writestr("xl/worksheets/sheet1.xml", content)
    return path


def _streamed(path: Path, read_size: int) -> bytes:
    with path.open("rb") as file, zipfile.ZipFile(file) as z:
        stream = codec.open_member(file, z, "xl/worksheets/sheet1.xml")
        parts = []
        while chunk := stream.read(read_size):
            parts.append(chunk)
        return b"".join(parts)


@pytest.mark.parametrize(
    ("writer", "options"),
    [
        ("zipfile, level 6", {"compression": zipfile.ZIP_DEFLATED, "compresslevel": 6}),
        ("zipfile, level 9", {"compression": zipfile.ZIP_DEFLATED, "compresslevel": 9}),
        ("zipfile, stored", {"compression": zipfile.ZIP_STORED}),
    ],
)
@pytest.mark.parametrize("read_size", [1, 4096, 1 << 22])
def test_a_member_inflated_as_it_is_read_is_what_zipfile_reads(
    tmp_path: Path, each_codec: str, writer: str, options: dict[str, int], read_size: int
) -> None:
    content = XML if read_size > 1 else XML[:5000]
    book = _zip(tmp_path / "book.xlsx", content, **options)
    assert _streamed(book, read_size) == content


def test_segments_deflated_apart_join_into_one_stream_any_reader_inflates(
    each_codec: str,
) -> None:
    segments = [XML[i : i + 100_000] for i in range(0, len(XML), 100_000)]
    deflated = b"".join(
        codec.deflate(s, final=i == len(segments) - 1) for i, s in enumerate(segments)
    )
    assert zlib.decompress(deflated, -15) == XML
    assert codec.inflate(deflated) == XML
    assert codec.crc32(XML) == zlib.crc32(XML)


def test_a_member_whose_checksum_fails_is_refused_as_zipfile_refuses_it(
    tmp_path: Path, each_codec: str
) -> None:
    book = _zip(tmp_path / "book.xlsx", XML, compression=zipfile.ZIP_DEFLATED)
    data = bytearray(book.read_bytes())
    central = data.rfind(b"PK\x01\x02")
    data[central + 16] ^= 0xFF  # the CRC-32 recorded in the central directory
    book.write_bytes(bytes(data))
    with pytest.raises(zipfile.BadZipFile, match="CRC"):
        _streamed(book, 1 << 20)


def test_a_damaged_deflate_stream_raises_zlib_error(tmp_path: Path, each_codec: str) -> None:
    book = _zip(tmp_path / "book.xlsx", XML, compression=zipfile.ZIP_DEFLATED)
    data = bytearray(book.read_bytes())
    start = data.find(b"sheet1.xml") + len(b"sheet1.xml")  # the member's data follows its name
    data[start] = 0xFF  # a last block of the reserved type 3: no inflater reads on
    book.write_bytes(bytes(data))
    with pytest.raises(zlib.error, match=r"sheet1\.xml"):
        _streamed(book, 1 << 20)


def test_a_stream_reads_whole_or_into_a_buffer_like_any_binary_file(tmp_path: Path) -> None:
    book = _zip(tmp_path / "book.xlsx", XML, compression=zipfile.ZIP_DEFLATED)
    with book.open("rb") as file, zipfile.ZipFile(file) as z:
        assert codec.open_member(file, z, "xl/worksheets/sheet1.xml").read() == XML
        buffer = bytearray(len(XML) + 10)
        stream = codec.open_member(file, z, "xl/worksheets/sheet1.xml")
        assert stream.readinto(buffer) == len(XML)  # type: ignore[attr-defined]
        assert bytes(buffer[: len(XML)]) == XML


@pytest.mark.parametrize("second_length", [0, 1, 7, 1000, 250_000])
def test_two_checksums_combine_into_the_joined_contents_one(
    each_codec: str, second_length: int
) -> None:
    first, second = XML[:333], XML[333 : 333 + second_length]
    combined = codec.crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second))
    assert combined == zlib.crc32(first + second)
