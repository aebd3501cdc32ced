"""Progress on long runs: a line per step on a terminal's stderr, in the report's language;
nothing for short runs, nothing when stderr is a log file (cron), nothing with --quiet."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest

from sheetcrm import sync
from sheetcrm.cli import execute
from sheetcrm.demo import generate_demo
from sheetcrm.progress import Progress
from sheetcrm.settings import load_settings

TODAY = dt.date(2027, 2, 1)


def shop(folder: Path, language: str = "es") -> Path:
    generate_demo(folder / "crm.xlsx", customers=40, seed=3, language=language, today=TODAY)
    config = folder / "settings.yaml"
    config.write_text(f"workbook: crm.xlsx\nreport_language: {language}\n", "utf-8")
    return config


def test_a_long_sync_shows_each_step_with_its_counts(tmp_path: Path) -> None:
    stream = io.StringIO()
    settings = load_settings(shop(tmp_path))
    sync.run(settings, today=TODAY, progress=Progress(stream, after=0))
    lines = stream.getvalue().splitlines()
    assert [re.sub(r"\d[\d,.]*", "N", line) for line in lines] == [
        "… leídas N filas de N hojas (N s)",
        "… revisados N clientes, N problemas; niveles y planes listos (N s)",
        "… N mensajes pendientes, enviados o en cola (N s)",
        "… escritas N celdas (N s)",
    ]
    assert "revisados 40 clientes" in lines[1]


def test_steps_of_a_short_run_are_not_shown() -> None:
    ticks = iter([0.0, 0.1, 0.5, 0.6, 2.5])
    stream = io.StringIO()
    progress = Progress(stream, clock=lambda: next(ticks))
    with progress.step("read") as counts:  # ends 0.5 s into the run: not shown
        counts.update(rows=10, sheets=2)
    with progress.step("write") as counts:  # ends 2.5 s into the run: shown
        counts.update(cells=12_345)
    assert stream.getvalue() == "… wrote 12,345 cells (1.9 s)\n"


@pytest.mark.parametrize("quiet", [False, True])
def test_no_progress_lines_in_a_log_file(
    quiet: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """stderr captured, as cron's redirect to a file: not a terminal, so nothing."""
    config = shop(tmp_path, "en")
    argv = ["-c", str(config), *(["--quiet"] if quiet else []), "sync", "--today", "2027-02-01"]
    assert execute(argv) == 0
    assert "…" not in capsys.readouterr().err
