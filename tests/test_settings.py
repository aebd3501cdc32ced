"""settings.yaml: typed, validated, and errors that name the key and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheetcrm.errors import ConfigError
from sheetcrm.settings import load_settings
from sheetcrm.settings_file import DEFAULT_SETTINGS


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_embedded_default_loads_and_points_at_the_demo() -> None:
    settings = load_settings(None)
    assert settings.workbook.name == "demo.xlsx"
    assert settings.demo is not None
    assert settings.dates.day_first is True


def test_repository_settings_file_is_the_embedded_default() -> None:
    root = Path(__file__).resolve().parent.parent / "settings.yaml"
    assert DEFAULT_SETTINGS.read_bytes() == root.read_bytes()


def test_relative_workbook_is_relative_to_the_settings_file(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, "workbook: books/crm.xlsx\n"))
    assert settings.workbook == tmp_path / "books" / "crm.xlsx"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "workbook: a.xlsx\ndates:\n  day_first: maybe\n",
            "settings.yaml line 3: dates.day_first: input should be a valid boolean",
        ),
        ("workbook: a.xlsx\nworkbok: b.xlsx\n", "settings.yaml line 2: unknown setting workbok"),
        ("language: es\n", "settings.yaml line 1: workbook is required"),
        (
            "workbook: a.xlsx\nphone_region: XX\n",
            "settings.yaml line 2: phone_region: must be a country code",
        ),
        (
            "workbook: a.xlsx\nheaders:\n  customers:\n    telephone: [Handy]\n",
            "settings.yaml line 4: headers.customers.telephone: customers has no field 'telephone'",
        ),
        ("workbook: a.xlsx\nbackups: -1\n", "settings.yaml line 2: backups: input should be"),
        ("workbook: [a.xlsx\n", "settings.yaml line 2: not valid YAML"),
        (
            "workbook: a.xlsx\ntiers:\n  shares: {A: 5, B: 10, C: 50, D: 30}\n",
            "settings.yaml line 3: tiers.shares: the four shares must add up to 100, got 95",
        ),
        (
            "workbook: a.xlsx\ntiers:\n  weights:\n    amount: abc\n",
            "settings.yaml line 4: tiers.weights.amount: input should be a valid decimal",
        ),
        (
            "workbook: a.xlsx\ntiers:\n  method: biggest_first\n",
            "settings.yaml line 3: tiers.method: input should be 'weighted_rank', 'thresholds'",
        ),
        (
            "workbook: a.xlsx\ntiers:\n  thresholds: {A: 50000, B: 80000}\n",
            "settings.yaml line 3: tiers.thresholds: tier B's threshold (80000) cannot be above "
            "A's (50000)",
        ),
    ],
    ids=[
        "not a boolean",
        "typo in a key",
        "workbook missing",
        "unknown country",
        "unknown field",
        "negative backups",
        "broken yaml",
        "tier shares not adding up",
        "a weight that is not a number",
        "unknown tier method",
        "thresholds upside down",
    ],
)
def test_errors_name_the_key_and_the_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path, text))
    assert message in str(err.value)
    assert str(tmp_path) in str(err.value)


def test_a_secret_as_an_environment_reference_passes_the_secret_check(tmp_path: Path) -> None:
    # The secret check accepts ${...}; the key is then judged like any other (unknown here).
    path = write(tmp_path, "workbook: a.xlsx\nsmtp_password: ${SMTP_PASSWORD}\n")
    with pytest.raises(ConfigError) as err:
        load_settings(path, environ={"SMTP_PASSWORD": "hunter2"})
    assert "unknown setting smtp_password" in str(err.value)
    assert "hunter2" not in str(err.value)


def test_a_secret_written_in_the_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "workbook: a.xlsx\nsmtp_password: hunter2\n")
    with pytest.raises(ConfigError, match="line 2: smtp_password holds a secret in the file"):
        load_settings(path)


def test_a_missing_environment_variable_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "workbook: ${CRM_DIR}/a.xlsx\n")
    with pytest.raises(
        ConfigError, match="line 1: workbook needs the environment variable CRM_DIR"
    ):
        load_settings(path, environ={})
    assert load_settings(path, environ={"CRM_DIR": "/srv"}).workbook == Path("/srv/a.xlsx")
