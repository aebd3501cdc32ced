"""Frozen slotted dataclasses made by the ten thousand, at a third of the cost.

A frozen dataclass's __init__ sets each field through object.__setattr__ (1.6 µs a Contact,
0.3 s of a 10,000-customer sync's 200,000 log and order rows; 2 µs a CustomerValue). The
builder makes a plain twin with the same slots, whose fields are set directly, and turns it
into the frozen class: Python allows the change of class because both lay out their slots
alike. What comes out is an ordinary frozen object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, make_dataclass
from functools import cache
from typing import Any, TypeVar, cast

T = TypeVar("T")


def builder(cls: type[T]) -> Callable[..., T]:
    """A maker of `cls` objects from every field, positionally (defaults do not apply).
    `cls` must be a dataclass with slots=True.

    The twin is made at the first call, not here: making one costs 1 ms, and the modules
    that keep a builder are imported by commands that never build (check makes no plan)."""
    twin: type | None = None

    def build(*values: Any) -> T:
        nonlocal twin
        if twin is None:
            twin = _twin(cls.__name__, tuple(f.name for f in fields(cls)))  # type: ignore[arg-type]
        made = twin(*values)
        made.__class__ = cls  # the twin's slots are cls's
        return cast(T, made)

    return build


@cache
def _twin(name: str, slots: tuple[str, ...]) -> type:
    """A plain slotted dataclass with these fields, made once per class."""
    return make_dataclass(f"_{name}Builder", [(n, Any) for n in slots], slots=True)
