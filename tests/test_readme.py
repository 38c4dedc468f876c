"""The README's promises: its Python example runs, and its set-up commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)
    assert len(blocks) == 2
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})  # noqa: S102 - running the documented example is the test
    output = capsys.readouterr().out
    assert "Kabupaten Solok Selatan 2024-2033" in output
    assert "initiative 'qw-01', field 'lead': unknown OPD 'dinas-x' [dangling-reference]" in output
    assert (tmp_path / "out" / "solok-selatan" / "masterplan.yaml").is_file()
    assert "<PlanSet 12 plans from negeri in 3 provinces> True" in output
    assert "province_level" in output


def test_ci_runs_the_readme_commands() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.*?)\n```", quick_start, flags=re.DOTALL)
    assert commands == ["pip install -e . && smartcity check", 'pip install -e ".[test]" && pytest']
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert all(command in ci for command in commands)
