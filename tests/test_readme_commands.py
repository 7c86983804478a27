"""The README's two commands work on a system Python that refuses pip outside a venv (PEP 668),
and CI runs exactly the README's test command."""

from __future__ import annotations

import re

from pipeline.settings import REPO_ROOT


def _bash_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, flags=re.S)]


def test_two_commands_create_and_use_a_venv():
    section = (REPO_ROOT / "README.md").read_text(encoding="utf-8").split("## The two commands", 1)[1]
    run_cmd, test_cmd = _bash_blocks(section)[:2]
    venv = "python3 -m venv --system-site-packages .venv && . .venv/bin/activate && "
    assert run_cmd == venv + "pip install -e . && python -m pipeline run"
    assert test_cmd == venv + "pip install -e '.[dev]' && python -m pytest"
    assert "PEP 668" in section.split("## ", 1)[0]


def test_ci_runs_exactly_the_readme_test_command():
    section = (REPO_ROOT / "README.md").read_text(encoding="utf-8").split("## The two commands", 1)[1]
    test_cmd = _bash_blocks(section)[1]
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd in [line.strip() for line in ci.splitlines()]
    assert ".venv/" in (REPO_ROOT / ".gitignore").read_text(encoding="utf-8").split()
