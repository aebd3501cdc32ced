"""Which modules a piece of code loads, asked of a fresh interpreter: in the tests' own
process, what another test imported would hide what this one loads."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Sequence


def loaded(code: str, modules: Sequence[str]) -> list[str]:
    """Of `modules`, those loaded once `code` has run in a new Python process, sorted."""
    script = (
        f"{code}\nimport sys\nprint(sorted(m for m in {list(modules)!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    found: list[str] = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    return found
