"""The documentation's examples run as written, from the repository's root folder."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest

import smartcity_model as scm

ROOT = Path(__file__).parents[1]


def test_every_scoring_example_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "docs" / "scoring.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) >= 10
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    for number, block in enumerate(blocks, start=1):
        exec(compile(block, f"docs/scoring.md example {number}", "exec"), namespace)  # noqa: S102 - the documented example is the test
    output = capsys.readouterr().out
    assert "years must be whole numbers: 2019.5 (row 47)" in output
    assert "[['agam', 39.7], ['solok', 30.7]]" in output
    assert "kota-padang  2022  poverty_rate     NaN  4.115000  group_mean" in output
    assert "the geometric mean needs scores above 0" in output
    assert "<Study 'ASEM Sustainable Connectivity'" in output


def test_every_many_plans_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "docs" / "many-plans.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) == 3
    namespace: dict[str, object] = {}
    for number, block in enumerate(blocks, start=1):
        exec(compile(block, f"docs/many-plans.md example {number}", "exec"), namespace)  # noqa: S102 - the documented example is the test
    output = capsys.readouterr().out.splitlines()
    assert output[0] == "12 provinsi-sintetis-01/kabupaten-sintetis-01-01"
    assert output[1].startswith("<PlanSet 12 plans from ")
    assert output[1].endswith(" in 3 provinces>")
    assert output[3] == "True"
    assert output[4] == "11 loaded; ['provinsi-sintetis-01/kabupaten-sintetis-01-01']"
    assert output[5].endswith("pass allow_failed=True to score without them:")


def test_the_framework_page_lists_every_element_with_both_names() -> None:
    text = (ROOT / "docs" / "framework.md").read_text(encoding="utf-8")
    framework = scm.builtin_framework()
    for dimension in framework.dimensions:
        assert f"## `{dimension.id}`: {dimension.name}" in text
    for element in framework.elements:
        assert f"| `{element.id}` | {element.name} | {element.name_en} |" in text
    for pillar in framework.pillars:
        assert f"| `{pillar.id}` | {pillar.name} | {pillar.name_en} |" in text


def test_every_charts_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib")
    text = (ROOT / "docs" / "charts.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) == 4
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    for number, block in enumerate(blocks, start=1):
        exec(compile(block, f"docs/charts.md example {number}", "exec"), namespace)  # noqa: S102 - the documented example is the test
    output = capsys.readouterr().out.splitlines()
    assert output[:3] == ["<svg True", "True", "19"]
    assert output[3].startswith("unknown node 'goverance' (did you mean 'governance'?); choose one of ")
    assert output[4].startswith("no scores for the year 2025 (the closest is 2024); the years are 2019, 2020")
    assert (tmp_path / "roadmap.png").read_bytes().startswith(b"\x89PNG")
    assert "<h2>Jejaring kolaborasi OPD</h2>\n<svg " in (tmp_path / "laporan.html").read_text(encoding="utf-8")


def test_every_report_example_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) == 2
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    for number, block in enumerate(blocks, start=1):
        exec(compile(block, f"docs/report.md example {number}", "exec"), namespace)  # noqa: S102 - the documented example is the test
    assert str(namespace["html"]).startswith("<!DOCTYPE html>")
    assert "Toward a smart province" in str(namespace["page"])
    output = capsys.readouterr().out
    assert output.split()[:3] == ["year", "source", "amount"]
    assert "Menengah" in output


def test_the_report_page_shows_a_screenshot_that_is_in_the_repository() -> None:
    text = (ROOT / "docs" / "report.md").read_text(encoding="utf-8") + (ROOT / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert images
    for image in images:
        found = (ROOT / "docs" / image) if not image.startswith("docs/") else ROOT / image
        assert found.is_file(), image


def test_the_context_examples_run_and_their_files_follow_the_schemas() -> None:
    import jsonschema  # noqa: PLC0415 - the test extra's
    import yaml  # noqa: PLC0415 - a dependency

    text = (ROOT / "docs" / "context.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    namespace: dict[str, object] = {}
    stated = 0
    for number, block in enumerate(blocks, start=1):
        exec(compile(block, f"docs/context.md example {number}", "exec"), namespace)  # noqa: S102 - the documented example is the test
        for line in block.splitlines():  # a line "expression  # value" states what the expression gives
            found = re.fullmatch(r"(?P<expression>[^#]+?)\s+#\s+(?P<value>-?\d+(\.\d+)?)", line)
            if found:
                assert eval(found["expression"], namespace) == float(found["value"]), line  # noqa: S307 - the documented line
                stated += 1
    assert stated == 2  # the Kediri case, both ways
    assert round(namespace["result"].overall, 2) > 1  # type: ignore[attr-defined]
    files = re.findall(r"```yaml\n# (\w+)\.yaml\n(.*?)```", text, flags=re.DOTALL)
    assert {name for name, _body in files} == {"goals", "assessment", "issues", "visions", "bodies"}
    for name, body in files:
        data = json.loads(json.dumps(yaml.safe_load(body), default=str))  # dates as JSON has them
        jsonschema.validate(data, scm.json_schema(name))


def test_the_context_is_documented_in_both_languages() -> None:
    english = (ROOT / "docs" / "context.md").read_text(encoding="utf-8")
    indonesian = (ROOT / "docs" / "konteks.md").read_text(encoding="utf-8")
    codes = {
        code
        for code, spec in scm.checks.CHECK_CODES.items()
        if spec.family.value in {"alignment", "analysis", "society", "governance", "places", "readiness"}
    }
    for page in (english, indonesian):
        assert all(f"`{code}`" in page for code in codes)
        for regulation in ("Permendagri 86/2017", "Kepmendagri 050-5889/2021", "UU 6/2014"):
            assert regulation in page


def test_the_roadmap_page_prints_what_it_shows(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (ROOT / "docs" / "roadmap.md").read_text(encoding="utf-8")
    pairs = re.findall(r"```python\n(.*?)```\n\n```text\n(.*?)```", text, flags=re.DOTALL)
    assert len(pairs) == 6
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    for number, (block, shown) in enumerate(pairs, start=1):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", scm.scoring.ScoringWarning)  # said in the text beside the example
            exec(compile(block, f"docs/roadmap.md example {number}", "exec"), namespace)  # noqa: S102 - the documented example is the test
        printed = capsys.readouterr().out
        assert [line.rstrip() for line in printed.splitlines()] == shown.splitlines(), f"example {number}"


def test_every_robustness_example_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("SALib")
    text = (ROOT / "docs" / "robustness.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    printed = re.findall(r"```python\n.*?```\n\n```text\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) == len(printed) == 12
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scm.ScoringWarning)  # the page says what the warnings say
        for number, block in enumerate(blocks, start=1):
            exec(compile(block, f"docs/robustness.md example {number}", "exec"), namespace)  # noqa: S102 - the documented example is the test
    output = capsys.readouterr().out
    for shown in printed:
        if "objective" in shown:  # the optimiser's last digits depend on the machine's arithmetic
            head, rest = shown.split(", objective", 1)
            assert head in output, head
            assert rest.split("\n", 1)[1] in output, rest
        else:
            assert shown in output, shown  # the whole block, as printed
