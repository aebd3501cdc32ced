"""A sheet of a Google Sheet as spreadsheets.get describes it: its size, and the views on it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Grid:
    """A sheet as spreadsheets.get describes it: its size, and the views already on it."""

    sheet_id: int
    rows: int
    columns: int
    has_filter: bool = False
    coloured_columns: set[int] = field(default_factory=set)  # with conditional formats
    filter_views: set[str] = field(default_factory=set)  # titles
    protected: set[str] = field(default_factory=set)  # descriptions
