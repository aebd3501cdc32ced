"""A newcomer's first run: README's two commands, on a copy of the project with a new,
empty virtual environment (no package preinstalled), as on a fresh machine."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def two_commands() -> list[str]:
    section = README.read_text("utf-8").split("## Two commands on a fresh machine", 1)[1]
    section = section.split("\n## ", 1)[0]
    return re.findall(r"(?m)^    (\S.*)$", section)[:2]


def test_readme_gives_the_demo_and_the_test_command() -> None:
    assert two_commands() == ["bash scripts/demo", "bash scripts/test"]


def project_copy(target: Path) -> Path:
    """The files git tracks (what a clone has), without this checkout's .venv or caches."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source, copy = ROOT / name, target / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():  # sheetcrm/data/templates -> ../../templates, as git keeps it
            copy.symlink_to(os.readlink(source))
        elif source.is_file():
            shutil.copy2(source, copy)
    return target


@pytest.mark.fresh_install
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to list the project")
def test_the_demo_command_works_in_a_fresh_virtual_environment(tmp_path: Path) -> None:
    project = project_copy(tmp_path / "sheetcrm")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    # The python3 on PATH, not this test's venv: a newcomer's shell has no venv active.
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if Path(sys.prefix) not in Path(p).parents
    )
    done = subprocess.run(
        ["bash", "-c", two_commands()[0]],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert (project / ".venv" / "bin" / "sheetcrm").exists()
    assert (project / "sheetcrm-demo" / "demo.xlsx").exists()
    # The demo is a Chinese shop's: "created the demo workbook", "wrote N cells".
    assert "已创建演示工作簿" in done.stdout
    assert re.search(r"(?m)^已写入 \d+ 个单元格", done.stdout)
    assert done.stdout.splitlines()[-1].startswith("下一步：打开")
