"""Readiness by pillar: indicators and the questionnaire, each on 0-100, combined and banded."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import smartcity_model as scm
from smartcity_model.cli import main
from smartcity_model.scoring import PILLAR_COLUMNS, pillar_structure, questionnaire_scores


def _plan(answers: list[dict[str, Any]], *, pillar_indicators: bool = True) -> scm.Masterplan:
    data = scm.plan_to_data(scm.load(scm.example_path()))
    data["assessment"] = answers
    if not pillar_indicators:
        for indicator in data["indicators"]:
            indicator.pop("pillar", None)
    return scm.Masterplan.from_dict(data)


def test_a_level_counts_a_quarter_of_the_scale_per_step_and_an_answer_holds_until_the_next() -> None:
    plan = _plan(
        [
            {"question": "str-sdm", "year": 2021, "level": 1},
            {"question": "str-anggaran", "year": 2021, "level": 5},
            {"question": "str-sdm", "year": 2023, "level": 3},
        ]
    )
    scores = questionnaire_scores(plan, years=[2020, 2021, 2022, 2023]).set_index(["year", "pillar"])
    assert (2020, "structure") not in scores.index  # nothing answered yet: never carried backward
    assert scores.loc[(2021, "structure"), "score"] == 50.0  # (0 + 100) / 2
    assert scores.loc[(2022, "structure"), "score"] == 50.0  # the 2021 answers hold
    assert scores.loc[(2023, "structure"), "score"] == 75.0  # (50 + 100) / 2
    assert scores.loc[(2023, "structure"), "answers"] == 2


def test_a_pillar_with_both_scores_takes_their_weighted_mean_and_one_with_one_takes_it() -> None:
    answers = [{"question": "sup-regulasi", "year": 2024, "level": 5}]
    half = scm.pillar_readiness(_plan(answers), years=[2024]).set_index("node")
    assert half.loc["superstructure", "from_questionnaire"] == 100.0
    expected = 0.5 * 100 + 0.5 * half.loc["superstructure", "from_indicators"]
    assert half.loc["superstructure", "score"] == pytest.approx(expected)
    assert half.loc["structure", "score"] == half.loc["structure", "from_indicators"]  # no answer: indicators only
    only_answers = scm.pillar_readiness(_plan(answers), years=[2024], questionnaire_weight=1).set_index("node")
    assert only_answers.loc["superstructure", "score"] == 100.0


def test_without_pillar_indicators_the_questionnaire_alone_scores_and_the_overall_needs_coverage() -> None:
    plan = _plan([{"question": "inf-data", "year": 2024, "level": 2}], pillar_indicators=False)
    assert pillar_structure(plan) is None
    table = scm.pillar_readiness(plan, years=[2024]).set_index("node")
    assert table.loc["infrastructure", "score"] == 25.0
    assert pd.isna(table.loc["structure", "score"])
    assert pd.isna(table.loc["overall", "score"])  # one pillar of three is below min_coverage 0.65
    lenient = scm.pillar_readiness(plan, years=[2024], min_coverage=0.3).set_index("node")
    assert lenient.loc["overall", "score"] == 25.0


def test_the_table_has_its_documented_columns_and_bands() -> None:
    table = scm.pillar_readiness(scm.load(scm.example_path()))
    assert tuple(table.columns) == PILLAR_COLUMNS
    scored = table.dropna(subset=["score"])
    assert scored["readiness_level"].between(1, 5).all()
    assert set(table["level"]) == {"pillar", "overall"}


@pytest.mark.parametrize("weight", [-0.1, 1.5, True, "half"])
def test_a_questionnaire_weight_off_zero_to_one_is_refused(weight: object) -> None:
    with pytest.raises(scm.ScoringError, match="questionnaire_weight"):
        scm.pillar_readiness(scm.load(scm.example_path()), questionnaire_weight=weight)  # type: ignore[arg-type]


def test_nothing_to_score_is_an_error_not_an_empty_table() -> None:
    with pytest.raises(scm.ScoringError, match="nothing to score"):
        scm.pillar_readiness(_plan([], pillar_indicators=False))


@settings(max_examples=25, deadline=None)
@given(levels=st.lists(st.integers(1, 5), min_size=12, max_size=12))
def test_questionnaire_scores_lie_between_the_ends_of_the_scale_and_rise_with_the_levels(levels: list[int]) -> None:
    questions = [question.id for question in scm.builtin_questionnaire().questions]
    low = _plan([{"question": q, "year": 2024, "level": level} for q, level in zip(questions, levels, strict=True)])
    high = _plan(
        [{"question": q, "year": 2024, "level": min(level + 1, 5)} for q, level in zip(questions, levels, strict=True)]
    )
    before, after = questionnaire_scores(low)["score"], questionnaire_scores(high)["score"]
    assert before.between(0, 100).all()
    assert (after.to_numpy() >= before.to_numpy()).all()


def test_score_level_pillar_prints_and_writes_the_pillar_table() -> None:
    run = CliRunner()
    result = run.invoke(main, ["score", str(scm.example_path()), "--level", "pillar", "--year", "2024"])
    assert result.exit_code == 0, result.output
    assert "Struktur" in result.output
    assert "questionnaire" in result.output
    as_json = run.invoke(main, ["score", str(scm.example_path()), "--level", "pillar", "--format", "json"])
    rows = json.loads(as_json.output)
    assert {row["node"] for row in rows} == {"structure", "infrastructure", "superstructure", "overall"}
    mixed = run.invoke(
        main, ["score", str(scm.example_path()), "--level", "dimension", "--level", "pillar", "--format", "csv"]
    )
    assert mixed.exit_code == 2
    assert "ask for it alone" in mixed.output
