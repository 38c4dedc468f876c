"""What each initiative is expected to bring: readiness points per dimension and per rupiah.

An initiative names the indicators it moves, some with the values it expects by year. Each link
is scored as the change of the indicator's normalised score (the indicator's own normalisation,
0–100) from its **baseline** to the **value expected** from the initiative: its last stated
expected value, else the indicator's last target. When several initiatives move one indicator,
the change is shared among them in equal parts, so that initiatives all stating the indicator's
target add up to the target's change once. An indicator without a normalisation of its own is
scored on the range of its baseline, targets and expected values.

The points then go up the scoring structure with its weights, as an arithmetic mean passes them
on: an initiative's **gain** in a dimension is the rise of that dimension's score, and ``gain``
the rise of the overall score, other things equal (a first-order reading when the plan scores
with other means). ``gain_per_billion`` is the overall gain per Rp 1 miliar (10⁹ rupiah) of the
initiative's budget.

:func:`readiness_path` spreads each initiative's gain over the years of a :func:`schedule`, so a
slip or a drop shows in the readiness the plan can expect each year.

Examples
--------
>>> import smartcity_model as scm
>>> plan = scm.load(scm.example_path())
>>> effects = scm.expected_effects(plan)
>>> effects.set_index("initiative").loc["md-02", "gain"] > 0
np.True_
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from smartcity_model.i18n import _
from smartcity_model.model import Masterplan
from smartcity_model.roadmap.schedule import schedule
from smartcity_model.scoring.normalise import normalise_matrix
from smartcity_model.scoring.rollup import observations_frame
from smartcity_model.scoring.structure import Structure, listing, warn

__all__ = [
    "EFFECT_COLUMNS",
    "PATH_COLUMNS",
    "effective_weights",
    "expected_effects",
    "indicator_effects",
    "readiness_path",
]

FloatArray = npt.NDArray[np.float64]

#: Columns of :func:`indicator_effects`, in order.
EFFECT_COLUMNS: tuple[str, ...] = ("initiative", "indicator", "baseline", "value", "basis", "share", "points")
#: Columns of :func:`readiness_path`, in order.
PATH_COLUMNS: tuple[str, ...] = ("year", "level", "node", "readiness")
#: Rupiah in one miliar, the unit of ``gain_per_billion``.
BILLION = 1e9


def effective_weights(structure: Structure, level: str) -> tuple[FloatArray, tuple[str, ...]]:
    """Return how much each indicator weighs in each node of ``level`` (indicators × nodes) and the nodes.

    Each column sums to 1 over the indicators that count (arithmetic means with the structure's
    weights, taken down the hierarchy).
    """
    structure.check_level(level)
    weights: FloatArray = np.eye(len(structure.indicators))
    for lower in structure.levels[: structure.levels.index(level)]:
        matrix, _parents = structure.membership(lower)
        totals = matrix.sum(axis=0)
        share = np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals > 0)
        weights = weights @ share
    return weights, structure.level_nodes(level)


def _baselines(plan: Masterplan) -> dict[str, float]:
    """Return each indicator's baseline: its own, else its earliest observation in the plan's region."""
    found = {ind.id: float(ind.baseline.value) for ind in plan.indicators if ind.baseline is not None}
    observed = observations_frame(plan)
    observed = observed[(observed["region"] == plan.region.id) & ~observed["indicator"].isin(list(found))]
    if not observed.empty:
        first = observed.sort_values("year", kind="stable").groupby("indicator", sort=False)["value"].first()
        found |= {str(k): float(v) for k, v in first.items()}
    return found


def indicator_effects(plan: Masterplan, structure: Structure | None = None) -> pd.DataFrame:
    """Return one row per initiative and indicator it moves: baseline, value expected and points.

    Columns :data:`EFFECT_COLUMNS`: ``basis`` is ``expected`` (the initiative's last stated value),
    ``target`` (the indicator's last target), ``no baseline`` or ``no target`` (no points: a
    :class:`~smartcity_model.scoring.ScoringWarning` names them); ``share`` is 1 / the number of
    initiatives moving the indicator; ``points`` is the change of the indicator's normalised score
    times ``share``.
    """
    structure = Structure.from_plan(plan) if structure is None else structure
    columns = {name: n for n, name in enumerate(structure.indicators)}
    indicators = {ind.id: ind for ind in plan.indicators}
    baselines = _baselines(plan)
    movers: dict[str, int] = {}
    links: list[tuple[str, str, float]] = []
    outside: set[str] = set()
    for initiative in plan.initiatives:
        for link in {link.indicator: link for link in reversed(initiative.indicators)}.values():
            if link.indicator not in columns:
                outside.add(link.indicator)
                continue
            movers[link.indicator] = movers.get(link.indicator, 0) + 1
            stated = next(reversed(link.expected.values()), None) if link.expected else None
            links.append((initiative.id, link.indicator, np.nan if stated is None else float(stated)))
    if outside:
        message = _("initiatives move {indicators}, which the structure does not score: they bring nothing there")
        warn(message.format(indicators=listing(repr(name) for name in sorted(outside))))
    frame = pd.DataFrame(links, columns=["initiative", "indicator", "stated"])
    last_target = {k: next(reversed(ind.targets.values()), np.nan) for k, ind in indicators.items() if ind.targets}
    frame["baseline"] = frame["indicator"].map(baselines).astype(float)
    frame["value"] = frame["stated"].fillna(frame["indicator"].map(last_target).astype(float))
    frame["basis"] = np.where(frame["stated"].notna(), "expected", "target")
    frame.loc[frame["value"].isna(), "basis"] = "no target"
    frame.loc[frame["baseline"].isna(), "basis"] = "no baseline"
    frame["share"] = 1.0 / frame["indicator"].map(movers).astype(float)
    frame["points"] = _changes(structure, frame, baselines, last_target) * frame["share"]
    _warn_unscored(frame)
    return frame[list(EFFECT_COLUMNS)]


def _changes(
    structure: Structure, links: pd.DataFrame, baselines: dict[str, float], targets: dict[str, float]
) -> FloatArray:
    """Return each link's change of normalised score, all indicators normalised at once."""
    names = structure.indicators
    column = {name: n for n, name in enumerate(names)}
    if links.empty:
        return np.zeros(0)
    cols = links["indicator"].map(column).to_numpy(dtype=np.intp)
    rank = links.groupby("indicator", sort=False).cumcount().to_numpy(dtype=np.intp)
    values: FloatArray = np.full((2 + int(rank.max()) + 1, len(names)), np.nan)
    values[0] = [baselines.get(name, np.nan) for name in names]
    values[1] = [targets.get(name, np.nan) for name in names]
    values[2 + rank, cols] = links["value"].to_numpy(dtype=float)
    specs = [structure.spec(name) for name in names]
    scores = normalise_matrix(values, specs, np.zeros(values.shape[0], dtype=np.intp), "declared", names=names).scores
    changes: FloatArray = np.nan_to_num(scores[2 + rank, cols] - scores[0, cols])
    return changes


def _warn_unscored(frame: pd.DataFrame) -> None:
    """Warn once about the indicators whose links earn no points, saying why."""
    for basis, reason in (
        ("no baseline", _("they have no baseline and no observation")),
        ("no target", _("they have no target and the initiatives state no expected value")),
    ):
        unscored = frame.loc[frame["basis"] == basis, "indicator"].unique()
        if len(unscored):
            message = _("initiatives moving {indicators} are expected to bring nothing there: {reason}").format(
                indicators=listing(repr(name) for name in unscored), reason=reason
            )
            warn(message)


def _gains(
    plan: Masterplan, structure: Structure, links: pd.DataFrame, level: str
) -> tuple[FloatArray, tuple[str, ...]]:
    """Return every initiative's gain in each node of ``level`` (initiatives × nodes) from its ``links``."""
    weights, nodes = effective_weights(structure, level)
    row = {initiative.id: n for n, initiative in enumerate(plan.initiatives)}
    column = {name: n for n, name in enumerate(structure.indicators)}
    gains: FloatArray = np.zeros((len(plan.initiatives), len(nodes)))
    rows = links["initiative"].map(row).to_numpy(dtype=np.intp)
    cols = links["indicator"].map(column).to_numpy(dtype=np.intp)
    np.add.at(gains, rows, links["points"].to_numpy(dtype=float)[:, None] * weights[cols])
    return gains, nodes


def expected_effects(plan: Masterplan, structure: Structure | None = None) -> pd.DataFrame:
    """Return every initiative's expected gain in readiness points, overall and per dimension.

    Columns ``initiative, name, lead, cost, gain, gain_per_billion`` then one column per
    dimension; ``cost`` is the initiative's whole budget in rupiah and ``gain_per_billion`` is
    missing for an initiative without budget.
    """
    structure = Structure.from_plan(plan) if structure is None else structure
    top, second = structure.levels[-1], structure.levels[-2]
    links = indicator_effects(plan, structure)
    overall, _top_nodes = _gains(plan, structure, links, top)
    by_node, nodes = _gains(plan, structure, links, second)
    cost = np.array([initiative.total_budget for initiative in plan.initiatives], dtype=float)
    gain = overall.sum(axis=1)
    with np.errstate(over="ignore"):  # a cost of a fraction of a rupiah makes it infinite
        per_billion = np.divide(gain * BILLION, cost, out=np.full_like(gain, np.nan), where=cost > 0)
    table = pd.DataFrame(
        {
            "initiative": [initiative.id for initiative in plan.initiatives],
            "name": [initiative.name for initiative in plan.initiatives],
            "lead": [initiative.lead for initiative in plan.initiatives],
            "cost": cost,
            "gain": gain,
            "gain_per_billion": per_billion,
        }
    )
    return pd.concat([table, pd.DataFrame(by_node, columns=list(nodes))], axis=1)


def readiness_path(
    plan: Masterplan,
    table: pd.DataFrame | None = None,
    structure: Structure | None = None,
    *,
    delivered: pd.DataFrame | None = None,
    effects: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the readiness the plan can expect each year of its period if the initiatives deliver.

    Each score starts from the baseline readiness (the baselines scored up the structure, with the
    weights of the indicators that have one) and rises by each initiative's gain as it is carried
    out: a share of it every year of its scheduled years, all of it from its earliest finish. A
    blocked or dropped initiative brings nothing. ``table`` is a :func:`schedule` (default: the
    plan's own). ``delivered`` (initiatives × years, shares 0-1) replaces the schedule's share
    where it has a value: what monitoring reports was done. ``effects`` is the plan's
    :func:`indicator_effects` on ``structure``, when the caller has it already (default: computed).
    Columns :data:`PATH_COLUMNS`, for the two top levels of the structure.
    """
    table = schedule(plan) if table is None else table
    structure = Structure.from_plan(plan) if structure is None else structure
    years = np.arange(plan.period.start, plan.period.end + 1)
    start = table["earliest_start"].to_numpy(dtype=float, na_value=np.nan)
    duration = table["duration"].to_numpy(dtype=float)
    done = np.clip((years[None, :] - start[:, None] + 1) / duration[:, None], 0.0, 1.0)
    done = np.nan_to_num(done)
    if delivered is not None:
        ids = [initiative.id for initiative in plan.initiatives]
        reported = delivered.reindex(index=ids, columns=years).to_numpy(dtype=float, na_value=np.nan)
        done = np.where(np.isnan(reported), done, np.clip(reported, 0.0, 1.0))
    links = indicator_effects(plan, structure) if effects is None else effects
    baselines = _baselines(plan)
    base_values = np.array([baselines.get(name, np.nan) for name in structure.indicators], dtype=float)
    specs = [structure.spec(name) for name in structure.indicators]
    base_scores = normalise_matrix(
        base_values[None, :], specs, np.zeros(1, dtype=np.intp), "declared", names=structure.indicators
    ).scores[0]
    frames = []
    for level in structure.levels[-2:][::-1]:
        gains, nodes = _gains(plan, structure, links, level)
        weights, _nodes = effective_weights(structure, level)
        present = ~np.isnan(base_scores)
        mass = weights[present].sum(axis=0)
        start_score = np.divide(
            np.nan_to_num(base_scores[present]) @ weights[present],
            mass,
            out=np.full(len(nodes), np.nan),
            where=mass > 0,
        )
        path = start_score[None, :] + done.T @ gains
        frames.append(
            pd.DataFrame(
                {
                    "year": np.repeat(years, len(nodes)),
                    "level": level,
                    "node": np.tile(np.asarray(nodes, dtype=object), len(years)),
                    "readiness": np.clip(path.ravel(), 0.0, 100.0),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)[list(PATH_COLUMNS)]
