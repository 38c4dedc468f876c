"""The parts of a masterplan other than its lists: the period, roadmap horizons, document and framework.

:class:`PlanHeader` is what ``masterplan.yaml`` holds: the region, the period, the framework (a
built-in one by name, or a whole definition) and the document's metadata.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from smartcity_model.i18n import _
from smartcity_model.model.assessment import BUILTIN_QUESTIONNAIRES, Questionnaire, builtin_questionnaire
from smartcity_model.model.base import SLUG_PATTERN, FrozenModel, Text, Year, slugify
from smartcity_model.model.framework import BUILTIN_FRAMEWORKS, Framework, Pillar, builtin_framework
from smartcity_model.model.initiative import Horizon, Initiative
from smartcity_model.model.region import Region

__all__ = [
    "Document",
    "DocumentStatus",
    "FrameworkField",
    "Horizons",
    "Period",
    "PlanHeader",
    "effective_schedule",
    "framework_of",
    "with_element_ids",
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

    @model_validator(mode="after")
    def _enacted(self) -> Document:
        if self.status is DocumentStatus.ENACTED and self.regulation is None:
            raise PydanticCustomError(
                "missing-field",
                _("an enacted plan names the regulation that enacts it (regulation), e.g. its Perbup number"),
            )
        return self


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


def _questionnaire_by_name(value: Any) -> Any:
    """Accept the name of a built-in questionnaire in place of its questions."""
    if isinstance(value, str) and value in BUILTIN_QUESTIONNAIRES:
        return builtin_questionnaire(value)
    if isinstance(value, str):
        raise PydanticCustomError(
            "invalid-choice",
            _("unknown built-in questionnaire {name}; built in: {known}"),
            {"name": repr(value), "known": ", ".join(BUILTIN_QUESTIONNAIRES)},
        )
    return value


QuestionnaireField = Annotated[
    Questionnaire,
    BeforeValidator(_questionnaire_by_name, json_schema_input_type=Questionnaire | Literal["kesiapan"]),
]


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
    pillars: tuple[Pillar, ...] = ()
    """Readiness pillars the region adds to its framework's (e.g. culture)."""
    questionnaire: QuestionnaireField = Field(default_factory=builtin_questionnaire)
    """The readiness questionnaire its answers refer to; a built-in name such as ``kesiapan`` is accepted."""

    @property
    def all_pillars(self) -> tuple[Pillar, ...]:
        """The framework's readiness pillars, then those the region adds."""
        return (*self.framework.pillars, *self.pillars)


def effective_schedule(initiative: Initiative, period: Period, horizons: Horizons) -> tuple[int, int]:
    """Return an initiative's (start, end) years, filling gaps from its horizon or the period."""
    if initiative.horizon is not None:
        default_start, default_end = horizons.window(initiative.horizon, period)
    else:
        default_start, default_end = period.start, period.end
    start = initiative.start_year if initiative.start_year is not None else default_start
    end = initiative.end_year if initiative.end_year is not None else max(default_end, start)
    return start, end
