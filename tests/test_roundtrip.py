"""Property: any valid masterplan survives every file format and pydantic's own round trip unchanged."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import smartcity_model as scm

FRAMEWORK = scm.builtin_framework()
ELEMENTS = [e.id for e in FRAMEWORK.elements]
PERIOD = scm.Period(start=2024, end=2033)

slugs = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?", fullmatch=True)
# Labels and free text: letters, digits, punctuation, symbols and spaces of any script, YAML and
# CSV specials (quotes, colons, commas, '#'), every line break (LF, CR, NEL, U+2028, U+2029) and
# control characters (NUL included).
text = (
    st.text(st.characters(categories=("L", "N", "P", "S", "Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)
optional_text = st.none() | text
finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)
shares = st.floats(min_value=0, max_value=100, allow_nan=False)
weights = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False)
years = st.integers(PERIOD.start, PERIOD.end)


def _unique(ids: list[str], prefix: str) -> list[str]:
    return [f"{prefix}{i}-{value}" for i, value in enumerate(ids)]


@st.composite
def masterplans(draw: st.DrawFn) -> scm.Masterplan:
    """Draw a valid masterplan with every optional field sometimes set."""
    opd_ids = _unique(draw(st.lists(slugs, min_size=1, max_size=5)), "o")
    opds = [
        {
            "id": opd_id,
            "name": draw(text),
            "name_en": draw(optional_text),
            "acronym": draw(optional_text),
            "sector": draw(st.sampled_from(["ict", "health", "planning", "tourism"])),
            "kind": draw(st.sampled_from(list(scm.OPDKind))),
            "focal_point": draw(optional_text),
            "note": draw(optional_text),
        }
        for opd_id in opd_ids
    ]
    indicator_ids = _unique(draw(st.lists(slugs, min_size=1, max_size=4)), "i")
    indicators = []
    for indicator_id in indicator_ids:
        normalisation = draw(
            st.sampled_from(
                [
                    None,
                    {"method": "goalposts", "min": 0, "max": 100},
                    {"method": "thresholds", "breaks": [25.5, 50], "scores": [0, 50, 100]},
                    {"method": "target", "target": 90},
                ]
            )
        )
        indicators.append(
            {
                "id": indicator_id,
                "name": draw(text),
                "description": draw(optional_text),
                "unit": "percent",
                "element": draw(st.sampled_from(ELEMENTS)),
                "pillar": draw(st.none() | st.sampled_from(["structure", "infrastructure", "superstructure"])),
                "bounds": {"min": 0, "max": 100},
                "normalisation": normalisation,
                "weight": draw(weights),
                "baseline": {"year": 2023, "value": draw(shares)},
                "targets": draw(st.dictionaries(years, shares, max_size=3)),
                "custodian": draw(st.none() | st.sampled_from(opd_ids)),
                "source": draw(optional_text),
            }
        )
    initiative_ids = _unique(draw(st.lists(slugs, min_size=1, max_size=5)), "n")
    initiatives = []
    for position, initiative_id in enumerate(initiative_ids):
        lead = draw(st.sampled_from(opd_ids))
        start = draw(years)
        initiatives.append(
            {
                "id": initiative_id,
                "name": draw(text),
                "description": draw(optional_text),
                "lead": lead,
                "supporting": draw(
                    st.lists(st.sampled_from(opd_ids), unique=True).map(
                        lambda ids, lead=lead: [i for i in ids if i != lead]
                    )
                ),
                "elements": draw(st.lists(st.sampled_from(ELEMENTS), unique=True, max_size=3)),
                "indicators": [
                    {"indicator": i, "expected": draw(st.dictionaries(years, shares, max_size=2))}
                    for i in draw(st.lists(st.sampled_from(indicator_ids), unique=True, max_size=3))
                ],
                "depends_on": draw(
                    st.lists(st.sampled_from(initiative_ids[:position] or [initiative_id]), unique=True, max_size=2)
                )
                if position
                else [],
                "start_year": start,
                "end_year": draw(st.integers(start, PERIOD.end)),
                "horizon": draw(st.none() | st.just("long")),
                "budget": [
                    {
                        "year": draw(years),
                        "amount": draw(st.floats(0, 1e13)),
                        "source": draw(st.sampled_from(list(scm.FundingSource))),
                        "note": draw(optional_text),
                    }
                    for _ in range(draw(st.integers(0, 2)))
                ],
                "status": draw(st.sampled_from(list(scm.InitiativeStatus))),
            }
        )
    context = draw(_context(opd_ids, indicator_ids))
    for initiative in initiatives:
        initiative["goals"] = draw(st.lists(st.sampled_from([g["id"] for g in context["goals"]]), unique=True))
        issues = [i["id"] for i in context["issues"]]
        initiative["addresses"] = draw(st.lists(st.sampled_from(issues), unique=True)) if issues else []
        partners = [p["id"] for p in context["stakeholders"]]
        initiative["stakeholders"] = draw(st.lists(st.sampled_from(partners), unique=True)) if partners else []
        places = [a["id"] for a in context["areas"]]
        initiative["areas"] = draw(st.lists(st.sampled_from(places), unique=True)) if places else []
        for line in initiative["budget"]:
            line["code"] = draw(st.none() | st.sampled_from(["X.XX.01", "2.16.02.2.01", "2.16.02.2.01.0001"]))
    keys = draw(st.lists(st.tuples(st.sampled_from(indicator_ids), st.integers(2015, 2033)), unique=True, max_size=8))
    observations = [
        {
            "indicator": indicator_id,
            "year": year,
            "value": draw(shares),
            "region": draw(st.none() | st.just("kota-x")),
            "status": draw(st.sampled_from(list(scm.ObservationStatus))),
            "source": draw(optional_text),
            "note": draw(optional_text),
        }
        for indicator_id, year in keys
    ]
    return scm.Masterplan.model_validate(
        {
            "region": {
                "id": "kota-x",
                "name": draw(text),
                "kind": "kota",
                "population": draw(st.none() | st.integers(0, 10**7)),
            },
            "period": PERIOD.model_dump(),
            "document": {
                "title": draw(optional_text),
                "version": draw(optional_text),
                "authors": draw(st.lists(text, max_size=2)),
            },
            "opds": opds,
            "indicators": indicators,
            "initiatives": initiatives,
            **context,
            "observations": observations,
        }
    )


@st.composite
def _context(draw: st.DrawFn, opd_ids: list[str], indicator_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Draw goals, issues, visions, partners, bodies, places and answers, every text field sometimes set."""
    goals = [{"id": "m", "name": draw(text), "level": "misi", "code": draw(optional_text)}]
    goals += [
        {
            "id": f"t{n}",
            "name": draw(text),
            "level": "tujuan",
            "parent": "m",
            "indicators": [draw(st.sampled_from(indicator_ids))],
        }
        for n in range(draw(st.integers(0, 2)))
    ]
    goals.append({"id": "r", "name": draw(text), "level": "sasaran", "document": "renstra", "opd": opd_ids[0]})
    issues = [
        {
            "id": f"isu{n}",
            "name": draw(text),
            "kind": draw(st.sampled_from(list(scm.IssueKind))),
            "dimension": draw(st.none() | st.sampled_from([d.id for d in FRAMEWORK.dimensions])),
            "evidence": draw(optional_text),
        }
        for n in range(draw(st.integers(0, 3)))
    ]
    visions = [
        {
            "dimension": "economy",
            "vision": draw(text),
            "vision_en": draw(optional_text),
            "missions": draw(st.lists(text, max_size=3)),
        }
    ]
    stakeholders = [
        {
            "id": f"p{n}",
            "name": draw(text),
            "role": draw(st.sampled_from(list(scm.PentahelixRole))),
            "note": draw(optional_text),
        }
        for n in range(draw(st.integers(0, 2)))
    ]
    bodies = [
        {
            "id": "dewan",
            "name": draw(text),
            "kind": draw(st.sampled_from(list(scm.BodyKind))),
            "chair": draw(optional_text),
            "decree": draw(st.none() | st.builds(lambda number: {"number": number, "date": "2024-02-01"}, text)),
            "members": [opd_ids[0], *(p["id"] for p in stakeholders)],
        }
    ]
    areas = [{"id": "kec", "name": draw(text), "kind": "kecamatan", "code": draw(optional_text)}]
    areas += [
        {"id": f"d{n}", "name": draw(text), "kind": "desa", "parent": "kec"} for n in range(draw(st.integers(0, 2)))
    ]
    assessment = [
        {"question": "str-sdm", "year": draw(years), "level": draw(st.integers(1, 5)), "evidence": draw(optional_text)}
    ]
    return {
        "goals": goals,
        "issues": issues,
        "visions": visions,
        "stakeholders": stakeholders,
        "bodies": bodies,
        "areas": areas,
        "assessment": assessment,
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=masterplans(), name=st.sampled_from(["plan", "plan.yaml", "plan.json", "plan.xlsx"]))
def test_dump_load_round_trip(plan: scm.Masterplan, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        assert scm.load(scm.dump(plan, Path(tmp) / name)) == plan


@settings(max_examples=60, deadline=None)
@given(plan=masterplans())
def test_pydantic_round_trip(plan: scm.Masterplan) -> None:
    assert scm.Masterplan.model_validate(plan.model_dump()) == plan
    assert scm.Masterplan.model_validate_json(plan.model_dump_json()) == plan


@settings(max_examples=30, deadline=None)
@given(plan=masterplans())
def test_resave_is_byte_identical(plan: scm.Masterplan) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        first = scm.dump(plan, Path(tmp) / "a")
        texts: dict[str, Any] = {p.name: p.read_bytes() for p in first.iterdir()}
        second = scm.dump(scm.load(first), Path(tmp) / "b")
        assert {p.name: p.read_bytes() for p in second.iterdir()} == texts
