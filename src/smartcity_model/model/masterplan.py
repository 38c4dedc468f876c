"""The masterplan: a region's plan for a period, with its OPDs, indicators, initiatives and data.

A :class:`Masterplan` is valid as a whole: every id it refers to exists, every year lies in the
plan period and every value inside its indicator's bounds. :func:`plan_problems` lists what is
wrong with a plan's parts, all at once; the model raises them as one
:class:`~smartcity_model.errors.MasterplanError`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from operator import attrgetter
from typing import Annotated, Any, Literal, TypeVar

import numpy as np
import pandas as pd
from pydantic import BeforeValidator, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from smartcity_model.errors import MasterplanError, Problem, suggest, unknown_id
from smartcity_model.i18n import N_, _
from smartcity_model.model.base import SLUG_PATTERN, FrozenModel, Text, Year, slugify
from smartcity_model.model.framework import BUILTIN_FRAMEWORKS, Framework, builtin_framework
from smartcity_model.model.indicator import Indicator
from smartcity_model.model.initiative import Horizon, Initiative
from smartcity_model.model.observation import Observation
from smartcity_model.model.opd import OPD
from smartcity_model.model.region import Region

__all__ = [
    "Document",
    "DocumentStatus",
    "Horizons",
    "Masterplan",
    "Period",
    "PlanHeader",
    "PlanParts",
    "plan_problems",
]


class Period(FrozenModel):
    """The years a masterplan covers, both ends included (e.g. 2024-2033)."""

    start: Year
    """First year of the plan."""
    end: Year
    """Last year of the plan."""

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start > self.end:
            raise PydanticCustomError(
                "invalid-period",
                _("period starts in {start}, after it ends in {end}"),
                {"start": self.start, "end": self.end},
            )
        return self

    @property
    def years(self) -> range:
        """The years of the period."""
        return range(self.start, self.end + 1)

    def __contains__(self, year: object) -> bool:
        """Tell whether ``year`` lies inside the period."""
        return isinstance(year, int) and self.start <= year <= self.end

    def __str__(self) -> str:
        """Render as ``start-end``."""
        return f"{self.start}-{self.end}"


class Horizons(FrozenModel):
    """How many plan years each roadmap horizon spans, counted from the first plan year.

    With the defaults, in a 2024-2033 plan quick wins end by 2025, short-term initiatives by
    2026, medium-term ones by 2029 and long-term ones by the end of the plan.
    """

    quick_win: Annotated[int, Field(ge=1)] = 2
    """Quick wins end within this many years."""
    short: Annotated[int, Field(ge=1)] = 3
    """Short-term initiatives end within this many years."""
    medium: Annotated[int, Field(ge=1)] = 6
    """Medium-term initiatives end within this many years; long-term ones run to the end."""

    @model_validator(mode="after")
    def _ordered(self) -> Horizons:
        if not self.quick_win <= self.short <= self.medium:
            raise PydanticCustomError("invalid-period", _("horizons need quick_win <= short <= medium"))
        return self

    def window(self, horizon: Horizon, period: Period) -> tuple[int, int]:
        """Return the default (start, end) years of ``horizon`` inside ``period``."""
        first = period.start
        bounds = {
            Horizon.QUICK_WIN: (first, first + self.quick_win - 1),
            Horizon.SHORT: (first, first + self.short - 1),
            Horizon.MEDIUM: (first + self.short, first + self.medium - 1),
            Horizon.LONG: (first + self.medium, period.end),
        }
        start, end = bounds[horizon]
        end = min(end, period.end)
        return min(start, end), end


class DocumentStatus(StrEnum):
    """Stage of the masterplan document."""

    DRAFT = "draft"
    """Being written."""
    FINAL = "final"
    """Agreed, not yet enacted."""
    ENACTED = "enacted"
    """Enacted as a regulation (Perbup, Perwako or Perda)."""


class Document(FrozenModel):
    """Metadata of the masterplan document."""

    model_config = ConfigDict(coerce_numbers_to_str=True)

    title: Text = None
    """Title, e.g. *Masterplan Smart City Kabupaten Solok Selatan 2024-2033*."""
    title_en: Text = None
    """English title."""
    regulation: Text = None
    """The regulation that enacts it, e.g. a Perbup number."""
    version: Text = None
    """Version of the document."""
    date: dt.date | None = None
    """Date of this version."""
    status: DocumentStatus = DocumentStatus.DRAFT
    """Stage of the document."""
    authors: tuple[str, ...] = ()
    """Who wrote it (e.g. the Tim Pelaksana, a consultant)."""
    notes: Text = None
    """Free remarks, e.g. which parts are illustrative."""


def _framework_by_name(value: Any) -> Any:
    """Accept the name of a built-in framework in place of its full definition."""
    if isinstance(value, str) and value in BUILTIN_FRAMEWORKS:
        return builtin_framework(value)
    if isinstance(value, str):
        raise PydanticCustomError(
            "invalid-choice",
            _("unknown built-in framework {name}; built in: {known}"),
            {"name": repr(value), "known": ", ".join(BUILTIN_FRAMEWORKS)},
        )
    return value


def framework_of(data: Mapping[str, Any]) -> Framework | None:
    """Return the framework raw plan data names, or ``None`` while it is invalid (reported elsewhere)."""
    raw = data.get("framework", BUILTIN_FRAMEWORKS[0])
    if isinstance(raw, Framework):
        return raw
    if isinstance(raw, str):
        return builtin_framework(raw) if raw in BUILTIN_FRAMEWORKS else None
    try:
        return Framework.model_validate(raw)
    except ValidationError:
        return None


def with_element_ids(data: Mapping[str, Any], framework: Framework | None) -> Mapping[str, Any]:
    """Return raw plan data with element names (``Pelayanan publik``) in indicators and initiatives made ids.

    Nothing is changed in place; items without such a name are passed through as they are.
    """
    if framework is None:
        return data

    def as_id(word: Any) -> Any:
        return _element_as_id(framework, word)

    def indicator(item: Any) -> Any:
        element = item.get("element") if isinstance(item, Mapping) else None
        if isinstance(element, str) and as_id(element) != element:
            return {**item, "element": as_id(element)}
        return item

    def initiative(item: Any) -> Any:
        elements = item.get("elements") if isinstance(item, Mapping) else None
        if isinstance(elements, list | tuple) and any(as_id(e) != e for e in elements):
            return {**item, "elements": [as_id(e) for e in elements]}
        return item

    fixed = dict(data)
    for section, fix in (("indicators", indicator), ("initiatives", initiative)):
        items = data.get(section)
        if isinstance(items, list | tuple):
            fixed[section] = [fix(item) for item in items]
    return fixed


def _element_as_id(framework: Framework, word: Any) -> Any:
    """Return the element id ``word`` names; a name of no element as an id, reported as unknown (``sampah``)."""
    if not isinstance(word, str):
        return word
    found = framework.element_id(word)
    if found != word or re.match(SLUG_PATTERN, word):
        return found
    return slugify(word) or word


FrameworkField = Annotated[
    Framework,
    BeforeValidator(_framework_by_name, json_schema_input_type=Framework | Literal["gm100sc"]),
]

_T = TypeVar("_T", OPD, Indicator, Initiative)


class PlanHeader(FrozenModel):
    """The parts of a masterplan other than its lists: region, period, framework, document."""

    format_version: Literal[1] = 1
    """Version of the file format."""
    region: Region
    """The region the plan is for."""
    period: Period
    """The years the plan covers."""
    framework: FrameworkField = Field(default_factory=builtin_framework)
    """The framework of dimensions and elements; a built-in name such as ``gm100sc`` is accepted."""
    document: Document = Field(default_factory=Document)
    """Document metadata (title, regulation, version)."""
    horizons: Horizons = Field(default_factory=Horizons)
    """How many years each roadmap horizon spans."""


class Masterplan(PlanHeader):
    """A region's smart city masterplan, validated as a whole.

    Examples
    --------
    >>> from smartcity_model import Masterplan
    >>> plan = Masterplan.model_validate({
    ...     "region": {"id": "solok-selatan", "name": "Kabupaten Solok Selatan", "kind": "kabupaten"},
    ...     "period": {"start": 2024, "end": 2033},
    ...     "opds": [{"id": "diskominfo", "name": "Dinas Komunikasi dan Informatika", "sector": "ict"}],
    ... })
    >>> plan.opd("diskominfo").sector
    'ict'
    >>> len(plan.framework.dimensions)
    6
    """

    opds: tuple[OPD, ...] = ()
    """The OPDs taking part."""
    indicators: tuple[Indicator, ...] = ()
    """The indicators that show progress."""
    initiatives: tuple[Initiative, ...] = ()
    """The initiatives (service products)."""
    observations: tuple[Observation, ...] = ()
    """Observed indicator values."""

    @model_validator(mode="before")
    @classmethod
    def _element_names(cls, data: Any) -> Any:
        return with_element_ids(data, framework_of(data)) if isinstance(data, Mapping) else data

    @model_validator(mode="after")
    def _whole_plan(self) -> Masterplan:
        problems = plan_problems(PlanParts.of(self))
        if problems:
            raise MasterplanError(problems)
        return self

    @cached_property
    def _index(self) -> dict[str, dict[str, Any]]:
        return {
            "OPD": {o.id: o for o in self.opds},
            "indicator": {i.id: i for i in self.indicators},
            "initiative": {i.id: i for i in self.initiatives},
        }

    def _get(self, kind: str, object_id: str) -> Any:
        table = self._index[kind]
        try:
            return table[object_id]
        except KeyError:
            raise unknown_id(kind, object_id, table) from None

    def opd(self, opd_id: str) -> OPD:
        """Return the OPD with id ``opd_id`` (raises :class:`~smartcity_model.UnknownIdError`)."""
        result: OPD = self._get("OPD", opd_id)
        return result

    def indicator(self, indicator_id: str) -> Indicator:
        """Return the indicator with id ``indicator_id``."""
        result: Indicator = self._get("indicator", indicator_id)
        return result

    def initiative(self, initiative_id: str) -> Initiative:
        """Return the initiative with id ``initiative_id``."""
        result: Initiative = self._get("initiative", initiative_id)
        return result

    def schedule(self, initiative: Initiative | str) -> tuple[int, int]:
        """Return the (start, end) years of an initiative, filling gaps from its horizon or the period."""
        item = self.initiative(initiative) if isinstance(initiative, str) else initiative
        return effective_schedule(item, self.period, self.horizons)

    def __repr__(self) -> str:
        """Summarise in one line: region, period and how many of each part (the parts are attributes)."""
        years = sorted({obs.year for obs in self.observations})
        observed = f" {years[0]}–{years[-1]}" if years else ""
        quick = sum(1 for initiative in self.initiatives if initiative.horizon is Horizon.QUICK_WIN)
        return (
            f"<Masterplan {self.region.id} {self.region.name!r} {self.period}: {len(self.opds)} OPDs, "
            f"{len(self.indicators)} indicators, {len(self.initiatives)} initiatives ({quick} quick wins), "
            f"{len(self.observations)} observations{observed}>"
        )

    __str__ = __repr__

    def _repr_html_(self) -> str:
        """Show the plan's summary in a notebook."""
        from smartcity_model.views import plan_html  # noqa: PLC0415 - views import the model

        return plan_html(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Masterplan:
        """Validate plain data, raising one :class:`~smartcity_model.MasterplanError` listing every problem.

        Unlike :meth:`model_validate`, which stops at pydantic's field errors, this reports field
        errors of every object together with the plan's dangling references.
        """
        from smartcity_model.model.assemble import assemble  # noqa: PLC0415 - assemble imports this module

        return assemble(data)


def effective_schedule(initiative: Initiative, period: Period, horizons: Horizons) -> tuple[int, int]:
    """Return an initiative's (start, end) years, filling gaps from its horizon or the period."""
    if initiative.horizon is not None:
        default_start, default_end = horizons.window(initiative.horizon, period)
    else:
        default_start, default_end = period.start, period.end
    start = initiative.start_year if initiative.start_year is not None else default_start
    end = initiative.end_year if initiative.end_year is not None else max(default_end, start)
    return start, end


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
    opds: list[tuple[int, OPD]] = field(default_factory=list)
    indicators: list[tuple[int, Indicator]] = field(default_factory=list)
    initiatives: list[tuple[int, Initiative]] = field(default_factory=list)
    observations: list[tuple[int, Observation]] = field(default_factory=list)
    unparsed_ids: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, plan: Masterplan) -> PlanParts:
        """Return the parts of a constructed plan."""
        return cls(
            region=plan.region,
            period=plan.period,
            framework=plan.framework,
            horizons=plan.horizons,
            opds=list(enumerate(plan.opds)),
            indicators=list(enumerate(plan.indicators)),
            initiatives=list(enumerate(plan.initiatives)),
            observations=list(enumerate(plan.observations)),
        )


@dataclass(frozen=True, slots=True)
class _Subject:
    """The object a problem is about: where it sits in the plan's data, its kind and id."""

    section: str
    index: int
    kind: str
    id: str | None

    def problem(self, code: str, message: str, field: str = "", *sub: str | int, related: int | None = None) -> Problem:
        """Return a problem about ``field`` (dotted, then ``sub`` parts such as list positions).

        ``related`` is the position of another object of the section the problem is about.
        """
        parts = (*field.split("."), *sub) if field else ()
        shown = ".".join(str(part) for part in parts) or None
        other = () if related is None else (self.section, related)
        path = (self.section, self.index, *parts)
        return Problem(code, message, kind=self.kind, id=self.id, field=shown, path=path, related=other)


#: Kinds of reference whose valid ids are listed when a reference is not close to any.
_LISTED = {"element": N_("elements"), "pillar": N_("pillars")}
#: The kinds of object a reference may point to, as messages name them.
_TARGETS = {
    "OPD": N_("OPD"),
    "element": N_("element"),
    "pillar": N_("pillar"),
    "indicator": N_("indicator"),
    "initiative": N_("initiative"),
}


def _dangling(  # noqa: PLR0913 - a reference: its subject, the ids known, kind, value, field, what it may mean
    subject: _Subject,
    known: Collection[str] | None,
    target: str,
    value: str | None,
    field: str,
    *sub: int,
    closest: Callable[[str], str | None] | None = None,
) -> list[Problem]:
    """Return a ``dangling-reference`` problem if ``value`` is not among ``known`` (unchecked if ``None``).

    ``closest`` finds what a value may mean beyond a close spelling (an element by a word of its name).
    """
    if value is None or known is None or value in known:
        return []
    meant = closest(value) if closest is not None else None
    hint = _(" (did you mean {id}?)").format(id=repr(meant)) if meant else suggest(value, known)
    if not hint and target in _LISTED:  # a framework's ids are few: name them all
        hint = _("; the {kinds} are {ids}").format(kinds=_(_LISTED[target]), ids=", ".join(sorted(known)))
    message = _("unknown {kind} {id}").format(kind=_(_TARGETS.get(target, target)), id=repr(value)) + hint
    return [subject.problem("dangling-reference", message, field, *sub)]


def _first_by_id(section: str, kind: str, items: Sequence[tuple[int, _T]], out: list[Problem]) -> dict[str, _T]:
    """Index ``items`` by id, reporting every repeated id as ``duplicate-id``."""
    index: dict[str, _T] = {}
    first: dict[str, int] = {}
    for position, item in items:
        if item.id in index:
            word = _(_TARGETS.get("OPD" if kind == "opd" else kind, kind))
            message = _("{kind} id {id} is used again; an id names one {kind} only").format(kind=word, id=repr(item.id))
            subject = _Subject(section, position, kind, item.id)
            out.append(subject.problem("duplicate-id", message, "id", related=first[item.id]))
        else:
            index[item.id], first[item.id] = item, position
    return index


def _repeated(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated = []
    for value in values:
        if value in seen:
            repeated.append(value)
        seen.add(value)
    return repeated


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


def plan_problems(parts: PlanParts) -> list[Problem]:
    """Return every whole-plan problem of ``parts``: duplicates, dangling references, years, bounds."""
    out: list[Problem] = []
    unparsed = parts.unparsed_ids
    opds = _first_by_id("opds", "opd", parts.opds, out)
    indicators = _first_by_id("indicators", "indicator", parts.indicators, out)
    initiatives = _first_by_id("initiatives", "initiative", parts.initiatives, out)
    framework = parts.framework
    context = _Context(
        period=parts.period,
        horizons=parts.horizons,
        region_id=None if parts.region is None else parts.region.id,
        elements=None if framework is None else frozenset(e.id for e in framework.elements),
        pillars=None if framework is None else frozenset(p.id for p in framework.pillars),
        opds=opds.keys() | unparsed.get("opds", set()),
        indicator_ids=indicators.keys() | unparsed.get("indicators", set()),
        initiative_ids=initiatives.keys() | unparsed.get("initiatives", set()),
        indicators=indicators,
        framework=framework,
    )
    for position, indicator in parts.indicators:
        out += _indicator_problems(_Subject("indicators", position, "indicator", indicator.id), indicator, context)
    for position, initiative in parts.initiatives:
        out += _initiative_problems(_Subject("initiatives", position, "initiative", initiative.id), initiative, context)
    out += _observation_problems(parts.observations, context)
    return out


def _indicator_problems(subject: _Subject, ind: Indicator, ctx: _Context) -> list[Problem]:
    closest = None if ctx.framework is None else ctx.framework.closest_element
    out = _dangling(subject, ctx.elements, "element", ind.element, "element", closest=closest)
    out += _dangling(subject, ctx.pillars, "pillar", ind.pillar, "pillar")
    out += _dangling(subject, ctx.opds, "OPD", ind.custodian, "custodian")
    bounds, period, baseline = ind.value_bounds, ctx.period, ind.baseline
    if baseline is not None:
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


def _initiative_problems(subject: _Subject, ini: Initiative, ctx: _Context) -> list[Problem]:
    references: list[tuple[Collection[str] | None, str, str, tuple[str, ...]]] = [
        (ctx.opds, "OPD", "supporting", ini.supporting),
        (ctx.elements, "element", "elements", ini.elements),
        (ctx.indicator_ids, "indicator", "indicators", ini.indicator_ids),
        (ctx.initiative_ids, "initiative", "depends_on", ini.depends_on),
    ]
    out = _dangling(subject, ctx.opds, "OPD", ini.lead, "lead")
    closest = None if ctx.framework is None else ctx.framework.closest_element
    for known, target, name, values in references:
        for i, value in enumerate(values):
            out += _dangling(subject, known, target, value, name, i, closest=closest if target == "element" else None)
        out += [
            subject.problem("duplicate-reference", _("{id} is listed twice").format(id=repr(value)), name)
            for value in _repeated(values)
        ]
    if ini.lead in ini.supporting:
        message = _("lead OPD {id} is also listed as supporting").format(id=repr(ini.lead))
        out.append(subject.problem("lead-also-supporting", message, "supporting"))
    if ctx.period is not None:
        out += _schedule_problems(subject, ini, ctx.period, ctx.horizons)
    return out + _expected_problems(subject, ini, ctx)


def _expected_problems(subject: _Subject, ini: Initiative, ctx: _Context) -> list[Problem]:
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
            if indicator is not None and not indicator.value_bounds.contains(value):
                message = _("expected value {value:g} for {indicator} is outside {bounds}").format(
                    value=value, indicator=repr(link.indicator), bounds=indicator.value_bounds
                )
                out.append(subject.problem("value-out-of-bounds", message, *where))
    return out


def _schedule_problems(subject: _Subject, ini: Initiative, period: Period, horizons: Horizons | None) -> list[Problem]:
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
    checks = {
        "indicator": ~indicator.isin(list(ctx.indicator_ids)),
        "region": region.notna() & (region != region_id) if region_id is not None else np.zeros(len(items), bool),
        "year": year > period.end if period is not None else np.zeros(len(items), bool),
        "value": ~((value >= low[which]) & (value <= high[which])),
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
        subject = _Subject("observations", position, "observation", f"{obs.indicator}/{obs.year}")
        if checks["indicator"][row]:
            out += _dangling(subject, ctx.indicator_ids, "indicator", obs.indicator, "indicator")
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
        if checks["repeat"][row]:
            first = first_of[codes[row]]
            message = _("{id} is observed twice (the other value is {other:g})").format(
                id=subject.id, other=items[first].value
            )
            out.append(subject.problem("duplicate-observation", message, related=positions[first]))
    return out
