"""The problems of a plan as a whole: ids used twice, references to nothing, years and values out of place.

:func:`plan_problems` checks a plan's parts together, after each object has been validated on
its own, and lists every problem at once, each with its path in the plan's data.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

import numpy as np
import pandas as pd

from smartcity_model.errors import Problem
from smartcity_model.i18n import _
from smartcity_model.model.alignment import Goal
from smartcity_model.model.analysis import DimensionVision, Issue
from smartcity_model.model.area import Area
from smartcity_model.model.assessment import Answer, Questionnaire
from smartcity_model.model.framework import Framework, Pillar
from smartcity_model.model.governance import GoverningBody
from smartcity_model.model.header import Horizons, Period
from smartcity_model.model.indicator import Indicator, MaturityLevels
from smartcity_model.model.initiative import Initiative
from smartcity_model.model.observation import Observation
from smartcity_model.model.opd import OPD
from smartcity_model.model.progress import Progress
from smartcity_model.model.references import KnownIds, reference_problems
from smartcity_model.model.region import Region
from smartcity_model.model.stakeholder import Stakeholder
from smartcity_model.model.subject import Subject, dangling, first_by_id, repeated

__all__ = ["LIST_SECTIONS", "PlanParts", "plan_problems"]


@dataclass
class PlanParts:
    """A plan's parts, each with its position in its section, for whole-plan checks.

    Objects that failed validation are left out of the parts; their raw ids are listed in
    ``unparsed_ids`` so that references to them are not reported as dangling as well.
    """

    region: Region | None
    period: Period | None
    framework: Framework | None
    horizons: Horizons | None
    pillars: tuple[Pillar, ...] | None = ()
    questionnaire: Questionnaire | None = None
    opds: list[tuple[int, OPD]] = field(default_factory=list)
    indicators: list[tuple[int, Indicator]] = field(default_factory=list)
    initiatives: list[tuple[int, Initiative]] = field(default_factory=list)
    goals: list[tuple[int, Goal]] = field(default_factory=list)
    issues: list[tuple[int, Issue]] = field(default_factory=list)
    visions: list[tuple[int, DimensionVision]] = field(default_factory=list)
    stakeholders: list[tuple[int, Stakeholder]] = field(default_factory=list)
    bodies: list[tuple[int, GoverningBody]] = field(default_factory=list)
    areas: list[tuple[int, Area]] = field(default_factory=list)
    assessment: list[tuple[int, Answer]] = field(default_factory=list)
    progress: list[tuple[int, Progress]] = field(default_factory=list)
    observations: list[tuple[int, Observation]] = field(default_factory=list)
    unparsed_ids: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, plan: Any) -> PlanParts:
        """Return the parts of a constructed plan (a :class:`~smartcity_model.Masterplan`)."""
        return cls(
            region=plan.region,
            period=plan.period,
            framework=plan.framework,
            horizons=plan.horizons,
            pillars=plan.pillars,
            questionnaire=plan.questionnaire,
            opds=list(enumerate(plan.opds)),
            indicators=list(enumerate(plan.indicators)),
            initiatives=list(enumerate(plan.initiatives)),
            goals=list(enumerate(plan.goals)),
            issues=list(enumerate(plan.issues)),
            visions=list(enumerate(plan.visions)),
            stakeholders=list(enumerate(plan.stakeholders)),
            bodies=list(enumerate(plan.bodies)),
            areas=list(enumerate(plan.areas)),
            assessment=list(enumerate(plan.assessment)),
            progress=list(enumerate(plan.progress)),
            observations=list(enumerate(plan.observations)),
        )


#: The list sections of a plan, in file order (each a field of :class:`PlanParts` and of the plan).
LIST_SECTIONS = (
    "opds",
    "indicators",
    "initiatives",
    "goals",
    "issues",
    "visions",
    "stakeholders",
    "bodies",
    "areas",
    "assessment",
    "progress",
    "observations",
)


@dataclass
class _Context:
    """What the per-object checks need to know about the rest of the plan."""

    period: Period | None
    horizons: Horizons | None
    region_id: str | None
    elements: frozenset[str] | None
    pillars: frozenset[str] | None
    opds: Collection[str]
    indicator_ids: Collection[str]
    initiative_ids: Collection[str]
    indicators: Mapping[str, Indicator]
    framework: Framework | None = None
    goal_ids: Collection[str] = ()
    issue_ids: Collection[str] = ()
    stakeholder_ids: Collection[str] = ()
    area_ids: Collection[str] = ()


def plan_problems(parts: PlanParts) -> list[Problem]:
    """Return every whole-plan problem of ``parts``: duplicates, dangling references, years, bounds."""
    out: list[Problem] = []
    unparsed = parts.unparsed_ids
    opds = first_by_id("opds", "opd", parts.opds, out)
    indicators = first_by_id("indicators", "indicator", parts.indicators, out)
    initiatives = first_by_id("initiatives", "initiative", parts.initiatives, out)
    goals = first_by_id("goals", "goal", parts.goals, out)
    issues = first_by_id("issues", "issue", parts.issues, out)
    stakeholders = first_by_id("stakeholders", "stakeholder", parts.stakeholders, out)
    areas = first_by_id("areas", "area", parts.areas, out)
    framework = parts.framework
    context = _Context(
        period=parts.period,
        horizons=parts.horizons,
        region_id=None if parts.region is None else parts.region.id,
        elements=None if framework is None else frozenset(e.id for e in framework.elements),
        pillars=None if framework is None else frozenset(p.id for p in (*framework.pillars, *(parts.pillars or ()))),
        opds=opds.keys() | unparsed.get("opds", set()),
        indicator_ids=indicators.keys() | unparsed.get("indicators", set()),
        initiative_ids=initiatives.keys() | unparsed.get("initiatives", set()),
        indicators=indicators,
        framework=framework,
        goal_ids=goals.keys() | unparsed.get("goals", set()),
        issue_ids=issues.keys() | unparsed.get("issues", set()),
        stakeholder_ids=stakeholders.keys() | unparsed.get("stakeholders", set()),
        area_ids=areas.keys() | unparsed.get("areas", set()),
    )
    for position, indicator in parts.indicators:
        out += _indicator_problems(Subject("indicators", position, "indicator", indicator.id), indicator, context)
    for position, initiative in parts.initiatives:
        out += _initiative_problems(Subject("initiatives", position, "initiative", initiative.id), initiative, context)
    out += _observation_problems(parts.observations, context)
    known = KnownIds(
        opds=context.opds,
        indicators=context.indicator_ids,
        stakeholders=context.stakeholder_ids,
        areas=context.area_ids,
        dimensions=None if framework is None else frozenset(d.id for d in framework.dimensions),
        pillars=None if framework is None else frozenset(p.id for p in (*framework.pillars, *(parts.pillars or ()))),
        initiatives=context.initiative_ids,
    )
    bodies = first_by_id("bodies", "body", parts.bodies, out)
    out += reference_problems(parts, known, goals, bodies)
    return out


def _indicator_problems(subject: Subject, ind: Indicator, ctx: _Context) -> list[Problem]:
    closest = None if ctx.framework is None else ctx.framework.closest_element
    out = dangling(subject, ctx.elements, "element", ind.element, "element", closest=closest)
    out += dangling(subject, ctx.pillars, "pillar", ind.pillar, "pillar")
    out += dangling(subject, ctx.opds, "OPD", ind.custodian, "custodian")
    for i, goal in enumerate(ind.goals):
        out += dangling(subject, ctx.goal_ids, "goal", goal, "goals", i)
    bounds, period, baseline = ind.value_bounds, ctx.period, ind.baseline
    if baseline is not None:
        out += _level_problems(subject, ind, baseline.value, "baseline.value")
        if not bounds.contains(baseline.value):
            out.append(
                subject.problem(
                    "value-out-of-bounds",
                    _("baseline {value:g} is outside {bounds}").format(value=baseline.value, bounds=bounds),
                    "baseline.value",
                )
            )
        if period is not None and baseline.year > period.end:
            message = _("baseline year {year} is after the plan ends ({end})").format(
                year=baseline.year, end=period.end
            )
            out.append(subject.problem("year-outside-period", message, "baseline.year"))
    for year, value in ind.targets.items():
        out += _level_problems(subject, ind, value, "targets", year)
        if not bounds.contains(value):
            out.append(
                subject.problem(
                    "value-out-of-bounds",
                    _("target {value:g} for {year} is outside {bounds}").format(value=value, year=year, bounds=bounds),
                    "targets",
                    year,
                )
            )
        if period is not None and year not in period:
            out.append(
                subject.problem(
                    "year-outside-period",
                    _("target year {year} is outside the period {period}").format(year=year, period=period),
                    "targets",
                    year,
                )
            )
        if baseline is not None and year <= baseline.year:
            message = _("target year {year} is not after the baseline year {baseline}").format(
                year=year, baseline=baseline.year
            )
            out.append(subject.problem("target-before-baseline", message, "targets", year))
    return out


def _level_problems(subject: Subject, ind: Indicator, value: float, field: str, *sub: str | int) -> list[Problem]:
    """Return a problem if ``ind`` is scored on maturity levels and ``value`` is not a whole level."""
    if not isinstance(ind.normalisation, MaturityLevels) or float(value).is_integer():
        return []
    message = _("{value:g} is not a maturity level: levels are whole numbers from 1 to {top}").format(
        value=value, top=ind.normalisation.levels
    )
    return [subject.problem("wrong-type", message, field, *sub)]


def _initiative_problems(subject: Subject, ini: Initiative, ctx: _Context) -> list[Problem]:
    references: list[tuple[Collection[str] | None, str, str, tuple[str, ...]]] = [
        (ctx.opds, "OPD", "supporting", ini.supporting),
        (ctx.elements, "element", "elements", ini.elements),
        (ctx.indicator_ids, "indicator", "indicators", ini.indicator_ids),
        (ctx.initiative_ids, "initiative", "depends_on", ini.depends_on),
        (ctx.goal_ids, "goal", "goals", ini.goals),
        (ctx.issue_ids, "issue", "addresses", ini.addresses),
        (ctx.stakeholder_ids, "stakeholder", "stakeholders", ini.stakeholders),
        (ctx.area_ids, "area", "areas", ini.areas),
    ]
    out = dangling(subject, ctx.opds, "OPD", ini.lead, "lead")
    closest = None if ctx.framework is None else ctx.framework.closest_element
    for known, target, name, values in references:
        for i, value in enumerate(values):
            out += dangling(subject, known, target, value, name, i, closest=closest if target == "element" else None)
        out += [
            subject.problem("duplicate-reference", _("{id} is listed twice").format(id=repr(value)), name)
            for value in repeated(values)
        ]
    if ini.lead in ini.supporting:
        message = _("lead OPD {id} is also listed as supporting").format(id=repr(ini.lead))
        out.append(subject.problem("lead-also-supporting", message, "supporting"))
    if ctx.period is not None:
        out += _schedule_problems(subject, ini, ctx.period, ctx.horizons)
    return out + _expected_problems(subject, ini, ctx)


def _expected_problems(subject: Subject, ini: Initiative, ctx: _Context) -> list[Problem]:
    out = []
    for i, link in enumerate(ini.indicators):
        indicator = ctx.indicators.get(link.indicator)
        for year, value in link.expected.items():
            where = ("indicators", i, "expected", year)
            if ctx.period is not None and year not in ctx.period:
                message = _("expected value for {year}, outside the period {period}").format(
                    year=year, period=ctx.period
                )
                out.append(subject.problem("year-outside-period", message, *where))
            if indicator is not None:
                out += _level_problems(subject, indicator, value, *where)
            if indicator is not None and not indicator.value_bounds.contains(value):
                message = _("expected value {value:g} for {indicator} is outside {bounds}").format(
                    value=value, indicator=repr(link.indicator), bounds=indicator.value_bounds
                )
                out.append(subject.problem("value-out-of-bounds", message, *where))
    return out


def _schedule_problems(subject: Subject, ini: Initiative, period: Period, horizons: Horizons | None) -> list[Problem]:
    out = [
        subject.problem(
            "year-outside-period",
            _("{field} {year} is outside the period {period}").format(field=name, year=year, period=period),
            name,
        )
        for name, year in (("start_year", ini.start_year), ("end_year", ini.end_year))
        if year is not None and year not in period
    ]
    out += [
        subject.problem(
            "year-outside-period",
            _("budget year {year} is outside the period {period}").format(year=line.year, period=period),
            "budget",
            i,
            "year",
        )
        for i, line in enumerate(ini.budget)
        if line.year not in period
    ]
    if ini.horizon is not None and ini.end_year is not None and horizons is not None:
        _earliest, latest = horizons.window(ini.horizon, period)
        if ini.end_year > latest:
            message = _("a {horizon} initiative should end by {latest}, not {end}").format(
                horizon=ini.horizon.value, latest=latest, end=ini.end_year
            )
            out.append(subject.problem("horizon-mismatch", message, "end_year"))
    return out


def _observation_problems(observations: Sequence[tuple[int, Observation]], ctx: _Context) -> list[Problem]:
    """Check every observation at once (column-wise): references, region, year, bounds, repeats.

    Only the observations with a problem are visited one by one, to word their problems.
    """
    if not observations:
        return []
    positions, items = zip(*observations, strict=True)
    indicator = pd.Index(list(map(attrgetter("indicator"), items)), dtype=object)
    year = np.fromiter(map(attrgetter("year"), items), dtype=np.int64, count=len(items))
    value = np.fromiter(map(attrgetter("value"), items), dtype=np.float64, count=len(items))
    region = pd.Index(list(map(attrgetter("region"), items)), dtype=object)
    period, region_id = ctx.period, ctx.region_id
    bounds = {ind_id: ind.value_bounds for ind_id, ind in ctx.indicators.items()}
    low = np.array([-np.inf if b.min is None else b.min for b in bounds.values()] + [-np.inf])
    high = np.array([np.inf if b.max is None else b.max for b in bounds.values()] + [np.inf])
    which = pd.Index(list(bounds), dtype=object).get_indexer(indicator)  # -1 (unknown) takes the open ends
    levelled = np.array([isinstance(i.normalisation, MaturityLevels) for i in ctx.indicators.values()] + [False])
    checks = {
        "indicator": ~indicator.isin(list(ctx.indicator_ids)),
        "region": region.notna() & (region != region_id) if region_id is not None else np.zeros(len(items), bool),
        "year": year > period.end if period is not None else np.zeros(len(items), bool),
        "value": ~((value >= low[which]) & (value <= high[which])),
        "level": levelled[which] & (value != np.round(value)),
    }
    # a missing region is the plan's own; "" (never an id) stands for a plan without a region
    keys = pd.MultiIndex.from_arrays([indicator, region.where(region.notna(), region_id or "").fillna(""), year])
    codes, _uniques = pd.factorize(keys)
    _codes, first_of = np.unique(codes, return_index=True)  # the first row of each (indicator, region, year)
    checks["repeat"] = first_of[codes] != np.arange(len(codes))
    flagged = np.flatnonzero(np.logical_or.reduce(list(checks.values())))
    out: list[Problem] = []
    for row in flagged.tolist():
        obs, position = items[row], positions[row]
        subject = Subject("observations", position, "observation", f"{obs.indicator}/{obs.year}")
        if checks["indicator"][row]:
            out += dangling(subject, ctx.indicator_ids, "indicator", obs.indicator, "indicator")
        if checks["region"][row]:
            message = _("region {region} is not the plan's region {own}").format(
                region=repr(obs.region), own=repr(region_id)
            )
            out.append(subject.problem("foreign-region", message, "region"))
        if checks["year"][row] and period is not None:
            message = _("observation year {year} is after the plan ends ({end})").format(year=obs.year, end=period.end)
            out.append(subject.problem("year-outside-period", message, "year"))
        if checks["value"][row]:
            message = _("value {value:g} is outside {bounds}").format(
                value=obs.value, bounds=ctx.indicators[obs.indicator].value_bounds
            )
            out.append(subject.problem("value-out-of-bounds", message, "value"))
        if checks["level"][row]:
            out += _level_problems(subject, ctx.indicators[obs.indicator], obs.value, "value")
        if checks["repeat"][row]:
            first = first_of[codes[row]]
            message = _("{id} is observed twice (the other value is {other:g})").format(
                id=subject.id, other=items[first].value
            )
            out.append(subject.problem("duplicate-observation", message, related=positions[first]))
    return out
