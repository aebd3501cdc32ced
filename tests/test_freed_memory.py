"""Handing freed memory back to the system is best effort: never an error; a process that
keeps it allocates it again without the system's help."""

from __future__ import annotations

import ctypes
import platform
import subprocess
import sys

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


# Buffers of 3 to 6 MB made and freed in turn, as the byte scan's inflater makes them; the
# pages faulted in meanwhile.
_BUFFERS = """
import resource, sys
from sheetcrm.freed_memory import keep_freed_memory
if sys.argv[1] == "keep":
    keep_freed_memory()
piece = b"x" * (1 << 20)
buffer = piece * 4
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for n in range(40):
    buffer = piece * (3 + n % 4)
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_a_process_keeping_its_freed_memory_allocates_it_again_without_faulting_it_in() -> None:
    def faults(how: str) -> int:
        done = subprocess.run(
            [sys.executable, "-c", _BUFFERS, how], capture_output=True, text=True, check=True
        )
        return int(done.stdout)

    # 180 MB made in all: about 19,000 pages faulted in as glibc does it, 2,800 kept.
    assert faults("keep") * 4 < faults("as glibc does")
