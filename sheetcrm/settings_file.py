"""Which settings file a command reads: known before anything heavy is imported."""

from __future__ import annotations

import re
from pathlib import Path

# A value's ${VARIABLE}: read from the environment (secrets never live in the file).
ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")

DEFAULT_SETTINGS = Path(__file__).parent / "data" / "settings.yaml"


def settings_file(config: Path | None) -> Path | None:
    """-c's file; else ./settings.yaml if there is one; else None: the embedded default
    (DEFAULT_SETTINGS), whose relative paths are the working directory's."""
    if config is None and Path("settings.yaml").is_file():
        return Path("settings.yaml")
    return config
