"""The ``smartcity`` command: summaries, problems, exit codes, and never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import smartcity_model as scm
from smartcity_model.cli import main


@pytest.fixture
def run() -> CliRunner:
    return CliRunner()


def test_check_defaults_to_the_bundled_example(run: CliRunner) -> None:
    result = run.invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert "Kabupaten Solok Selatan (kabupaten), period 2024-2033" in result.output
    assert "Initiatives   33 (7 quick wins)" in result.output
    assert "No problems found." in result.output


def test_check_json_summary(run: CliRunner, plan_folder: Path) -> None:
    result = run.invoke(main, ["check", str(plan_folder), "--format", "json"])
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert payload["ok"] is True
    assert payload["summary"]["counts"] == {
        "dimensions": 6,
        "elements": 18,
        "opds": 3,
        "indicators": 2,
        "initiatives": 2,
        "quick_wins": 1,
        "observations": 3,
    }
    assert payload["summary"]["period"] == {"start": 2024, "end": 2033}


def test_check_lists_every_problem_and_exits_1(run: CliRunner, plan_folder: Path) -> None:
    initiatives = plan_folder / "initiatives.yaml"
    initiatives.write_text(
        initiatives.read_text(encoding="utf-8")
        .replace("lead: rsud", "lead: rs")
        .replace("horizon: short", "horizon: later"),
        encoding="utf-8",
    )
    result = run.invoke(main, ["check", str(plan_folder)])
    assert result.exit_code == 1
    assert "2 problems" in result.output
    assert "[dangling-reference]" in result.output
    assert "[invalid-choice]" in result.output
    assert "Traceback" not in result.output


def test_check_json_problems(run: CliRunner, plan_folder: Path) -> None:
    (plan_folder / "opds.yaml").write_text("- id: x\n  name: [\n", encoding="utf-8")
    result = run.invoke(main, ["check", str(plan_folder), "--format", "json"])
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert payload["ok"] is False
    assert [(p["code"], Path(p["file"]).name) for p in payload["problems"]] == [("syntax-error", "opds.yaml")]


@pytest.mark.parametrize("name", ["nowhere", "plan.txt"])
def test_check_usage_errors_exit_2(run: CliRunner, tmp_path: Path, name: str) -> None:
    (tmp_path / "plan.txt").write_text("x", encoding="utf-8")
    result = run.invoke(main, ["check", str(tmp_path / name)])
    assert result.exit_code == 2
    assert result.output.startswith("error: ")
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_check_rejects_unknown_format_option(run: CliRunner) -> None:
    assert run.invoke(main, ["check", "--format", "xml"]).exit_code == 2


def test_schema_prints_and_writes(run: CliRunner, tmp_path: Path) -> None:
    printed = run.invoke(main, ["schema", "opds"])
    assert printed.exit_code == 0
    assert json.loads(printed.output) == scm.json_schema("opds")
    out = tmp_path / "masterplan.schema.json"
    assert run.invoke(main, ["schema", "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == scm.json_schema()


def test_schema_output_to_a_folder_that_does_not_exist_exits_2(run: CliRunner, tmp_path: Path) -> None:
    result = run.invoke(main, ["schema", "-o", str(tmp_path / "missing" / "s.json")])
    assert result.exit_code == 2


def test_version(run: CliRunner) -> None:
    result = run.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert scm.__version__ in result.output
