"""Readiness by pillar (*kesiapan daerah*): struktur, infrastruktur, suprastruktur, and any a region adds.

Each pillar is scored two ways, both on 0–100:

- **from indicators**: the indicators that name the pillar (``pillar``) rolled up as the
  dimensions are (:func:`~smartcity_model.scoring.roll_up`, the same options), on the structure
  ``indicator → pillar → overall``;
- **from the questionnaire**: each answer's level 1–5 read as ``(level - 1) × 25`` (1 → 0,
  3 → 50, 5 → 100), averaged over the pillar's questions. An answer holds until the question is
  answered again, never before the year it was given.

Where a pillar has both, its score is their weighted mean (``questionnaire_weight``, by default
½ each); where it has one, that one. The region's readiness (``overall``) is the mean of its
pillars, given when at least ``min_coverage`` of them are scored.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from smartcity_model.i18n import _
from smartcity_model.model import Masterplan
from smartcity_model.model.assessment import LEVELS
from smartcity_model.scoring.readiness import ReadinessScale, readiness_scale
from smartcity_model.scoring.rollup import check_options, observations_frame, roll_up
from smartcity_model.scoring.structure import TOP_NODE, IndicatorSpec, ScoringError, Structure

__all__ = ["PILLAR_COLUMNS", "PILLAR_LEVELS", "pillar_readiness", "pillar_structure", "questionnaire_scores"]

#: The levels of the pillar structure.
PILLAR_LEVELS: tuple[str, ...] = ("indicator", "pillar", "overall")
#: Columns of :func:`pillar_readiness`.
PILLAR_COLUMNS: tuple[str, ...] = (
    "region",
    "year",
    "level",
    "node",
    "from_indicators",
    "indicator_coverage",
    "from_questionnaire",
    "answers",
    "score",
    "readiness_level",
    "band",
)


def pillar_structure(plan: Masterplan) -> Structure | None:
    """Return ``indicator → pillar → overall`` for the indicators that name a pillar (``None`` if none does)."""
    measured = [indicator for indicator in plan.indicators if indicator.pillar is not None]
    if not measured:
        return None
    rows: list[tuple[str, str, str | None, float]] = [(i.id, "indicator", i.pillar, i.weight) for i in measured]
    rows += [(pillar.id, "pillar", TOP_NODE, 1.0) for pillar in plan.all_pillars]
    rows.append((TOP_NODE, "overall", None, 1.0))
    frame = pd.DataFrame(rows, columns=["node", "level", "parent", "weight"])
    return Structure(PILLAR_LEVELS, frame, {i.id: IndicatorSpec.of(i) for i in measured})


def questionnaire_scores(plan: Masterplan, years: Iterable[int] | None = None) -> pd.DataFrame:
    """Return each pillar's questionnaire score by year: ``year, pillar, score, answers``.

    ``years`` are the years wanted (by default those answered); each question counts with its
    latest answer up to the year. A pillar none of whose questions is answered yet is left out.

    Examples
    --------
    >>> import smartcity_model as scm
    >>> scores = questionnaire_scores(scm.load(scm.example_path()))
    >>> scores[scores["year"] == 2024].set_index("pillar")["score"].round(1).to_dict()
    {'infrastructure': 31.2, 'structure': 37.5, 'superstructure': 43.8}
    """
    columns = ["year", "pillar", "score", "answers"]
    questions = {question.id: question.pillar for question in plan.questionnaire.questions}
    answers = [answer for answer in plan.assessment if answer.question in questions]
    if not answers:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(
        {
            "year": [answer.year for answer in answers],
            "question": [answer.question for answer in answers],
            "level": [answer.level for answer in answers],
        }
    )
    wanted = sorted(set(frame["year"]) if years is None else {int(year) for year in years})
    levels = frame.pivot_table(index="year", columns="question", values="level", aggfunc="last")
    grid = levels.reindex(sorted(set(levels.index) | set(wanted))).ffill().reindex(wanted)
    long = grid.rename_axis(index="year", columns="question").reset_index().melt(id_vars="year").dropna()
    long["score"] = (long["value"] - LEVELS[0]) * (100 / (LEVELS[-1] - LEVELS[0]))
    long["pillar"] = long["question"].map(questions)
    out = long.groupby(["year", "pillar"], as_index=False).agg(score=("score", "mean"), answers=("score", "count"))
    return out[columns].sort_values(["year", "pillar"]).reset_index(drop=True).astype({"answers": "int64"})


def pillar_readiness(
    plan: Masterplan,
    *,
    questionnaire_weight: float = 0.5,
    years: Iterable[int] | None = None,
    min_coverage: float = 0.65,
    scale: str | ReadinessScale = "default",
    **options: object,
) -> pd.DataFrame:
    """Score the plan's readiness by pillar, from its indicators and its questionnaire answers.

    Returns one row per year and pillar, then the ``overall`` row of each year (see
    :data:`PILLAR_COLUMNS`): the score from indicators with their weight coverage, the score from
    the questionnaire with the number of questions answered, the combined ``score``, and its
    readiness level and band on ``scale``. ``options`` go to
    :func:`~smartcity_model.scoring.roll_up` for the indicators (``method``, ``missing``...).

    Examples
    --------
    >>> import smartcity_model as scm
    >>> table = pillar_readiness(scm.load(scm.example_path()), years=[2024])
    >>> table.set_index("node")["from_questionnaire"].to_dict()
    {'structure': 37.5, 'infrastructure': 31.25, 'superstructure': 43.75, 'overall': 37.5}
    >>> table.set_index("node")["score"].round(1).to_dict()
    {'structure': 50.2, 'infrastructure': 45.7, 'superstructure': 52.8, 'overall': 49.6}
    """
    number = isinstance(questionnaire_weight, int | float) and not isinstance(questionnaire_weight, bool)
    if not number or not 0 <= questionnaire_weight <= 1:
        msg = _("questionnaire_weight must be a number from 0 to 1, not {value}").format(
            value=repr(questionnaire_weight)
        )
        raise ScoringError(msg)
    check_options(options, taken=("regions", "years", "min_coverage", "scale"))
    pillars = [pillar.id for pillar in plan.all_pillars]
    if not pillars:
        msg = _("the plan's framework has no readiness pillars, and the plan adds none (pillars)")
        raise ScoringError(msg)
    region = plan.region.id
    wanted = None if years is None else sorted({int(year) for year in years})
    indicators = _from_indicators(plan, wanted, min_coverage, options)
    answered = questionnaire_scores(plan, wanted)
    grid_years = wanted or sorted(set(indicators["year"]) | set(answered["year"]))
    if not grid_years:
        msg = _("nothing to score: no indicator names a pillar and no question of the questionnaire is answered")
        raise ScoringError(msg)
    grid = pd.MultiIndex.from_product([grid_years, pillars], names=["year", "node"])
    table = pd.DataFrame(index=grid)
    table = table.join(indicators.set_index(["year", "node"])).join(
        answered.rename(columns={"pillar": "node", "score": "from_questionnaire"}).set_index(["year", "node"])
    )
    table["answers"] = table["answers"].fillna(0).astype("int64")
    table["indicator_coverage"] = table["indicator_coverage"].fillna(0.0)
    table["score"] = _combined(table["from_indicators"], table["from_questionnaire"], float(questionnaire_weight))
    overall = _overall(table, pillars, min_coverage)
    table = pd.concat([table.reset_index().assign(level="pillar"), overall], ignore_index=True)
    order = {pillar: number for number, pillar in enumerate([*pillars, TOP_NODE])}
    table = table.sort_values(["year", "node"], key=lambda c: c.map(order) if c.name == "node" else c)
    chosen = readiness_scale(scale)
    levels = chosen.levels_of(table["score"].to_numpy(dtype=float))
    table["readiness_level"] = pd.Series(levels, index=table.index).astype("Int64")
    table["band"] = pd.Series(chosen.names_of(levels), index=table.index, dtype=object)
    table["region"] = region
    return table[list(PILLAR_COLUMNS)].reset_index(drop=True)


def _from_indicators(
    plan: Masterplan, years: list[int] | None, min_coverage: float, options: dict[str, object]
) -> pd.DataFrame:
    """Return ``year, node, from_indicators, indicator_coverage`` of each pillar (and the top) from its indicators."""
    columns = ["year", "node", "from_indicators", "indicator_coverage"]
    structure = pillar_structure(plan)
    data = observations_frame(plan)
    if structure is None or not data["indicator"].isin(structure.indicators).any():
        return pd.DataFrame(columns=columns)
    result = roll_up(
        data[data["indicator"].isin(structure.indicators)],
        structure,
        regions=[plan.region.id],
        years=years,
        min_coverage=min_coverage,
        **options,  # type: ignore[arg-type]  # checked: roll_up's own options
    )
    scores = result.scores
    scores = scores[scores["level"] == "pillar"]
    out = scores.rename(columns={"score": "from_indicators", "coverage": "indicator_coverage"})
    return out[columns]


def _combined(indicators: pd.Series, questionnaire: pd.Series, weight: float) -> pd.Series:
    """Return the weighted mean of the two scores where both exist, else the one that does."""
    both = weight * questionnaire + (1 - weight) * indicators
    return both.fillna(indicators).fillna(questionnaire).astype(float)


def _overall(table: pd.DataFrame, pillars: list[str], min_coverage: float) -> pd.DataFrame:
    """Return the ``overall`` row of each year: the mean of the pillars scored, if enough of them are."""
    by_year = table.groupby(level="year")
    scored = by_year["score"].count() / len(pillars)
    overall = pd.DataFrame(
        {
            "from_indicators": by_year["from_indicators"].mean(),
            "indicator_coverage": by_year["indicator_coverage"].mean(),
            "from_questionnaire": by_year["from_questionnaire"].mean(),
            "answers": by_year["answers"].sum(),
            "score": by_year["score"].mean().where(scored >= min_coverage - 1e-12, np.nan),
        }
    )
    return overall.reset_index().assign(node=TOP_NODE, level="overall")
