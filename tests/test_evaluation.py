"""Kominfo's evaluation: published weights, the Kediri case, components scored from a plan's own data."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import smartcity_model as scm
from smartcity_model.cli import main
from smartcity_model.scoring import EVALUATION_COMPONENTS, evaluation_weights

#: Kota Kediri's evaluation of 2022 as its report publishes it: component scores and the total 3.31.
KEDIRI = {"baseline": 3.60, "output": 3.21, "outcome": 3.23, "impact": 3.07, "quick_win": 3.65}
KEDIRI_TOTAL = 3.31


def test_the_published_weights_sum_to_one_with_the_assumed_split() -> None:
    weights = evaluation_weights()
    assert weights == {"baseline": 0.15, "output": 0.15, "outcome": 0.3, "impact": 0.2, "quick_win": 0.2}
    assert sum(evaluation_weights(0.29).values()) == pytest.approx(1)
    with pytest.raises(scm.ScoringError, match="baseline_share"):
        evaluation_weights(1.2)


def test_kediri_gives_3_33_with_the_equal_split_and_its_published_3_31_with_a_baseline_share_of_0_29() -> None:
    equal = scm.evaluate_scores(KEDIRI)
    assert round(equal.overall, 2) == 3.33
    assert any("not published" in note for note in equal.assumptions)
    assert round(scm.evaluate_scores(KEDIRI, baseline_share=0.29).overall, 2) == KEDIRI_TOTAL


@settings(max_examples=50, deadline=None)
@given(scores=st.fixed_dictionaries({name: st.floats(1, 5) for name in EVALUATION_COMPONENTS}), share=st.floats(0, 1))
def test_the_total_lies_between_the_lowest_and_highest_component(scores: dict[str, float], share: float) -> None:
    total = scm.evaluate_scores(scores, baseline_share=share).overall
    assert min(scores.values()) - 1e-9 <= total <= max(scores.values()) + 1e-9


def test_a_missing_component_is_said_and_left_out_of_the_weights() -> None:
    partial = {name: score for name, score in KEDIRI.items() if name != "impact"}
    with pytest.warns(scm.ScoringWarning, match="no score for impact"):
        evaluation = scm.evaluate_scores(partial)
    assert evaluation.missing == ("impact",)
    kept = {name: weight for name, weight in evaluation_weights().items() if name != "impact"}
    expected = sum(partial[name] * weight for name, weight in kept.items()) / sum(kept.values())
    assert evaluation.overall == pytest.approx(expected)


@pytest.mark.parametrize(
    ("scores", "words"),
    [
        ({"baseline": 6.0}, "from 1 to 5"),
        ({"quickwin": 3.0}, "did you mean 'quick_win'"),
        (pd.DataFrame({"dimension": ["economy"], "component": ["output"]}), "missing: score"),
        (
            pd.DataFrame({"dimension": ["economy", "economy"], "component": ["output"] * 2, "score": [2, 3]}),
            "scored twice",
        ),
    ],
)
def test_scores_that_cannot_be_used_are_refused(scores: Any, words: str) -> None:
    with pytest.raises(scm.ScoringError, match=words):
        scm.evaluate_scores(scores)


def test_per_dimension_scores_give_dimension_totals_and_the_region_total() -> None:
    table = pd.DataFrame(
        [
            (dimension, name, 3.0 if dimension == "economy" else 2.0)
            for dimension in ("economy", "living")
            for name in EVALUATION_COMPONENTS
        ],
        columns=["dimension", "component", "score"],
    )
    evaluation = scm.evaluate_scores(table)
    assert evaluation.by_dimension.to_dict() == {"economy": pytest.approx(3.0), "living": pytest.approx(2.0)}
    assert evaluation.overall == pytest.approx(2.5)
    assert list(evaluation.table()["dimension"]) == ["economy", "living", "overall"]


def _evaluated(changes: dict[str, dict[str, Any]] | None = None, year: int = 2024) -> scm.Evaluation:
    data = scm.plan_to_data(scm.load(scm.example_path()))
    for initiative in data["initiatives"]:
        initiative.update((changes or {}).get(initiative["id"], {}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scm.ScoringWarning)
        return scm.evaluate(scm.Masterplan.from_dict(data), year, missing="locf", count_imputed=True)


def _component(evaluation: scm.Evaluation, dimension: str, name: str) -> float:
    frame = evaluation.components
    return float(frame[(frame["dimension"] == dimension) & (frame["component"] == name)]["score"].iloc[0])


def test_delivering_the_quick_wins_raises_the_quick_win_and_output_scores() -> None:
    plan = scm.load(scm.example_path())
    quick = [
        i.id for i in plan.initiatives if i.horizon is scm.Horizon.QUICK_WIN and "governance" in plan.dimensions_of(i)
    ]
    before = _evaluated()
    after = _evaluated({initiative: {"status": "done"} for initiative in quick})
    assert _component(before, "governance", "quick_win") == 1.0  # due in 2024, none delivered
    assert _component(after, "governance", "quick_win") == 5.0
    assert _component(after, "governance", "output") > _component(before, "governance", "output")
    assert after.overall > before.overall


def test_every_component_says_what_it_was_scored_from() -> None:
    evaluation = _evaluated()
    frame = evaluation.components
    assert set(frame["component"]) == set(EVALUATION_COMPONENTS)
    assert frame["basis"].str.len().gt(0).all()
    unscored = frame[frame["score"].isna()]
    assert (unscored["items"] == 0).all()  # a missing score says it had nothing to score it from
    scored = frame["score"].dropna()
    assert scored.between(1, 5).all()
    assert "baseline year 2023, year evaluated 2024" in evaluation.assumptions


def test_the_baseline_year_cannot_follow_the_year_evaluated() -> None:
    with pytest.raises(scm.ScoringError, match="comes after"):
        scm.evaluate(scm.load(scm.example_path()), 2022, baseline_year=2023)


def test_evaluate_from_the_command_line_and_a_self_assessment_file(tmp_path: Path) -> None:
    run = CliRunner()
    result = run.invoke(main, ["evaluate", str(scm.example_path()), "--format", "json", "--missing", "locf"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["year"] == 2024
    assert {row["component"] for row in payload["by_component"]} == set(EVALUATION_COMPONENTS)
    scores = tmp_path / "penilaian.csv"
    scores.write_text(
        "komponen;nilai\nbaseline;3,60\noutput;3,21\noutcome;3,23\ndampak;3,07\nquick win;3,65\n", encoding="utf-8"
    )
    result = run.invoke(main, ["evaluate", "--scores", str(scores), "--baseline-share", "0.29"])
    assert result.exit_code == 0, result.output
    assert "3.31 of 5" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("dimension,component,score\neconomy,outcom,3\ngovernance,output,7\n", encoding="utf-8")
    result = run.invoke(main, ["evaluate", "--scores", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2: field 'component'" in result.output
    assert f"{bad}:3: field 'score'" in result.output
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("dimension,component,score\nekonomi,output,3\n", encoding="utf-8")
    result = run.invoke(main, ["evaluate", str(scm.example_path()), "--scores", str(wrong)])
    assert result.exit_code == 1
    assert "'ekonomi'" in result.output
