"""The masterplan: a region's plan for a period, with its OPDs, indicators, initiatives and data.

A :class:`Masterplan` is valid as a whole: every id it refers to exists, every year lies in the
plan period and every value inside its indicator's bounds (:func:`~smartcity_model.model.problems.plan_problems`
lists what is wrong, all at once; the model raises it as one
:class:`~smartcity_model.errors.MasterplanError`). :meth:`Masterplan.from_dict` validates every
object of plain data on its own first, so that one bad object never hides another's problems.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from pydantic import model_validator

from smartcity_model.errors import MasterplanError, unknown_id
from smartcity_model.model.alignment import Goal
from smartcity_model.model.analysis import DimensionVision, Issue
from smartcity_model.model.area import Area
from smartcity_model.model.assemble import Locator, assemble
from smartcity_model.model.assessment import Answer
from smartcity_model.model.governance import GoverningBody
from smartcity_model.model.header import PlanHeader, effective_schedule, framework_of, with_element_ids
from smartcity_model.model.indicator import Indicator
from smartcity_model.model.initiative import Horizon, Initiative
from smartcity_model.model.observation import Observation
from smartcity_model.model.opd import OPD
from smartcity_model.model.problems import PlanParts, plan_problems
from smartcity_model.model.progress import Progress
from smartcity_model.model.stakeholder import Stakeholder

__all__ = ["Masterplan"]


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
    goals: tuple[Goal, ...] = ()
    """The RPJMD and Renstra statements the plan serves (missions, goals, targets)."""
    issues: tuple[Issue, ...] = ()
    """The strategic analysis: potentials, problems, strategic issues and SWOT entries."""
    visions: tuple[DimensionVision, ...] = ()
    """The vision and missions of each dimension."""
    stakeholders: tuple[Stakeholder, ...] = ()
    """Partners beyond the regional government (the pentahelix)."""
    bodies: tuple[GoverningBody, ...] = ()
    """The smart city council, implementation team and forum."""
    areas: tuple[Area, ...] = ()
    """The places initiatives reach: kecamatan, nagari, desa, kelurahan, kawasan."""
    assessment: tuple[Answer, ...] = ()
    """Answers to the readiness questionnaire, by question and year."""
    progress: tuple[Progress, ...] = ()
    """What each initiative achieved, by year: status, physical progress and money realised."""

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
            "goal": {g.id: g for g in self.goals},
            "issue": {i.id: i for i in self.issues},
            "stakeholder": {s.id: s for s in self.stakeholders},
            "body": {b.id: b for b in self.bodies},
            "area": {a.id: a for a in self.areas},
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

    def goal(self, goal_id: str) -> Goal:
        """Return the RPJMD or Renstra statement with id ``goal_id``."""
        result: Goal = self._get("goal", goal_id)
        return result

    def issue(self, issue_id: str) -> Issue:
        """Return the entry of the strategic analysis with id ``issue_id``."""
        result: Issue = self._get("issue", issue_id)
        return result

    def stakeholder(self, stakeholder_id: str) -> Stakeholder:
        """Return the partner with id ``stakeholder_id``."""
        result: Stakeholder = self._get("stakeholder", stakeholder_id)
        return result

    def body(self, body_id: str) -> GoverningBody:
        """Return the council, team or forum with id ``body_id``."""
        result: GoverningBody = self._get("body", body_id)
        return result

    def area(self, area_id: str) -> Area:
        """Return the place with id ``area_id``."""
        result: Area = self._get("area", area_id)
        return result

    def schedule(self, initiative: Initiative | str) -> tuple[int, int]:
        """Return the (start, end) years of an initiative, filling gaps from its horizon or the period."""
        item = self.initiative(initiative) if isinstance(initiative, str) else initiative
        return effective_schedule(item, self.period, self.horizons)

    def dimensions_of(self, initiative: Initiative | str) -> tuple[str, ...]:
        """Return the dimensions an initiative serves: of the elements it names and of the indicators it moves."""
        item = self.initiative(initiative) if isinstance(initiative, str) else initiative
        framework = self.framework
        elements = set(item.elements) | {self.indicator(link).element for link in item.indicator_ids}
        served = {framework.dimension_of(element).id for element in elements}
        return tuple(dimension.id for dimension in framework.dimensions if dimension.id in served)

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
    def from_dict(cls, data: Any, *, locate: Locator | None = None, source: str | None = None) -> Masterplan:
        """Validate plain data, raising one :class:`~smartcity_model.MasterplanError` listing every problem.

        Unlike :meth:`model_validate`, which stops at pydantic's field errors, this reports field
        errors of every object together with the plan's dangling references. ``locate`` maps a
        problem's path in the data to its file and line, ``source`` names what was read (the
        file readers give both).
        """
        return assemble(cls, data, locate, source)
