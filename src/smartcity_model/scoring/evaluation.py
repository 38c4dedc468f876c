"""Kominfo's evaluation of smart city implementation: five components per dimension, each scored 1–5.

The Gerakan Menuju 100 Smart City evaluates a region each year on its *baseline*, the *outputs*
of its initiatives, their *outcomes*, their *impact* and its *quick wins*, dimension by dimension,
on a scale of 1 to 5 (a self-assessment checked by Kominfo's assessors). Regional reports publish
the weights: baseline and output together 30 %, outcome 30 %, impact 20 %, quick wins 20 %. How
the 30 % is split between baseline and output is not published; this preset splits it equally
(``baseline_share=0.5``) and says so in every result.

What that assumption costs is known from a published case: Kota Kediri's 2022 evaluation gives
the components baseline 3.60, output 3.21, outcome 3.23, impact 3.07, quick win 3.65 and the total
3.31. The equal split gives 3.33; a baseline share of 0.29 (8.7 % baseline, 21.3 % output)
gives 3.31.

Two ways in:

- :func:`evaluate_scores` aggregates component scores a region already has (its self-assessment,
  or the assessors' scores), overall or per dimension;
- :func:`evaluate` scores the components from the plan's own data, by the rules of
  :data:`COMPONENT_RULES`, and aggregates them the same way.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from smartcity_model.errors import suggest
from smartcity_model.i18n import N_, _, n_
from smartcity_model.model import Horizon, InitiativeStatus, Masterplan
from smartcity_model.model.indicator import Direction
from smartcity_model.scoring.rollup import check_options, planned_frame, roll_up
from smartcity_model.scoring.structure import PLAN_LEVELS, ScoringError, ScoringWarning, Structure, listing

__all__ = [
    "COMPONENT_RULES",
    "EVALUATION_COMPONENTS",
    "EVALUATION_SCALE",
    "Evaluation",
    "evaluate",
    "evaluate_scores",
    "evaluation_weights",
]

#: The components of the evaluation, in the order Kominfo lists them.
EVALUATION_COMPONENTS: tuple[str, ...] = ("baseline", "output", "outcome", "impact", "quick_win")
#: The lowest and highest score of a component.
EVALUATION_SCALE: tuple[float, float] = (1.0, 5.0)
#: Published weights (per cent): baseline and output share the first 30.
_PUBLISHED = {"baseline_and_output": 30.0, "outcome": 30.0, "impact": 20.0, "quick_win": 20.0}
#: How :func:`evaluate` scores each component from a plan's data (each ends on 1 + 4 × a share).
COMPONENT_RULES: dict[str, str] = {
    "baseline": N_("the dimension's readiness (0-100) in the baseline year, read as 1 + 4 × score/100"),
    "output": N_(
        "the initiatives of the dimension due to have started by the year (not cancelled): done counts 1, "
        "ongoing ½, planned or postponed 0; 1 + 4 × their mean"
    ),
    "outcome": N_(
        "the values the dimension's initiatives expect of their indicators by the year: the share met by the "
        "observation of that year (in the indicator's direction); 1 + 4 × that share"
    ),
    "impact": N_(
        "the dimension's readiness gained from the baseline year to the year, as a share of the gain the plan's "
        "targets imply (0 to 1); 1 + 4 × that share"
    ),
    "quick_win": N_(
        "the dimension's quick wins due to end by the year: done counts 1, ongoing ½, others 0; 1 + 4 × their mean"
    ),
}
_DONE = {InitiativeStatus.DONE: 1.0, InitiativeStatus.ONGOING: 0.5}


def evaluation_weights(baseline_share: float = 0.5) -> dict[str, float]:
    """Return the weight (a fraction; they sum to 1) of each component, splitting 30 % by ``baseline_share``.

    >>> evaluation_weights()
    {'baseline': 0.15, 'output': 0.15, 'outcome': 0.3, 'impact': 0.2, 'quick_win': 0.2}
    """
    number = isinstance(baseline_share, int | float) and not isinstance(baseline_share, bool)
    if not number or not 0 <= baseline_share <= 1:
        msg = _("baseline_share must be a number from 0 to 1, not {value}").format(value=repr(baseline_share))
        raise ScoringError(msg)
    joint = _PUBLISHED["baseline_and_output"]
    percent = {
        "baseline": joint * baseline_share,
        "output": joint * (1 - baseline_share),
        **{name: _PUBLISHED[name] for name in ("outcome", "impact", "quick_win")},
    }
    return {name: round(value / 100, 12) for name, value in percent.items()}


@dataclass(frozen=True)
class Evaluation:
    """Component scores (1–5) by dimension, and their aggregation with Kominfo's weights.

    ``components`` has one row per dimension and component: ``dimension, component, score``
    (``NaN`` where it could not be scored), ``items`` (what it was scored from) and ``basis``.
    A dimension of ``None`` holds a score given for the region as a whole.
    """

    region: str | None
    year: int | None
    components: pd.DataFrame
    weights: Mapping[str, float]
    assumptions: tuple[str, ...] = field(default=())

    @property
    def by_component(self) -> pd.Series:
        """Each component's score: the mean over the dimensions scored (or the score given overall)."""
        means = self.components.groupby("component", sort=False)["score"].mean()
        return means.reindex(list(EVALUATION_COMPONENTS))

    @property
    def by_dimension(self) -> pd.Series:
        """Each dimension's score: the weighted mean of its components scored."""
        frame = self.components.dropna(subset=["dimension"])
        if frame.empty:
            return pd.Series(dtype=float, name="score")
        wide = frame.pivot_table(index="dimension", columns="component", values="score", sort=False, dropna=False)
        order = list(dict.fromkeys(frame["dimension"]))
        return _weighted(wide.reindex(order), self.weights).rename("score")

    @property
    def missing(self) -> tuple[str, ...]:
        """The components with no score at all."""
        return tuple(str(name) for name, value in self.by_component.items() if pd.isna(value))

    @property
    def overall(self) -> float:
        """The region's total: the weighted mean of the component scores (weights of the missing ones left out)."""
        frame = self.by_component.to_frame().T
        return float(_weighted(frame, self.weights).iloc[0])

    def table(self) -> pd.DataFrame:
        """Return the scores as a table: one row per dimension (and ``overall``), one column per component."""
        frame = self.components.dropna(subset=["dimension"])
        rows = frame.pivot_table(index="dimension", columns="component", values="score", sort=False, dropna=False)
        rows = rows.reindex(index=list(dict.fromkeys(frame["dimension"])), columns=list(EVALUATION_COMPONENTS))
        rows["total"] = self.by_dimension.reindex(rows.index)
        overall = pd.DataFrame([[*self.by_component.to_numpy(), self.overall]], columns=rows.columns, index=["overall"])
        table = pd.concat([rows, overall]) if len(rows) else overall
        return table.rename_axis("dimension").reset_index()

    def __repr__(self) -> str:
        """Show the region, the year, the total and the components missing."""
        where = " ".join(str(part) for part in (self.region, self.year) if part is not None)
        missing = f", missing {', '.join(self.missing)}" if self.missing else ""
        return f"<Evaluation {where}: {self.overall:.2f} of 5{missing}>".replace("<Evaluation :", "<Evaluation:")


def _weighted(frame: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """Return each row's mean of its columns' scores weighted by ``weights``, over the scores present."""
    columns = [name for name in EVALUATION_COMPONENTS if name in frame.columns]
    values = frame[columns].to_numpy(dtype=float)
    w = np.array([weights[name] for name in columns])
    present = ~np.isnan(values)
    total = (present * w).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = np.where(total > 0, np.nansum(values * w, axis=1) / np.where(total > 0, total, 1), np.nan)
    return pd.Series(result, index=frame.index)


def _assumptions(baseline_share: float, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    joint = _PUBLISHED["baseline_and_output"]
    split = _(
        "baseline and output share {joint:g}% as published; the split is not published: {baseline:g}% baseline, "
        "{output:g}% output assumed"
    )
    shares = {"baseline": round(joint * baseline_share, 6), "output": round(joint * (1 - baseline_share), 6)}
    return (split.format(joint=joint, **shares), *extra)


def _check_component(name: str) -> None:
    if name not in EVALUATION_COMPONENTS:
        msg = _("unknown evaluation component {name}{hint}; the components are {known}").format(
            name=repr(name), hint=suggest(name, EVALUATION_COMPONENTS), known=", ".join(EVALUATION_COMPONENTS)
        )
        raise ScoringError(msg)


def evaluate_scores(
    scores: Mapping[str, float] | pd.DataFrame,
    *,
    baseline_share: float = 0.5,
    region: str | None = None,
    year: int | None = None,
) -> Evaluation:
    """Aggregate component scores a region already has (1–5) with Kominfo's weights.

    ``scores`` is a mapping ``component → score`` for the region as a whole, or a table with
    columns ``dimension, component, score`` (a self-assessment per dimension). Every score must
    lie on the 1–5 scale; a component left out is reported as missing and the weights of the
    others are used.

    Examples
    --------
    Kota Kediri, 2022 (published total 3.31):

    >>> kediri = {"baseline": 3.60, "output": 3.21, "outcome": 3.23, "impact": 3.07, "quick_win": 3.65}
    >>> round(evaluate_scores(kediri).overall, 2)
    3.33
    >>> round(evaluate_scores(kediri, baseline_share=0.29).overall, 2)
    3.31
    """
    weights = evaluation_weights(baseline_share)
    if isinstance(scores, pd.DataFrame):
        absent = {"dimension", "component", "score"} - set(scores.columns)
        if absent:
            msg = _("evaluation scores need columns dimension, component, score; missing: {missing}").format(
                missing=", ".join(sorted(absent))
            )
            raise ScoringError(msg)
        frame = scores[["dimension", "component", "score"]].copy()
    else:
        frame = pd.DataFrame({"dimension": None, "component": list(scores), "score": list(scores.values())})
    for name in dict.fromkeys(frame["component"].astype(str)):
        _check_component(name)
    values = pd.to_numeric(frame["score"], errors="coerce")
    low, high = EVALUATION_SCALE
    bad = frame.loc[values.isna() | (values < low) | (values > high)]
    if len(bad):
        shown = [f"{row.component}={row.score!r}" for row in bad.itertuples()]
        msg = _("evaluation scores lie from {low:g} to {high:g}; not: {scores}").format(
            low=low, high=high, scores=listing(shown)
        )
        raise ScoringError(msg)
    twice = frame[frame.duplicated(["dimension", "component"], keep=False)]
    if len(twice):
        msg = _("a component is scored twice for the same dimension: {pairs}").format(
            pairs=listing(sorted({f"{d}/{c}" for d, c in zip(twice["dimension"], twice["component"], strict=True)}))
        )
        raise ScoringError(msg)
    frame = frame.assign(score=values.astype(float), items=pd.array([pd.NA] * len(frame), dtype="Int64"))
    frame["basis"] = _("given")
    evaluation = Evaluation(region, year, frame.reset_index(drop=True), weights, _assumptions(baseline_share))
    _warn_missing(evaluation)
    return evaluation


def _warn_missing(evaluation: Evaluation) -> None:
    if evaluation.missing:
        message = _("Kominfo's evaluation has no score for {components}: its total weighs the other components only")
        warnings.warn(message.format(components=", ".join(evaluation.missing)), ScoringWarning, stacklevel=3)


def evaluate(
    plan: Masterplan,
    year: int | None = None,
    *,
    baseline_year: int | None = None,
    baseline_share: float = 0.5,
    **options: Any,
) -> Evaluation:
    """Score Kominfo's evaluation components of each dimension from the plan's own data (see :data:`COMPONENT_RULES`).

    ``year`` is the year evaluated (default: the latest year observed); ``baseline_year`` the
    year before the plan's effects (default: the latest year observed before the period starts,
    else the first year observed). ``options`` go to :func:`~smartcity_model.scoring.roll_up`
    (``missing``, ``min_coverage``...). A component with nothing to score it from is ``NaN`` with
    the reason in ``basis``; the total then weighs the others, and a :class:`ScoringWarning` says so.

    Examples
    --------
    >>> import smartcity_model as scm
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     result = evaluate(scm.load(scm.example_path()), 2024, missing="locf", count_imputed=True)
    >>> result.by_component.round(2).to_dict()
    {'baseline': 2.96, 'output': 1.11, 'outcome': nan, 'impact': 4.28, 'quick_win': 1.0}
    """
    check_options(options, taken=("regions", "years"))
    weights = evaluation_weights(baseline_share)
    result = roll_up(plan, **options)
    dimension_scores = result.wide("dimension")
    observed_years = sorted(int(y) for _region, y in dimension_scores.dropna(how="all").index)
    if not observed_years:
        msg = _("nothing to evaluate: no year has a dimension score (too few observations)")
        raise ScoringError(msg)
    year = observed_years[-1] if year is None else int(year)
    if baseline_year is None:
        before = [y for y in observed_years if y < plan.period.start]
        baseline_year = before[-1] if before else observed_years[0]
    if baseline_year > year:
        msg = _("the baseline year {baseline} comes after the year evaluated {year}").format(
            baseline=baseline_year, year=year
        )
        raise ScoringError(msg)
    dimensions = [dimension.id for dimension in plan.framework.dimensions]
    region = plan.region.id
    rows: list[tuple[str, str, float, int | None, str]] = []
    scores = dimension_scores.reindex([(region, baseline_year), (region, year)])
    planned = _planned_dimensions(plan, [baseline_year, year], options)
    for dimension in dimensions:
        rows.append(_baseline(scores, region, baseline_year, dimension))
        rows.append(_output(plan, year, dimension))
        rows.append(_outcome(plan, year, dimension))
        rows.append(_impact(scores, planned, region, (baseline_year, year), dimension))
        rows.append(_quick_wins(plan, year, dimension))
    frame = pd.DataFrame(rows, columns=["dimension", "component", "score", "items", "basis"])
    frame["items"] = frame["items"].astype("Int64")
    notes = (_("baseline year {baseline}, year evaluated {year}").format(baseline=baseline_year, year=year),)
    evaluation = Evaluation(region, year, frame, weights, _assumptions(baseline_share, notes))
    _warn_missing(evaluation)
    return evaluation


def _scaled(share: float) -> float:
    low, high = EVALUATION_SCALE
    return low + (high - low) * min(max(share, 0.0), 1.0)


Row = tuple[str, str, float, int | None, str]


def _baseline(scores: pd.DataFrame, region: str, baseline_year: int, dimension: str) -> Row:
    column = scores.get(dimension)
    value = np.nan if column is None else float(column.to_dict().get((region, baseline_year), np.nan))
    if np.isnan(value):
        return dimension, "baseline", np.nan, 0, _("no readiness score in {year}").format(year=baseline_year)
    return (
        dimension,
        "baseline",
        _scaled(value / 100),
        None,
        _("readiness {score:.1f} in {year}").format(score=value, year=baseline_year),
    )


def _status_share(initiatives: list[Any]) -> float:
    return float(np.mean([_DONE.get(initiative.status, 0.0) for initiative in initiatives]))


def _serving(plan: Masterplan, dimension: str) -> list[Any]:
    return [
        initiative
        for initiative in plan.initiatives
        if initiative.status is not InitiativeStatus.CANCELLED and dimension in plan.dimensions_of(initiative)
    ]


def _output(plan: Masterplan, year: int, dimension: str) -> Row:
    due = [initiative for initiative in _serving(plan, dimension) if plan.schedule(initiative)[0] <= year]
    if not due:
        return dimension, "output", np.nan, 0, _("no initiative due to have started by {year}").format(year=year)
    share = _status_share(due)
    message = n_("{n} initiative due; delivered {share:.0%}", "{n} initiatives due; delivered {share:.0%}", len(due))
    return dimension, "output", _scaled(share), len(due), message.format(n=len(due), share=share)


def _outcome(plan: Masterplan, year: int, dimension: str) -> Row:
    observed = {(o.indicator, o.year): o.value for o in plan.observations if o.region in {None, plan.region.id}}
    met: list[bool] = []
    for initiative in _serving(plan, dimension):
        for link in initiative.indicators:
            indicator = plan.indicator(link.indicator)
            if plan.framework.dimension_of(indicator.element).id != dimension:
                continue
            for due, expected in link.expected.items():
                value = observed.get((link.indicator, due))
                if due <= year and value is not None:
                    met.append(_meets(indicator, value, expected))
    if not met:
        message = _("no expected value due by {year} has an observation").format(year=year)
        return dimension, "outcome", np.nan, 0, message
    share = sum(met) / len(met)
    return (
        dimension,
        "outcome",
        _scaled(share),
        len(met),
        _("{met} of {n} expected values met").format(met=sum(met), n=len(met)),
    )


def _meets(indicator: Any, value: float, expected: float) -> bool:
    if indicator.direction is Direction.LOWER:
        return value <= expected
    if indicator.direction is Direction.BAND and indicator.band is not None:
        return bool(indicator.band.low <= value <= indicator.band.high)
    return value >= expected


def _planned_dimensions(plan: Masterplan, years: list[int], options: Mapping[str, Any]) -> pd.DataFrame | None:
    data = planned_frame(plan)
    if data.empty:
        return None
    kept = {name: value for name, value in options.items() if name not in {"missing", "max_gap", "groups"}}
    try:
        result = roll_up(data, Structure.from_plan(plan), regions=[plan.region.id], years=years, **kept)
    except ScoringError:
        return None
    return result.wide(PLAN_LEVELS[2])


def _impact(
    scores: pd.DataFrame, planned: pd.DataFrame | None, region: str, years: tuple[int, int], dimension: str
) -> Row:
    start, end = years
    if start == end:
        return dimension, "impact", np.nan, 0, _("the year evaluated is the baseline year")
    observed = scores.get(dimension)
    gain = np.nan if observed is None else observed.get((region, end), np.nan) - observed.get((region, start), np.nan)
    aimed = np.nan
    if planned is not None and dimension in planned.columns:
        path = planned[dimension]
        aimed = path.get((region, end), np.nan) - path.get((region, start), np.nan)
    if pd.isna(gain):
        return dimension, "impact", np.nan, 0, _("no readiness score in {start} and {end}").format(start=start, end=end)
    if pd.isna(aimed) or aimed <= 0:
        message = _("the plan's targets imply no gain from {start} to {end}").format(start=start, end=end)
        return dimension, "impact", np.nan, 0, message
    share = float(gain) / float(aimed)
    basis = _("gained {gain:+.1f} of the {aimed:.1f} points planned").format(gain=float(gain), aimed=float(aimed))
    return dimension, "impact", _scaled(share), None, basis


def _quick_wins(plan: Masterplan, year: int, dimension: str) -> Row:
    due = [
        initiative
        for initiative in _serving(plan, dimension)
        if initiative.horizon is Horizon.QUICK_WIN and plan.schedule(initiative)[1] <= year
    ]
    if not due:
        return dimension, "quick_win", np.nan, 0, _("no quick win due to end by {year}").format(year=year)
    share = _status_share(due)
    message = n_("{n} quick win due; delivered {share:.0%}", "{n} quick wins due; delivered {share:.0%}", len(due))
    return dimension, "quick_win", _scaled(share), len(due), message.format(n=len(due), share=share)
