"""Province readiness: many regions rolled up at once, and the smart-province rule.

A province is not smart because its average is: it reaches readiness level L in a dimension
only when at least a share S of its kabupaten/kota reach level L there. The regions below the
next level are the ones that hold it back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from smartcity_model.errors import suggest
from smartcity_model.i18n import _
from smartcity_model.model import Masterplan
from smartcity_model.scoring.readiness import ReadinessScale, readiness_scale
from smartcity_model.scoring.rollup import RollUp, check_options, observations_frame, roll_up
from smartcity_model.scoring.structure import ScoringError, Structure, listing

__all__ = ["BLOCKER_COLUMNS", "ProvinceReadiness", "province_from_rollup", "roll_up_province"]

#: Columns of :meth:`ProvinceReadiness.blockers`.
BLOCKER_COLUMNS: tuple[str, ...] = (
    "year",
    "node",
    "region",
    "score",
    "readiness_level",
    "target_level",
    "points_needed",
)


@dataclass(frozen=True, eq=False)
class ProvinceReadiness:
    """The regions' roll-up, the province's scores and levels, and what holds the province back."""

    regions: RollUp
    """Every region's scores (a :class:`RollUp`)."""
    province: pd.DataFrame
    """Weighted province scores: ``year, level, node, score, coverage, indicator_coverage, indicator_imputed``.

    ``coverage`` is the weight share of the regions that have a score; ``indicator_coverage`` and
    ``indicator_imputed`` the weighted means of those regions' own observed and imputed shares."""
    levels: pd.DataFrame
    """Smart-province level per year and node: ``year, level, node, province_level, readiness, share_at_next``."""
    region_levels: pd.DataFrame
    """Each region's score and readiness level on the rule's levels."""
    scale: ReadinessScale
    share: float

    def __repr__(self) -> str:
        """Summarise in a few lines: regions, years, the rule and the latest year's levels."""
        units = self.regions.units
        years = sorted(set(units["year"].tolist()))
        latest = self.levels[self.levels["year"] == years[-1]] if years else self.levels
        pairs = zip(latest["node"].head(8).tolist(), latest["province_level"].head(8).tolist(), strict=True)
        reached = ", ".join(f"{node} {'—' if level is pd.NA else level}" for node, level in pairs)
        span = f"{years[0]}–{years[-1]}" if years else "no years"
        return (
            f"<ProvinceReadiness {len(set(units['region']))} regions, {span}; rule: {self.share:.0%} of the regions "
            f"reach a level on {', '.join(sorted(set(self.levels['level'])))}\n"
            f"  {years[-1] if years else ''} levels ({self.scale.name} scale): {reached}\n"
            "  tables: .province .levels .region_levels .blockers(year) .regions>"
        )

    def _repr_html_(self) -> str:
        """Show the rule, the latest levels and the regions holding the province back in a notebook."""
        from smartcity_model.views import province_html  # noqa: PLC0415 - views import scoring

        return province_html(self)

    def blockers(self, year: int | None = None) -> pd.DataFrame:
        """Return the regions below the next level, per node, for ``year`` (default: the latest).

        ``points_needed`` is how far the region's score is from the next level's band (missing
        when the region has no score); rows are ordered by node, then by the points needed.
        """
        years = sorted(set(self.levels["year"].tolist()))
        chosen = int(years[-1]) if year is None else year
        if chosen not in years:
            msg = _("no year {year} in the roll-up; the years are {years}").format(
                year=repr(chosen), years=listing(years)
            )
            raise ScoringError(msg)
        levels = self.levels[self.levels["year"] == chosen]
        bands = sorted(band.level for band in self.scale.bands)
        reached = levels["province_level"].astype(object).where(levels["province_level"].notna(), None)
        following = [next((b for b in bands if level is None or b > level), None) for level in reached]
        target = levels.assign(target_level=pd.array(following, dtype="Int64"))
        target = target[target["target_level"].notna()][["year", "node", "target_level"]]
        regions = self.region_levels[self.region_levels["year"] == chosen]
        merged = regions.merge(target, on=["year", "node"])
        merged = merged[~(merged["readiness_level"] >= merged["target_level"]).fillna(value=False)].copy()
        minimum = {band.level: band.min for band in self.scale.bands}
        merged["points_needed"] = merged["target_level"].map(minimum) - merged["score"]
        merged = merged.sort_values(["node", "points_needed"], ascending=[True, False], na_position="first")
        return merged[list(BLOCKER_COLUMNS)].reset_index(drop=True)


def _from_plans(plans: Sequence[Masterplan]) -> tuple[pd.DataFrame, Structure, dict[str, float]]:
    if not plans:
        msg = _("no masterplans given")
        raise ScoringError(msg)
    structure = Structure.from_plan(plans[0])
    known = set(structure.indicators)
    for plan in plans[1:]:
        extra = {i.id for i in plan.indicators} - known
        if plan.framework != plans[0].framework or extra:
            msg = _("plan of {region} uses another framework or indicators; give one shared structure").format(
                region=repr(plan.region.id)
            )
            raise ScoringError(msg)
    ids = [plan.region.id for plan in plans]
    twice = sorted({region for region in ids if ids.count(region) > 1})
    if twice:
        msg = _("more than one masterplan for regions {regions}").format(regions=listing(twice))
        raise ScoringError(msg)
    data = pd.concat([observations_frame(plan) for plan in plans], ignore_index=True)
    population = {p.region.id: float(p.region.population) for p in plans if p.region.population is not None}
    return data, structure, population


def _province_scores(rollup: RollUp, weights: pd.Series, levels: Sequence[str]) -> pd.DataFrame:
    scores = rollup.scores
    scores = scores[scores["level"].isin(levels)].copy()
    scores["w"] = scores["region"].map(weights).to_numpy(dtype=float)
    if scores["w"].isna().any():
        missing = sorted(set(scores.loc[scores["w"].isna(), "region"]))
        msg = _("no population for regions: {regions}").format(regions=listing(missing))
        raise ScoringError(msg)
    usable = (scores["w"] > 0) & np.isfinite(scores["w"])
    if not usable.all():
        bad = sorted(set(scores.loc[~usable, "region"]))
        msg = _("populations must be finite numbers above 0; not so for regions {regions}").format(regions=listing(bad))
        raise ScoringError(msg)
    scores["w"] /= scores["w"].max()  # relative weights: a sum of huge populations cannot overflow
    scored = scores["score"].notna()
    scores["ws"] = np.where(scored, scores["score"] * scores["w"], 0.0)
    scores["wp"] = np.where(scored, scores["w"], 0.0)
    scores["wc"] = np.where(scored, scores["coverage"] * scores["w"], 0.0)
    scores["wi"] = np.where(scored, scores["imputed"] * scores["w"], 0.0)
    grouped = scores.groupby(["year", "level", "node"], sort=False)[["ws", "wp", "wc", "wi", "w"]].sum()
    scored_weight = grouped["wp"].where(grouped["wp"] > 0)
    result = pd.DataFrame(
        {
            "score": grouped["ws"] / scored_weight,
            "coverage": grouped["wp"] / grouped["w"],
            "indicator_coverage": grouped["wc"] / scored_weight,
            "indicator_imputed": grouped["wi"] / scored_weight,
        }
    )
    return result.reset_index()


def _rule_levels(structure: Structure, rule_levels: Sequence[str] | None) -> list[str]:
    """Return the levels the smart-province rule applies on (by default the two top aggregate levels)."""
    upper = structure.levels[1:]
    if rule_levels is None:
        return list(upper[-2:])
    if isinstance(rule_levels, str):
        rule_levels = [rule_levels]
    unknown = [level for level in rule_levels if level not in upper]
    if unknown:
        shown = listing(f"{level!r}{suggest(str(level), upper)}" for level in unknown)
        msg = _("rule_levels names unknown levels {levels}; the levels above the indicators are {upper}").format(
            levels=shown, upper=", ".join(upper)
        )
        raise ScoringError(msg)
    if not rule_levels:
        msg = _("rule_levels is empty: name at least one level above the indicators")
        raise ScoringError(msg)
    return list(dict.fromkeys(rule_levels))


def _population(regions: pd.DataFrame | Mapping[str, float] | Sequence[str] | None) -> dict[str, float]:
    """Return region → population (``nan`` where not given) from any of the forms ``regions=`` takes."""
    if isinstance(regions, pd.DataFrame):
        key = "region" if "region" in regions.columns else "id"
        if key not in regions.columns:
            msg = _("regions= needs a 'region' (or 'id') column")
            raise ScoringError(msg)
        twice = sorted(set(regions.loc[regions[key].duplicated(), key].astype(str)))
        if twice:
            msg = _("regions= lists regions more than once: {regions}").format(regions=listing(twice))
            raise ScoringError(msg)
        if "population" not in regions.columns:
            return dict.fromkeys(regions[key].astype(str), np.nan)
        numbers = pd.to_numeric(regions["population"], errors="coerce").to_numpy(dtype=float)
        return dict(zip(regions[key].astype(str), numbers.tolist(), strict=True))
    if isinstance(regions, Mapping):
        return _mapped_population(regions)
    if regions is not None:
        if isinstance(regions, str | bytes) or not isinstance(regions, Iterable):
            msg = _("regions= must be a table, a mapping region → population or a list of regions, not {value}").format(
                value=repr(regions)
            )
            raise ScoringError(msg)
        listed = [str(r) for r in regions]
        twice = sorted({r for r in listed if listed.count(r) > 1})
        if twice:
            msg = _("regions= lists regions more than once: {regions}").format(regions=listing(twice))
            raise ScoringError(msg)
        return dict.fromkeys(listed, np.nan)
    return {}


def _mapped_population(regions: Mapping[str, float]) -> dict[str, float]:
    """Return region → population from a mapping; a value that is no number is refused."""
    population: dict[str, float] = {}
    for key, value in regions.items():
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
            msg = _("regions=: the population of {region} must be a number, not {value}").format(
                region=repr(key), value=repr(value)
            )
            raise ScoringError(msg)
        try:
            population[str(key)] = float(value)
        except OverflowError:  # an integer beyond any float: not a population (refused as not finite)
            population[str(key)] = np.inf
    return population


def roll_up_province(  # noqa: PLR0913 - keyword-only options of the public API
    source: Sequence[Masterplan] | pd.DataFrame,
    structure: Structure | None = None,
    *,
    regions: pd.DataFrame | Mapping[str, float] | Sequence[str] | None = None,
    weights: Literal["equal", "population"] = "equal",
    share: float = 1.0,
    rule_levels: Sequence[str] | None = None,
    scale: str | ReadinessScale = "default",
    **options: object,
) -> ProvinceReadiness:
    """Roll many regions up at once and apply the smart-province rule.

    Parameters
    ----------
    source
        Masterplans of the regions (sharing one framework and indicator set), or one tidy table
        ``region, year, indicator, value`` for any number of regions with ``structure``.
    structure
        The hierarchy, required with a table.
    regions
        The province's regions, as a list of ids, a mapping region → population or a table with
        ``region`` (or ``id``) and ``population`` columns. When given, they are the regions scored: one
        without observations is scored with coverage 0 and holds the province back, and a
        region of the data not listed is an error. Populations are needed for
        ``weights="population"``.
    weights
        ``equal`` or ``population`` weights of the regions in the province's scores.
    share
        The smart-province rule: the province reaches a level in a node when at least this share
        of its regions (by count) reach it there; regions without a score do not.
    rule_levels
        The levels the rule is applied on (default: the two top levels, e.g. ``dimension`` and
        ``overall`` for a masterplan).
    scale
        The readiness scale (a preset name or a scale).
    options
        Passed to :func:`roll_up` (``method``, ``aggregation``, ``missing``, ``min_coverage``...).
    """
    _check_rule(share, weights)
    check_options(options, taken=("regions", "scale"))
    if isinstance(source, pd.DataFrame):
        if structure is None:
            msg = _("a table needs a structure")
            raise ScoringError(msg)
        data, population, grid = source, dict[str, float](), None
    else:
        data, plan_structure, population = _from_plans(source)
        structure = structure or plan_structure
        grid = [plan.region.id for plan in source]
    listed = _population(regions)
    population |= {k: v for k, v in listed.items() if not np.isnan(v)}
    rule = _rule_levels(structure, rule_levels)
    chosen = readiness_scale(scale)
    if listed:
        extra = sorted(set(data["region"].astype(str)) - set(listed)) if "region" in data.columns else []
        if extra:
            msg = _(
                "regions= lists the province's regions, but the data also has {regions}; "
                "add them to regions= (with their population) or leave their rows out"
            ).format(regions=listing(repr(r) for r in extra))
            raise ScoringError(msg)
        grid = list(listed)
    rollup = roll_up(data, structure, scale=chosen, regions=grid, **options)  # type: ignore[arg-type]  # options are roll_up's own
    return _readiness(rollup, population, weights=weights, share=share, rule=rule, scale=chosen)


def _check_rule(share: object, weights: object) -> None:
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share <= 1:
        msg = _("share must be a number in (0, 1], not {value}").format(value=repr(share))
        raise ScoringError(msg)
    if weights not in {"equal", "population"}:
        msg = _("weights must be 'equal' or 'population', not {value}{hint}").format(
            value=repr(weights), hint=suggest(str(weights), ("equal", "population"))
        )
        raise ScoringError(msg)


def _readiness(  # noqa: PLR0913 - keyword-only parts of one rule
    rollup: RollUp,
    population: Mapping[str, float],
    *,
    weights: str,
    share: float,
    rule: Sequence[str],
    scale: ReadinessScale,
) -> ProvinceReadiness:
    """Weigh the regions of a roll-up into the province's scores and apply the smart-province rule."""
    names = list(rollup.panel.regions)
    if weights == "population":
        region_weights = pd.Series({r: population.get(r, np.nan) for r in names}, dtype=float)
    else:
        region_weights = pd.Series(1.0, index=names)
    province = _province_scores(rollup, region_weights, rule)
    region_levels = rollup.readiness(scale)
    region_levels = region_levels[region_levels["level"].isin(rule)].drop(columns=["coverage", "imputed"])
    return ProvinceReadiness(
        regions=rollup,
        province=province,
        levels=_smart_levels(region_levels, scale, share, len(names)),
        region_levels=region_levels.reset_index(drop=True),
        scale=scale,
        share=share,
    )


def province_from_rollup(
    rollup: RollUp,
    *,
    regions: pd.DataFrame | Mapping[str, float] | Sequence[str] | None = None,
    weights: Literal["equal", "population"] = "equal",
    share: float = 1.0,
    rule_levels: Sequence[str] | None = None,
) -> ProvinceReadiness:
    """Apply the smart-province rule to a roll-up of the province's regions (e.g. a recipe's result).

    ``regions`` gives the populations (as :func:`roll_up_province` takes them) for
    ``weights="population"``; every region scored must have one then. The readiness scale is
    the roll-up's.
    """
    _check_rule(share, weights)
    rule = _rule_levels(rollup.structure, rule_levels)
    population = {k: v for k, v in _population(regions).items() if not np.isnan(v)}
    return _readiness(rollup, population, weights=weights, share=share, rule=rule, scale=rollup.scale)


def _smart_levels(region_levels: pd.DataFrame, scale: ReadinessScale, share: float, n_regions: int) -> pd.DataFrame:
    """Return, per year and node, the highest level that at least ``share`` of the regions reach."""
    rows = []
    bands = sorted(band.level for band in scale.bands)
    for (year, level, node), group in region_levels.groupby(["year", "level", "node"], sort=True):
        reached = group["readiness_level"].to_numpy(dtype=float, na_value=np.nan)
        shares = {lv: float(np.sum(reached >= lv)) / n_regions for lv in bands}
        met = [lv for lv in bands if shares[lv] >= share - 1e-12]
        province_level = max(met) if met else None
        following = next((lv for lv in bands if province_level is None or lv > province_level), None)
        rows.append(
            {
                "year": year,
                "level": level,
                "node": node,
                "province_level": province_level,
                "readiness": None if province_level is None else scale.band(province_level).name,
                "share_at_next": None if following is None else shares[following],
            }
        )
    frame = pd.DataFrame(rows, columns=["year", "level", "node", "province_level", "readiness", "share_at_next"])
    frame["province_level"] = frame["province_level"].astype("Int64")
    return frame
