"""What a parser returns for a cell it cannot read: data, not an exception."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Invalid:
    code: str  # key of the message catalog, e.g. "date.ambiguous"
    params: tuple[tuple[str, str], ...] = ()  # message placeholders (hashable)


def invalid(code: str, **params: object) -> Invalid:
    return Invalid(code, tuple((k, str(v)) for k, v in params.items()))
