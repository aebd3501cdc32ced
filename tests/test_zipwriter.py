"""Deflating a part in segments on two threads gives one valid deflate stream."""

from __future__ import annotations

import io
import os
import zipfile
import zlib

import pytest

from sheetcrm.excel.zipwriter import DeflateSink, Entry, write_zip


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<row/>",
        os.urandom(3000) * 2000,  # 6 MB: several segments
        b"<c r='A1'><v>1</v></c>" * 300_000,
    ],
    ids=["empty", "small", "six segments", "repetitive"],
)
def test_segments_join_into_the_same_content(content: bytes) -> None:
    sink = DeflateSink()
    for start in range(0, len(content), 65_536):
        sink.write(memoryview(content)[start : start + 65_536])
    deflated = sink.finish()
    assert zlib.decompress(deflated.data, -15) == content
    assert (deflated.size, deflated.crc) == (len(content), zlib.crc32(content))
    out = io.BytesIO()
    write_zip(out, [Entry("xl/worksheets/sheet1.xml", None, new=deflated)])
    with zipfile.ZipFile(out) as z:
        assert z.read("xl/worksheets/sheet1.xml") == content
        assert z.testzip() is None
