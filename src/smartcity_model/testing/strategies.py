"""Hypothesis strategies for masterplans and their parts, valid or with one chosen defect.

Every plan from :func:`masterplans` loads, dumps and reloads equal, and passes every error-level
consistency check; :func:`defective_masterplans` injects exactly one defect whose problem or
finding code is known, for testing checkers and tools.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from hypothesis import strategies as st

from smartcity_model.model import (
    OPD,
    Framework,
    FundingSource,
    Horizon,
    Horizons,
    Indicator,
    Initiative,
    InitiativeStatus,
    Masterplan,
    MaturityLevels,
    Observation,
    ObservationStatus,
    OPDKind,
    Period,
)
from smartcity_model.model.assessment import builtin_questionnaire
from smartcity_model.model.framework import builtin_framework
from smartcity_model.model.region import MAX_POPULATION

__all__ = [
    "DEFECTS",
    "DefectivePlan",
    "defective_masterplans",
    "frameworks",
    "indicators",
    "initiatives",
    "masterplans",
    "observations",
    "opds",
    "plan_context",
    "plan_data",
    "values_of",
]

SizeRange = tuple[int, int]
_SECTORS = ("ict", "health", "planning", "education", "environment", "tourism", "transport", "finance")
_LETTERS = string.ascii_lowercase


def _slug(prefix: str) -> st.SearchStrategy[str]:
    return st.text(_LETTERS + string.digits, min_size=1, max_size=6).map(lambda s: f"{prefix}-{s}")


labels = (
    st.text(
        st.characters(
            categories=("L", "N", "P", "S", "Zs", "Zl", "Zp", "Cc", "Cf", "Co"), include_characters="\ufffe\uffff"
        ),
        min_size=1,
        max_size=24,
    )
    .map(str.strip)
    .filter(bool)
)
"""Non-blank names in any script, with punctuation, symbols, line breaks (CR, NEL, U+2028), control and
format characters (a byte-order mark inside a name), private-use characters and the non-characters U+FFFE/U+FFFF."""


def _unique_ids(prefix: str, count: int) -> list[str]:
    return [f"{prefix}-{n:02d}" for n in range(count)]


@st.composite
def frameworks(draw: st.DrawFn, dimensions: SizeRange = (1, 4), elements: SizeRange = (1, 3)) -> Framework:
    """Draw a small framework: ``dimensions`` dimensions of ``elements`` elements each."""
    dims = []
    for d in range(draw(st.integers(*dimensions))):
        count = draw(st.integers(*elements))
        dims.append(
            {
                "id": f"dim-{d}",
                "name": draw(labels),
                "weight": draw(st.sampled_from([1.0, 2.0])),
                "elements": [{"id": f"el-{d}-{e}", "name": draw(labels)} for e in range(count)],
            }
        )
    return Framework.model_validate({"id": "generated", "name": "Generated framework", "dimensions": dims})


@st.composite
def opds(draw: st.DrawFn, opd_id: str | None = None, sectors: Sequence[str] = _SECTORS) -> OPD:
    """Draw one OPD (id drawn unless given)."""
    return OPD(
        id=opd_id if opd_id is not None else draw(_slug("opd")),
        name=draw(labels),
        acronym=draw(st.none() | labels),
        sector=draw(st.sampled_from(list(sectors))),
        kind=draw(st.sampled_from(list(OPDKind))),
    )


@st.composite
def indicators(  # noqa: PLR0913 - keyword-only knobs of a strategy
    draw: st.DrawFn,
    framework: Framework | None = None,
    *,
    indicator_id: str | None = None,
    element: str | None = None,
    custodians: Sequence[str] = (),
    period: Period | None = None,
) -> Indicator:
    """Draw one indicator with a declared normalisation, bounds, a baseline and targets."""
    chosen = framework or builtin_framework()
    span = period or Period(start=2024, end=2033)
    method = draw(st.sampled_from(["goalposts", "maturity", "thresholds", "target"]))
    normalisation: dict[str, Any] = {"method": method}
    bounds: dict[str, float] | None = {"min": 0, "max": 100}
    values = st.floats(0, 100, allow_nan=False)
    if method == "maturity":
        bounds, values = None, st.integers(1, 5).map(float)
    elif method == "goalposts":
        normalisation |= {"min": 0, "max": 100}
    elif method == "thresholds":
        normalisation |= {"breaks": [40, 70], "scores": [0, 50, 100]}
    else:
        normalisation |= {"target": 90}
    target_years = draw(st.lists(st.integers(span.start, span.end), unique=True, max_size=3))
    return Indicator.model_validate(
        {
            "id": indicator_id if indicator_id is not None else draw(_slug("ind")),
            "name": draw(labels),
            "unit": "index" if method == "maturity" else "percent",
            "element": element if element is not None else draw(st.sampled_from([e.id for e in chosen.elements])),
            "bounds": bounds,
            "normalisation": normalisation,
            "weight": draw(st.sampled_from([0.5, 1.0, 2.0])),
            "baseline": {"year": span.start - 1, "value": draw(values)},
            "targets": {year: draw(values) for year in target_years},
            "custodian": draw(st.sampled_from(list(custodians))) if custodians else None,
        }
    )


def values_of(indicator: Indicator) -> st.SearchStrategy[float]:
    """Draw values ``indicator`` may take: within its bounds, whole levels for maturity levels."""
    if isinstance(indicator.normalisation, MaturityLevels):
        return st.integers(1, indicator.normalisation.levels).map(float)
    bounds = indicator.value_bounds
    low = 0.0 if bounds.min is None else bounds.min
    high = low + 100 if bounds.max is None else bounds.max
    return st.floats(low, high, allow_nan=False)


@st.composite
def observations(draw: st.DrawFn, indicator: Indicator, years: Sequence[int], region: str | None = None) -> Observation:
    """Draw one observation of ``indicator`` in one of ``years``, within its bounds."""
    return Observation(
        indicator=indicator.id,
        year=draw(st.sampled_from(list(years))),
        value=draw(values_of(indicator)),
        region=region,
        status=draw(st.sampled_from(list(ObservationStatus))),
        source=draw(st.none() | st.just("illustrative")),
    )


@st.composite
def initiatives(  # noqa: PLR0913 - keyword-only knobs of a strategy
    draw: st.DrawFn,
    opd_ids: Sequence[str],
    framework: Framework | None = None,
    *,
    indicator_ids: Sequence[str] = (),
    initiative_id: str | None = None,
    period: Period | None = None,
) -> Initiative:
    """Draw one initiative led by one of ``opd_ids`` with a schedule inside ``period``."""
    chosen = framework or builtin_framework()
    span = period or Period(start=2024, end=2033)
    lead = draw(st.sampled_from(list(opd_ids)))
    start = draw(st.integers(span.start, span.end))
    return Initiative.model_validate(
        {
            "id": initiative_id if initiative_id is not None else draw(_slug("ini")),
            "name": draw(labels),
            "lead": lead,
            "supporting": draw(
                st.lists(st.sampled_from(list(opd_ids)), unique=True, max_size=3).map(
                    lambda ids: [i for i in ids if i != lead]
                )
            ),
            "elements": draw(st.lists(st.sampled_from([e.id for e in chosen.elements]), unique=True, max_size=2)),
            "indicators": draw(st.lists(st.sampled_from(list(indicator_ids)), unique=True, max_size=2))
            if indicator_ids
            else [],
            "start_year": start,
            "end_year": draw(st.integers(start, span.end)),
            "budget": [
                {
                    "year": start,
                    "amount": draw(st.floats(0, 1e15)),
                    "source": draw(st.sampled_from(list(FundingSource))),
                }
            ],
            "status": draw(st.sampled_from(list(InitiativeStatus))),
        }
    )


def _without(ids: list[str], lead: str) -> list[str]:
    """Return the supporting OPDs drawn, less the lead."""
    return [i for i in ids if i != lead]


def _horizon_fitting(end: int, period: Period, horizons: Horizons) -> list[Horizon | None]:
    """Return the horizons an initiative ending in ``end`` may carry without a mismatch."""
    return [None, *(h for h in Horizon if horizons.window(h, period)[1] >= end)]


@st.composite
def plan_data(  # noqa: PLR0913 - keyword-only knobs of a strategy
    draw: st.DrawFn,
    *,
    opds: SizeRange = (2, 8),
    indicators: SizeRange = (0, 10),
    initiatives: SizeRange = (0, 12),
    years: SizeRange = (2, 10),
    framework: Framework | None = None,
    observed_years: int = 3,
) -> dict[str, Any]:
    """Draw a valid masterplan as plain data (see :func:`masterplans` for the knobs)."""
    chosen = framework or draw(st.just(builtin_framework()) | frameworks())
    dimensions = chosen.dimensions
    start = draw(st.integers(2020, 2030))
    period = Period(start=start, end=start + draw(st.integers(*years)) - 1)
    horizons = Horizons()
    n_opds = draw(st.integers(*opds))
    opd_ids = _unique_ids("opd", n_opds)
    sectors = draw(st.lists(st.sampled_from(_SECTORS), min_size=n_opds, max_size=n_opds))
    # At least one indicator and one initiative per dimension: a dimension without them is an error.
    n_ind = max(len(dimensions), draw(st.integers(*indicators)))
    n_ini = max(len(dimensions), draw(st.integers(*initiatives)))
    elements = [e.id for e in chosen.elements]
    first_element = [d.elements[0].id for d in dimensions]
    indicator_rows = []
    for n, indicator_id in enumerate(_unique_ids("ind", n_ind)):
        element = first_element[n] if n < len(dimensions) else draw(st.sampled_from(elements))
        indicator_rows.append(draw(_indicator_of(chosen, indicator_id, element, opd_ids, period)))
    initiative_rows: list[dict[str, Any]] = []
    ends: dict[str, tuple[int, Horizon | None]] = {}
    for n, initiative_id in enumerate(_unique_ids("ini", n_ini)):
        lead = draw(st.sampled_from(opd_ids))
        begin = draw(st.integers(period.start, period.end))
        end = draw(st.integers(begin, period.end))
        horizon = draw(st.sampled_from(_horizon_fitting(end, period, horizons)))
        ready = [
            other
            for other, (other_end, other_horizon) in ends.items()
            if other_end <= begin
            and not (horizon is Horizon.QUICK_WIN and other_horizon in (Horizon.MEDIUM, Horizon.LONG))
        ]
        served = (
            [first_element[n]]
            if n < len(dimensions)
            else draw(st.lists(st.sampled_from(elements), unique=True, max_size=2))
        )
        initiative_rows.append(
            {
                "id": initiative_id,
                "name": draw(labels),
                "lead": lead,
                "supporting": _without(draw(st.lists(st.sampled_from(opd_ids), unique=True, max_size=3)), lead),
                "elements": served,
                "indicators": draw(st.lists(st.sampled_from([i.id for i in indicator_rows]), unique=True, max_size=2)),
                "depends_on": draw(st.lists(st.sampled_from(ready), unique=True, max_size=2)) if ready else [],
                "start_year": begin,
                "end_year": end,
                "horizon": None if horizon is None else horizon.value,
                "budget": [
                    {
                        "year": begin,
                        "amount": draw(st.floats(0, 1e15)),
                        "source": draw(st.sampled_from(list(FundingSource))).value,
                    }
                ],
                "status": draw(st.sampled_from(list(InitiativeStatus))).value,
            }
        )
        ends[initiative_id] = (end, horizon)
    context = draw(plan_context(chosen, opd_ids, initiative_rows, period))
    obs_years = list(range(period.start - observed_years, period.start))
    observation_rows = [
        draw(observations(indicator, [year])).model_dump(exclude_defaults=True)
        for indicator in indicator_rows
        for year in draw(st.lists(st.sampled_from(obs_years), unique=True, max_size=len(obs_years)))
    ]
    return {
        "region": {
            "id": "kota-uji",
            "name": draw(labels),
            "kind": draw(st.sampled_from(["kota", "kabupaten"])),
            "population": draw(st.none() | st.integers(0, MAX_POPULATION)),
        },
        "period": {"start": period.start, "end": period.end},
        "framework": chosen.model_dump(),
        "opds": [
            {
                "id": opd_id,
                "name": draw(labels),
                "sector": sector,
                "kind": draw(st.sampled_from(list(OPDKind))).value,
                "focal_point": draw(st.none() | labels),
            }
            for opd_id, sector in zip(opd_ids, sectors, strict=True)
        ],
        "indicators": [i.model_dump(exclude_defaults=True) for i in indicator_rows],
        "initiatives": initiative_rows,
        **context,
        "observations": observation_rows,
    }


_BUDGET_CODES = ("X.XX.01", "2.16.02", "2.16.02.2.01", "2.16.02.2.01.0001", "1.02.03.2.02.0005")


@st.composite
def plan_context(
    draw: st.DrawFn,
    framework: Framework,
    opd_ids: Sequence[str],
    initiative_rows: list[dict[str, Any]],
    period: Period,
) -> dict[str, list[dict[str, Any]]]:
    """Draw a plan's context as plain data, and link ``initiative_rows`` to it (they are changed in place).

    RPJMD goals (a mission, its goals, their targets) and a Renstra goal, the strategic analysis,
    visions, partners, a council, team or forum, places (kecamatan with nagari or desa inside) and
    answers to the built-in questionnaire, and progress records of a few initiatives (monitoring);
    each part may be empty. Initiatives name goals, issues, partners and places; budget lines
    sometimes carry a nomenclature code.
    """
    dimensions = [dimension.id for dimension in framework.dimensions]
    goals: list[dict[str, Any]] = []
    for m in range(draw(st.integers(0, 2))):
        goals.append({"id": f"m{m}", "name": draw(labels), "level": "misi", "code": f"M{m + 1}"})
        for t in range(draw(st.integers(0, 2))):
            goals.append({"id": f"m{m}-t{t}", "name": draw(labels), "level": "tujuan", "parent": f"m{m}"})
            targets = range(draw(st.integers(0, 2)))
            goals += [
                {"id": f"m{m}-t{t}-s{n}", "name": draw(labels), "level": "sasaran", "parent": f"m{m}-t{t}"}
                for n in targets
            ]
    renstra: bool = draw(st.booleans())
    if goals and renstra:
        goals.append(
            {
                "id": "renstra-1",
                "name": draw(labels),
                "level": "tujuan",
                "document": "renstra",
                "opd": draw(st.sampled_from(list(opd_ids))),
                "parent": goals[-1]["id"] if goals[-1]["level"] == "sasaran" else None,
            }
        )
    kinds = ["potential", "problem", "strategic_issue", "strength", "weakness", "opportunity", "threat"]
    issues = [
        {
            "id": f"isu-{n}",
            "name": draw(labels),
            "kind": draw(st.sampled_from(kinds)),
            "dimension": draw(st.none() | st.sampled_from(dimensions)),
        }
        for n in range(draw(st.integers(0, 4)))
    ]
    visions = [
        {"dimension": dimension, "vision": draw(labels), "missions": draw(st.lists(labels, max_size=2))}
        for dimension in draw(st.lists(st.sampled_from(dimensions), unique=True, max_size=len(dimensions)))
    ]
    roles = ["government", "academia", "business", "community", "media"]
    stakeholders = [
        {"id": f"mitra-{n}", "name": draw(labels), "role": draw(st.sampled_from(roles))}
        for n in range(draw(st.integers(0, 3)))
    ]
    members = [*opd_ids, *(partner["id"] for partner in stakeholders)]
    bodies = [
        {
            "id": kind,
            "name": draw(labels),
            "kind": kind,
            "decree": draw(st.none() | st.just({"number": f"{n + 1}/{period.start}"})),
            "members": draw(st.lists(st.sampled_from(members), unique=True, max_size=3)),
        }
        for n, kind in enumerate(draw(st.lists(st.sampled_from(["council", "team", "forum"]), unique=True)))
    ]
    areas: list[dict[str, Any]] = []
    for k in range(draw(st.integers(0, 2))):
        areas.append({"id": f"kec-{k}", "name": draw(labels), "kind": "kecamatan"})
        areas += [
            {
                "id": f"kec-{k}-{n}",
                "name": draw(labels),
                "kind": draw(st.sampled_from(["nagari", "desa"])),
                "parent": f"kec-{k}",
            }
            for n in range(draw(st.integers(0, 2)))
        ]
    pillars = {pillar.id for pillar in framework.pillars}
    questions = [question.id for question in builtin_questionnaire().questions if question.pillar in pillars]
    answered = draw(st.lists(st.sampled_from(questions), unique=True, max_size=4)) if questions else []
    assessment = [
        {
            "question": question,
            "year": draw(st.integers(period.start - 2, period.end)),
            "level": draw(st.integers(1, 5)),
        }
        for question in answered
    ]
    for row in initiative_rows:
        row["goals"] = (
            draw(st.lists(st.sampled_from([g["id"] for g in goals]), unique=True, max_size=2)) if goals else []
        )
        row["addresses"] = (
            draw(st.lists(st.sampled_from([i["id"] for i in issues]), unique=True, max_size=2)) if issues else []
        )
        row["stakeholders"] = (
            draw(st.lists(st.sampled_from([p["id"] for p in stakeholders]), unique=True, max_size=2))
            if stakeholders
            else []
        )
        row["areas"] = (
            draw(st.lists(st.sampled_from([a["id"] for a in areas]), unique=True, max_size=2)) if areas else []
        )
        for line in row["budget"]:
            line["code"] = draw(st.none() | st.sampled_from(_BUDGET_CODES))
    reported = draw(st.lists(st.sampled_from([row["id"] for row in initiative_rows]), unique=True, max_size=3))
    progress = [
        {
            "initiative": initiative,
            "year": year,
            "status": draw(st.none() | st.sampled_from([status.value for status in InitiativeStatus])),
            "physical": draw(st.none() | st.floats(0, 100)),
            "realised": draw(st.none() | st.integers(0, 10**12).map(float)),
            "note": draw(st.none() | labels),
        }
        for initiative in reported
        for year in draw(st.lists(st.integers(period.start, period.end), unique=True, min_size=1, max_size=2))
    ]
    return {
        "goals": goals,
        "issues": issues,
        "visions": visions,
        "stakeholders": stakeholders,
        "bodies": bodies,
        "areas": areas,
        "assessment": assessment,
        "progress": progress,
    }


def _indicator_of(
    framework: Framework, indicator_id: str, element: str, custodians: Sequence[str], period: Period
) -> st.SearchStrategy[Indicator]:
    return indicators(framework, indicator_id=indicator_id, element=element, custodians=custodians, period=period)


def masterplans(
    *,
    opds: SizeRange = (2, 8),
    indicators: SizeRange = (0, 10),
    initiatives: SizeRange = (0, 12),
    years: SizeRange = (2, 10),
    framework: Framework | None = None,
) -> st.SearchStrategy[Masterplan]:
    """Return a strategy of valid masterplans that pass every error-level consistency check.

    ``opds``, ``indicators``, ``initiatives`` and ``years`` are (min, max) sizes; a plan always
    has at least one indicator and one initiative per dimension of its framework, which is the
    built-in one or a small generated one unless ``framework`` is given.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> import smartcity_model as scm
    >>> @settings(max_examples=5, deadline=None)
    ... @given(masterplans(initiatives=(1, 4)))
    ... def test_plan_is_consistent(plan):
    ...     assert scm.check(plan).ok
    >>> test_plan_is_consistent()
    """
    data = plan_data(opds=opds, indicators=indicators, initiatives=initiatives, years=years, framework=framework)
    return data.map(Masterplan.model_validate)


# -------------------------------------------------------------------------------- defects

DefectStage = Literal["load", "check"]


@dataclass(frozen=True)
class DefectivePlan:
    """A plan's data with one injected defect and the code that must report it.

    ``stage`` tells where: ``load`` (``Masterplan.from_dict`` raises a
    :class:`~smartcity_model.MasterplanError` with ``code``) or ``check`` (the plan loads and
    :func:`~smartcity_model.check` reports a finding ``code`` about ``subject``).
    """

    data: dict[str, Any]
    code: str
    stage: DefectStage
    subject: str | None


def _depend(data: dict[str, Any], dependent: str, prerequisite: str) -> None:
    item = _find(data["initiatives"], dependent)
    if prerequisite not in item["depends_on"]:
        item["depends_on"] = [*item["depends_on"], prerequisite]


def _dependency_cycle(data: dict[str, Any], draw: st.DrawFn) -> str | None:
    chain = [i["id"] for i in data["initiatives"]]
    first, second = draw(st.sampled_from(chain)), draw(st.sampled_from(chain))
    _depend(data, first, second)
    _depend(data, second, first)
    return None


def _siloed_opd(data: dict[str, Any], draw: st.DrawFn) -> str:
    data["opds"].append({"id": "opd-silo", "name": "Badan Tersendiri", "sector": "silo-sector"})
    element = draw(st.sampled_from([e["id"] for d in data["framework"]["dimensions"] for e in d["elements"]]))
    data["initiatives"].append(
        {
            "id": "ini-silo",
            "name": "Sendiri saja",
            "lead": "opd-silo",
            "elements": [element],
            "indicators": [data["indicators"][0]["id"]],
            "start_year": data["period"]["start"],
            "end_year": data["period"]["end"],
            "budget": [{"year": data["period"]["start"], "amount": 1e8, "source": "apbd"}],
        }
    )
    return "opd-silo"


def _find(items: list[dict[str, Any]], item_id: str) -> dict[str, Any]:
    return next(item for item in items if item["id"] == item_id)


def _dangling(data: dict[str, Any], draw: st.DrawFn) -> str:
    initiative = draw(st.sampled_from(data["initiatives"]))
    initiative["lead"] = "opd-that-does-not-exist"
    return str(initiative["id"])


def _duplicate(data: dict[str, Any], draw: st.DrawFn) -> str:
    opd = dict(draw(st.sampled_from(data["opds"])))
    data["opds"].append(opd)
    return str(opd["id"])


def _outside_period(data: dict[str, Any], draw: st.DrawFn) -> str:
    initiative = draw(st.sampled_from(data["initiatives"]))
    initiative["budget"] = [{"year": data["period"]["end"] + 1, "amount": 1e8, "source": "apbd"}]
    return str(initiative["id"])


def _moves_nothing(data: dict[str, Any], draw: st.DrawFn) -> str:
    initiative = draw(st.sampled_from(data["initiatives"]))
    initiative["indicators"] = []
    return str(initiative["id"])


def _no_budget(data: dict[str, Any], draw: st.DrawFn) -> str:
    initiative = draw(st.sampled_from(data["initiatives"]))
    initiative["budget"] = []
    initiative["status"] = "planned"
    return str(initiative["id"])


def _not_involved(data: dict[str, Any], draw: st.DrawFn) -> str:  # noqa: ARG001 - same signature as the others
    data["opds"].append({"id": "opd-idle", "name": "Dinas Diam", "sector": "idle"})
    return "opd-idle"


_Inject = Callable[[dict[str, Any], st.DrawFn], "str | None"]
_INJECT: dict[str, tuple[DefectStage, _Inject]] = {
    "dependency-cycle": ("check", _dependency_cycle),
    "siloed-opd": ("check", _siloed_opd),
    "initiative-moves-nothing": ("check", _moves_nothing),
    "initiative-without-budget": ("check", _no_budget),
    "opd-not-involved": ("check", _not_involved),
    "dangling-reference": ("load", _dangling),
    "duplicate-id": ("load", _duplicate),
    "year-outside-period": ("load", _outside_period),
}
#: The defects :func:`defective_masterplans` can inject, by the code that reports them.
DEFECTS: tuple[str, ...] = tuple(_INJECT)


@st.composite
def _defective(draw: st.DrawFn, /, defect: str, **sizes: Any) -> DefectivePlan:
    stage, inject = _INJECT[defect]
    data = draw(plan_data(**sizes))
    subject = inject(data, draw)
    return DefectivePlan(data=data, code=defect, stage=stage, subject=subject)


def defective_masterplans(defect: str, **sizes: Any) -> st.SearchStrategy[DefectivePlan]:
    """Return a strategy of valid plans' data with one injected ``defect`` (a code from :data:`DEFECTS`).

    ``sizes`` are the knobs of :func:`masterplans`.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> import smartcity_model as scm
    >>> @settings(max_examples=3, deadline=None)
    ... @given(defective_masterplans("dependency-cycle"))
    ... def test_cycles_are_found(defective):
    ...     report = scm.check(scm.Masterplan.from_dict(defective.data))
    ...     assert report.select(code="dependency-cycle")
    >>> test_cycles_are_found()
    """
    if defect not in _INJECT:
        msg = f"cannot inject {defect!r}; known defects: {', '.join(DEFECTS)}"
        raise ValueError(msg)
    return _defective(defect, **sizes)
