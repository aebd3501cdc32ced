"""Handing freed memory back to the system is best effort: never an error."""

from __future__ import annotations

import ctypes
import platform

import pytest

from sheetcrm import freed_memory


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_on_glibc_the_freed_memory_is_handed_back() -> None:
    assert freed_memory._libc() is not None
    freed_memory.return_freed_memory()


def test_a_system_without_malloc_trim_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_library(_name: object) -> object:
        raise TypeError("LoadLibrary() argument 1 must be str, not None")  # as on Windows

    freed_memory._libc.cache_clear()
    monkeypatch.setattr(ctypes, "CDLL", no_library)
    try:
        assert freed_memory._libc() is None
        freed_memory.return_freed_memory()
    finally:
        freed_memory._libc.cache_clear()
