"""Consistency checks: one failing and one passing example per code, configuration, the report."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import smartcity_model as scm
from smartcity_model.model.sectors import SECTORS

CLEAN = Path(__file__).parent / "data" / "clean.yaml"
Data = dict[str, Any]


def clean_data() -> Data:
    data: Data = yaml.safe_load(CLEAN.read_text(encoding="utf-8"))
    return data


def _initiative(data: Data, initiative_id: str) -> Data:
    return next(i for i in data["initiatives"] if i["id"] == initiative_id)


def _indicator(data: Data, indicator_id: str) -> Data:
    return next(i for i in data["indicators"] if i["id"] == indicator_id)


def _set(initiative_id: str, **changes: Any) -> Callable[[Data], None]:
    return lambda data: _initiative(data, initiative_id).update(changes)


def _set_indicator(indicator_id: str, **changes: Any) -> Callable[[Data], None]:
    return lambda data: _indicator(data, indicator_id).update(changes)


def _set_opd(opd_id: str, **changes: Any) -> Callable[[Data], None]:
    return lambda data: next(o for o in data["opds"] if o["id"] == opd_id).update(changes)


def _all(*mutations: Callable[[Data], None]) -> Callable[[Data], None]:
    def mutate(data: Data) -> None:
        for mutation in mutations:
            mutation(data)

    return mutate


#: The initiatives of ``clean.yaml`` that start in 2024, each spending Rp 100 million that year.
_BEGUN_2024 = ("gov-a", "gov-b", "brd-a", "eco-b", "liv-a", "soc-a", "env-a")


def _progress(changes: dict[str, Data], year: int = 2024) -> Callable[[Data], None]:
    """Report every initiative begun by ``year`` as on track (done if it ended before), then apply ``changes``."""

    def mutate(data: Data) -> None:
        records: dict[str, Data] = {}
        for item in data["initiatives"]:
            if item["id"] in _BEGUN_2024:
                done = item["end_year"] < year
                records[item["id"]] = {
                    "initiative": item["id"],
                    "year": year,
                    "status": "done" if done else "ongoing",
                    "physical": 100 if done else 50,
                    "realised": 1e8,
                }
        for name, change in changes.items():
            records.setdefault(name, {"initiative": name, "year": year}).update(change)
        data["progress"] = list(records.values())

    return mutate


def _unchanged(data: Data) -> None:
    """Leave the plan as it is (the configuration makes the difference)."""


def _add_lone_opd(data: Data) -> None:
    data["opds"].append({"id": "bkd", "name": "Badan Keuangan", "sector": "finance"})
    data["initiatives"].append(
        {
            "id": "fin-a",
            "name": "Pajak daring",
            "lead": "bkd",
            "elements": ["transaction"],
            "indicators": ["i-transaction"],
            "horizon": "short",
            "budget": [{"year": 2024, "amount": 1e8, "source": "apbd"}],
        }
    )


def _support_everything(data: Data) -> None:
    for initiative in data["initiatives"]:
        if initiative["lead"] != "diskominfo" and "diskominfo" not in initiative["supporting"]:
            initiative["supporting"].append("diskominfo")


def _no_observations(indicator_id: str) -> Callable[[Data], None]:
    def mutate(data: Data) -> None:
        data["observations"] = [o for o in data["observations"] if o["indicator"] != indicator_id]

    return mutate


def _without_goals(data: Data) -> None:
    data["goals"] = []
    for initiative in data["initiatives"]:
        initiative["goals"] = []


def _without_issues(data: Data) -> None:
    data["issues"] = []
    for initiative in data["initiatives"]:
        initiative["addresses"] = []


def _without_vision(dimension: str) -> Callable[[Data], None]:
    return lambda data: data.update(visions=[v for v in data["visions"] if v["dimension"] != dimension])


def _add_stakeholder(stakeholder_id: str, role: str) -> Callable[[Data], None]:
    return lambda data: data["stakeholders"].append({"id": stakeholder_id, "role": role, "name": stakeholder_id})


def _body(data: Data, body_id: str) -> Data:
    return next(b for b in data["bodies"] if b["id"] == body_id)


def _set_body(body_id: str, **changes: Any) -> Callable[[Data], None]:
    return lambda data: _body(data, body_id).update(changes)


def _without_body(body_id: str) -> Callable[[Data], None]:
    return lambda data: data.update(bodies=[b for b in data["bodies"] if b["id"] != body_id])


def _with_places(*, reached: list[str]) -> Callable[[Data], None]:
    def mutate(data: Data) -> None:
        data["areas"] = [
            {"id": "pusat", "kind": "kecamatan", "name": "Kecamatan Pusat"},
            {"id": "pinggir", "kind": "kecamatan", "name": "Kecamatan Pinggir"},
            {"id": "kampung", "kind": "kelurahan", "name": "Kelurahan Kampung", "parent": "pinggir"},
        ]
        _initiative(data, "env-a")["areas"] = reached

    return mutate


def _without_answers(question: str) -> Callable[[Data], None]:
    return lambda data: data.update(assessment=[a for a in data["assessment"] if a["question"] != question])


def _add_opd(opd_id: str, *, supports: str | None) -> Callable[[Data], None]:
    def mutate(data: Data) -> None:
        data["opds"].append({"id": opd_id, "name": f"OPD {opd_id}", "sector": "social-affairs"})
        if supports is not None:
            _initiative(data, supports)["supporting"].append(opd_id)

    return mutate


# code -> (mutation of the clean plan, configuration, expected (subject kind, subject id, related))
FAILING: dict[str, tuple[Callable[[Data], None], Data | None, tuple[str, str | None, tuple[str, ...] | None]]] = {
    "dependency-cycle": (_set("brd-a", depends_on=["eco-a"]), None, ("initiative", "brd-a", ("brd-a", "eco-a"))),
    "starts-before-prerequisite-ends": (_set("eco-b", depends_on=["gov-b"]), None, ("initiative", "eco-b", ("gov-b",))),
    "quick-win-depends-on-long-term": (
        _set("gov-a", depends_on=["env-b"]),
        None,
        ("initiative", "gov-a", ("env-b",)),
    ),
    "dimension-without-indicator": (
        _all(*(_set_indicator(f"i-{e}", element="health") for e in ("protection", "waste", "energy"))),
        None,
        ("dimension", "environment", ("protection", "waste", "energy")),
    ),
    "dimension-without-initiative": (
        _all(_set("env-a", elements=[], indicators=[]), _set("env-b", elements=[], indicators=[])),
        None,
        ("dimension", "environment", None),
    ),
    "element-without-indicator": (_set_indicator("i-energy", element="waste"), None, ("element", "energy", None)),
    "element-without-initiative": (_set("env-b", elements=[], indicators=[]), None, ("element", "energy", None)),
    "indicator-not-moved": (_set("env-b", indicators=[]), None, ("indicator", "i-energy", None)),
    "initiative-moves-nothing": (_set("env-b", indicators=[]), None, ("initiative", "env-b", None)),
    "unknown-sector": (_set_opd("dinkes", sector="health-care"), None, ("opd", "dinkes", ())),
    "siloed-opd": (_add_lone_opd, None, ("opd", "bkd", ("fin-a",))),
    "fragmented-plan": (_add_lone_opd, None, ("plan", None, ("bkd",))),
    "single-sector-dimension": (
        _all(_set("env-a", supporting=[]), _set("env-b", supporting=[])),
        None,
        ("dimension", "environment", ("environment",)),
    ),
    "overloaded-opd": (_support_everything, None, ("opd", "diskominfo", None)),
    "indicator-without-custodian": (_set_indicator("i-waste", custodian=None), None, ("indicator", "i-waste", None)),
    "indicator-without-observations": (_no_observations("i-waste"), None, ("indicator", "i-waste", None)),
    "initiative-without-budget": (_set("liv-b", budget=[]), None, ("initiative", "liv-b", None)),
    "budget-source-unspecified": (
        _set("liv-b", budget=[{"year": 2030, "amount": 5e7, "source": "other"}]),
        None,
        ("initiative", "liv-b", None),
    ),
    "opd-leads-nothing": (_add_opd("dinsos", supports="soc-a"), None, ("opd", "dinsos", ("soc-a",))),
    "opd-not-involved": (_add_opd("dinsos", supports=None), None, ("opd", "dinsos", None)),
    "ict-heavy-plan": (_unchanged, {"thresholds": {"max_ict_share": 0.3}}, ("plan", None, None)),
    "unused-waiver": (
        _unchanged,
        {"waivers": [{"code": "siloed-opd", "subject": "dinkes", "reason": "Works alone by design."}]},
        ("waiver", "siloed-opd/dinkes", None),
    ),
    "quick-wins-miss-dimension": (
        _set("env-a", horizon="medium", start_year=2026, end_year=2028),
        None,
        ("dimension", "environment", None),
    ),
    "no-rpjmd-alignment": (_without_goals, None, ("plan", None, None)),
    "initiative-unaligned": (_set("env-b", goals=[]), None, ("initiative", "env-b", None)),
    "goal-unserved": (
        _all(_set("env-a", goals=["s-living"]), _set("env-b", goals=["s-living"])),
        None,
        ("goal", "s-environment", None),
    ),
    "budget-without-code": (
        _set("liv-b", budget=[{"year": 2030, "amount": 5e7, "source": "apbd"}]),
        None,
        ("plan", None, None),
    ),
    "no-analysis": (_without_issues, None, ("plan", None, None)),
    "issue-unaddressed": (
        _all(_set("env-a", addresses=[]), _set("env-b", addresses=[])),
        None,
        ("issue", "p-environment", None),
    ),
    "initiative-addresses-nothing": (_set("env-b", addresses=[]), None, ("initiative", "env-b", None)),
    "dimension-without-vision": (_without_vision("environment"), None, ("dimension", "environment", None)),
    "society-left-out": (
        _all(_set("gov-a", stakeholders=[]), _set("soc-a", stakeholders=[])),
        None,
        ("plan", None, None),
    ),
    "stakeholder-idle": (_add_stakeholder("media", "media"), None, ("stakeholder", "media", None)),
    "governance-body-missing": (_without_body("tim"), None, ("plan", None, None)),
    "body-without-decree": (_set_body("dewan", decree=None), None, ("body", "dewan", None)),
    "opd-without-focal-point": (_set_opd("dlh", focal_point=None), None, ("opd", "dlh", None)),
    "area-unreached": (_with_places(reached=["pusat"]), None, ("area", "pinggir", None)),
    "readiness-unassessed": (_without_answers("sup-regulasi"), None, ("pillar", "superstructure", None)),
    "initiative-overdue": (
        _progress({"gov-a": {"status": "ongoing", "physical": 80}}, year=2026),
        None,
        ("initiative", "gov-a", None),
    ),
    "initiative-not-started": (
        _progress({"gov-b": {"status": "planned", "physical": 0, "realised": 0}}),
        None,
        ("initiative", "gov-b", None),
    ),
    "initiative-underspent": (_progress({"gov-b": {"realised": 2e7}}), None, ("initiative", "gov-b", None)),
    "initiative-overspent": (_progress({"gov-b": {"realised": 1.5e8}}), None, ("initiative", "gov-b", None)),
    "progress-inconsistent": (
        _progress({"gov-b": {"status": "done", "physical": 90}}),
        None,
        ("progress", "gov-b/2024", ("gov-b",)),
    ),
}

# code -> a near miss: a change that comes close to the rule but must not trigger it
PASSING: dict[str, tuple[Callable[[Data], None], Data | None]] = {
    "dependency-cycle": (_set("liv-b", depends_on=["liv-a"]), None),
    "starts-before-prerequisite-ends": (_set("brd-b", depends_on=["brd-a"], start_year=2026, end_year=2028), None),
    "quick-win-depends-on-long-term": (_set("gov-b", horizon=None, start_year=2026, end_year=2033), None),
    "dimension-without-indicator": (_set_indicator("i-energy", element="waste"), None),
    "dimension-without-initiative": (_set("env-b", elements=[], indicators=[]), None),
    "element-without-indicator": (_set_indicator("i-energy", weight=3), None),
    "element-without-initiative": (_set("env-b", elements=[]), None),
    "indicator-not-moved": (_set("env-a", indicators=["i-protection"]), {"severity": {"indicator-not-moved": "off"}}),
    "initiative-moves-nothing": (_set("env-b", indicators=["i-energy", "i-waste"]), None),
    "unknown-sector": (_set_opd("dinkes", sector="health-care"), {"sectors": ["health-care"]}),
    "siloed-opd": (_all(_add_lone_opd, _set("fin-a", supporting=["diskop"])), None),
    "fragmented-plan": (_all(_add_lone_opd, _set("fin-a", supporting=["diskop"])), None),
    "single-sector-dimension": (_set("env-a", supporting=[]), None),
    "overloaded-opd": (_support_everything, {"thresholds": {"max_participation_share": 1.0}}),
    "indicator-without-custodian": (_set_indicator("i-waste", custodian="dinkes"), None),
    "indicator-without-observations": (
        lambda data: data["observations"].append({"indicator": "i-waste", "year": 2024, "value": 41}),
        None,
    ),
    "initiative-without-budget": (_set("liv-b", budget=[], status="cancelled"), None),
    "budget-source-unspecified": (
        _set("liv-b", budget=[{"year": 2030, "amount": 5e7, "source": "other", "note": "Dana desa"}]),
        None,
    ),
    "opd-leads-nothing": (
        _all(_add_opd("dinsos", supports="soc-a"), _set("soc-b", lead="dinsos", supporting=["disdik", "dishub"])),
        None,
    ),
    "opd-not-involved": (_add_opd("dinsos", supports="soc-b"), {"severity": {"opd-leads-nothing": "off"}}),
    "ict-heavy-plan": (_unchanged, {"thresholds": {"max_ict_share": 0.34}}),
    "unused-waiver": (
        _add_lone_opd,
        {
            "waivers": [
                {"code": "siloed-opd", "subject": "bkd", "reason": "Works alone by design."},
                {"code": "fragmented-plan", "reason": "The finance office joins in 2026."},
            ]
        },
    ),
    "quick-wins-miss-dimension": (_set("env-a", elements=["waste"], indicators=["i-waste"]), None),
    "no-rpjmd-alignment": (_set("env-b", goals=["m1"]), None),  # a mission served directly serves the RPJMD too
    "initiative-unaligned": (_set("env-b", goals=["t1"]), None),
    "goal-unserved": (_set("env-a", goals=["s-living"]), None),  # env-b still serves s-environment
    "budget-without-code": (
        _set("liv-b", budget=[{"year": 2030, "amount": 5e7, "source": "apbd", "code": "1.02.02.2.01.0001"}]),
        None,
    ),
    "no-analysis": (lambda data: data["issues"].append({"id": "s-x", "kind": "strength", "name": "Kekuatan"}), None),
    "issue-unaddressed": (_set("env-a", addresses=[]), None),  # env-b still addresses p-environment
    "initiative-addresses-nothing": (
        _all(_without_issues, lambda data: data.update(issues=[{"id": "pot", "kind": "potential", "name": "Potensi"}])),
        None,
    ),  # nothing to address: a potential needs no initiative
    "dimension-without-vision": (lambda data: data.update(visions=[]), None),  # no visions at all: none is missing
    "society-left-out": (_set("gov-a", stakeholders=[]), None),  # soc-a still involves the campus and the forum
    "stakeholder-idle": (
        _all(_add_stakeholder("media", "media"), lambda data: _body(data, "tim")["members"].append("media")),
        None,
    ),
    "governance-body-missing": (
        lambda data: data["bodies"].append(
            {"id": "forum", "kind": "forum", "name": "Forum", "decree": {"number": "3"}}
        ),
        None,
    ),
    "body-without-decree": (_set_body("dewan", decree={"number": "1/2024", "date": "2024-02-01"}), None),
    "opd-without-focal-point": (
        _all(_add_opd("dinsos", supports=None), _set_opd("dinsos", focal_point=None)),
        {"severity": {"opd-not-involved": "off"}},
    ),  # an OPD that takes no part needs no focal point
    "area-unreached": (_with_places(reached=["pusat", "kampung"]), None),  # a place inside pinggir reaches it
    "readiness-unassessed": (
        _all(_without_answers("sup-regulasi"), _set_indicator("i-public-policy", pillar="superstructure")),
        None,
    ),
    # in its end year, an initiative under way is not yet overdue
    "initiative-overdue": (_progress({"gov-a": {"status": "ongoing", "physical": 80}}, year=2025), None),
    "initiative-not-started": (_progress({"gov-b": {"status": None, "physical": 5, "realised": 0}}), None),
    "initiative-underspent": (_progress({"gov-b": {"realised": 5e7}}), None),  # half: the threshold itself
    "initiative-overspent": (_progress({"gov-b": {"realised": 1.5e8}}), {"thresholds": {"max_absorption": 1.6}}),
    "progress-inconsistent": (_progress({"gov-b": {"status": "done", "physical": 100}}), None),
}


def _report(mutate: Callable[[Data], None], config: Data | None) -> scm.ValidationReport:
    data = clean_data()
    mutate(data)
    return scm.check(scm.Masterplan.from_dict(data), config)


def test_every_code_has_a_failing_and_a_passing_example() -> None:
    assert set(FAILING) == set(scm.CHECK_CODES)
    assert set(PASSING) == set(scm.CHECK_CODES)


def test_clean_plan_has_no_finding() -> None:
    report = scm.check(scm.load(CLEAN))
    assert report.findings == ()
    assert report.ok


@pytest.mark.parametrize("code", sorted(FAILING))
def test_failing_example_is_found(code: str) -> None:
    mutate, config, (kind, subject, related) = FAILING[code]
    report = _report(mutate, config)
    found = report.select(code=code)
    assert len(found) == 1, str(report)
    finding = found[0]
    assert (finding.subject_kind, finding.subject_id) == (kind, subject)
    assert finding.severity is scm.CHECK_CODES[code].severity
    assert finding.hint == scm.CHECK_CODES[code].hint
    if related is not None:
        assert finding.related == related
    if finding.severity is scm.Severity.ERROR:
        assert not report.ok


@pytest.mark.parametrize("code", sorted(PASSING))
def test_near_miss_is_not_found(code: str) -> None:
    mutate, config = PASSING[code]
    report = _report(mutate, config)
    assert report.select(code=code) == (), str(report)


def test_cycle_is_reported_in_order_from_the_earliest_initiative() -> None:
    data = clean_data()
    _set("gov-a", depends_on=["soc-a"], horizon=None, start_year=2027, end_year=2028)(data)
    _set("soc-a", depends_on=["gov-b"])(data)
    _set("gov-b", depends_on=["gov-a"])(data)
    (finding,) = scm.check(scm.Masterplan.from_dict(data)).select(code="dependency-cycle")
    assert finding.related == ("gov-a", "soc-a", "gov-b")
    assert finding.message.startswith("gov-a → soc-a → gov-b → gov-a")


def test_self_dependency_is_a_cycle() -> None:
    data = clean_data()
    _set("gov-b", depends_on=["gov-b"])(data)
    report = scm.check(scm.Masterplan.from_dict(data))
    assert [(f.code, f.related) for f in report.findings] == [("dependency-cycle", ("gov-b",))]


def test_small_plans_skip_share_based_checks(plan_data: Data) -> None:
    report = scm.check(scm.Masterplan.from_dict(plan_data))
    assert not report.select(code="overloaded-opd")
    assert not report.select(code="ict-heavy-plan")


# ----------------------------------------------------------------------- configuration


def test_severity_can_be_raised_lowered_or_turned_off() -> None:
    mutate, _, _ = FAILING["initiative-without-budget"]
    raised = _report(mutate, {"severity": {"initiative-without-budget": "error"}})
    assert raised.select(code="initiative-without-budget")[0].severity is scm.Severity.ERROR
    assert not raised.ok
    assert _report(mutate, {"severity": {"initiative-without-budget": "off"}}).findings == ()


def test_waived_findings_stay_in_the_report_with_their_reason() -> None:
    mutate, _, _ = FAILING["dependency-cycle"]
    reason = "Agreed with Bappeda: the two are planned together."
    config = {"waivers": [{"code": "dependency-cycle", "subject": "brd-a", "reason": reason}]}
    report = _report(mutate, config)
    (finding,) = report.select(code="dependency-cycle")
    assert finding.waived
    assert finding.waiver_reason == reason
    assert report.counts["waived"] == 1
    assert report.select(code="dependency-cycle", waived=False) == ()
    assert "waived" in str(report)


def test_waiver_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="reason"):
        scm.CheckConfig.model_validate({"waivers": [{"code": "siloed-opd", "subject": "dinkes"}]})
    with pytest.raises(ValueError, match="at least 1 character"):
        scm.CheckConfig.model_validate({"waivers": [{"code": "siloed-opd", "reason": "  "}]})


def test_unknown_codes_in_configuration_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown check code 'silo'"):
        scm.CheckConfig.model_validate({"severity": {"silo": "off"}})
    with pytest.raises(ValueError, match="unknown check code"):
        scm.CheckConfig.model_validate({"waivers": [{"code": "silo", "reason": "x"}]})


def test_checks_yaml_is_found_beside_a_plan_and_its_errors_are_located(tmp_path: Path) -> None:
    folder = scm.dump(scm.load(CLEAN), tmp_path / "plan")
    assert scm.find_check_config(folder) is None
    (folder / "checks.yaml").write_text("thresholds:\n  max_ict_share: 2\n", encoding="utf-8")
    assert scm.find_check_config(folder) == folder / "checks.yaml"
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load_check_config(folder / "checks.yaml")
    (problem,) = caught.value.problems
    assert (problem.code, problem.field, problem.line) == ("out-of-range", "thresholds.max_ict_share", 2)


def test_check_accepts_a_config_path(tmp_path: Path) -> None:
    path = tmp_path / "checks.yaml"
    path.write_text("thresholds: {max_ict_share: 0.3}\n", encoding="utf-8")
    assert scm.check(scm.load(CLEAN), path).counts_by_code == {"ict-heavy-plan": 1}


# ------------------------------------------------------------------------------- report


def _report_with_many_findings() -> scm.ValidationReport:
    data = clean_data()
    for indicator in data["indicators"]:
        indicator["custodian"] = None
    _set("brd-a", depends_on=["eco-a"])(data)
    return scm.check(scm.Masterplan.from_dict(data))


def test_a_partner_from_society_lifts_a_silo_and_links_the_groups_it_works_with() -> None:
    alone = clean_data()
    _add_lone_opd(alone)
    codes = scm.check(scm.Masterplan.from_dict(alone)).counts_by_code
    assert codes.get("siloed-opd") == 1
    assert codes.get("fragmented-plan") == 1
    with_campus = clean_data()
    _all(_add_lone_opd, _set("fin-a", stakeholders=["kampus"]))(with_campus)
    codes = scm.check(scm.Masterplan.from_dict(with_campus)).counts_by_code
    assert "siloed-opd" not in codes  # the finance office works with the university
    assert "fragmented-plan" not in codes  # the university also works with the main group
    with_government = clean_data()
    _all(_add_lone_opd, _add_stakeholder("bpk", "government"), _set("fin-a", stakeholders=["bpk"]))(with_government)
    codes = scm.check(scm.Masterplan.from_dict(with_government)).counts_by_code
    assert codes.get("siloed-opd") == 1  # a partner from government is no partner from society


def test_report_counts_frame_and_json() -> None:
    report = _report_with_many_findings()
    assert report.counts == {"error": 3, "warning": 18, "info": 0, "waived": 0}
    assert report.counts_by_code == {
        "dependency-cycle": 1,
        "starts-before-prerequisite-ends": 1,
        "quick-win-depends-on-long-term": 1,
        "indicator-without-custodian": 18,
    }
    frame = report.to_frame()
    assert list(frame.columns) == list(scm.checks.FINDING_COLUMNS)
    assert len(frame) == 21
    assert frame.loc[0, "family"] == "dependencies"
    payload = json.loads(report.to_json())
    assert payload["ok"] is False
    assert payload["findings"][0]["related"] == ["brd-a", "eco-a"]


def test_report_str_caps_repeated_findings() -> None:
    text = str(_report_with_many_findings())
    assert text.splitlines()[0] == "Checks on Kota Bersih 2024-2033: 3 errors, 18 warnings, 0 info"
    assert text.count("indicator 'i-") == scm.ValidationReport.SHOWN_PER_CODE
    assert "... and 13 more" in text


def test_raise_for_errors() -> None:
    report = _report_with_many_findings()
    with pytest.raises(scm.PlanCheckError, match="3 error-level findings") as caught:
        report.raise_for_errors()
    assert caught.value.report is report
    scm.check(scm.load(CLEAN)).raise_for_errors()


def test_bundled_example_has_no_errors_and_shows_warnings(example_plan: scm.Masterplan) -> None:
    report = scm.check(example_plan, scm.find_check_config(scm.example_path()))
    assert report.ok
    assert report.counts_by_code == {
        "overloaded-opd": 1,
        "initiative-without-budget": 1,
        "opd-leads-nothing": 2,
        "budget-without-code": 1,
        "body-without-decree": 1,
        # from the example's illustrative progress records, as of 2025
        "initiative-overdue": 1,
        "initiative-not-started": 3,
        "initiative-underspent": 2,
        "initiative-overspent": 1,
    }
    assert [f.subject_id for f in report.select(waived=True)] == ["inspektorat"]


# --------------------------------------------------------------------------- properties


@st.composite
def dags(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]]]:
    """Draw a number of initiatives and prerequisite edges i -> j with j < i (so no cycle)."""
    n = draw(st.integers(2, 14))
    edges = draw(
        st.lists(st.tuples(st.integers(1, n - 1), st.integers(0, n - 2)).filter(lambda e: e[1] < e[0]), unique=True)
    )
    return n, edges


def _dependency_plan(n: int, edges: list[tuple[int, int]]) -> scm.Masterplan:
    depends: dict[int, list[str]] = {i: [] for i in range(n)}
    for i, j in edges:
        depends[i].append(f"n{j}")
    data = clean_data()
    data["initiatives"] = [
        {"id": f"n{i}", "name": f"N{i}", "lead": "dinkes", "horizon": "long", "depends_on": depends[i]}
        for i in range(n)
    ]
    return scm.Masterplan.from_dict(data)


def _reachable(edges: list[tuple[int, int]], start: int) -> set[int]:
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        for i, j in edges:
            if i == node and j not in seen:
                seen.add(j)
                todo.append(j)
    return seen


@settings(max_examples=80, deadline=None)
@given(dag=dags(), data=st.data())
def test_dag_has_no_cycle_and_one_back_edge_gives_exactly_its_cycle(
    dag: tuple[int, list[tuple[int, int]]], data: st.DataObject
) -> None:
    n, edges = dag
    assert scm.check(_dependency_plan(n, edges)).select(code="dependency-cycle") == ()
    source = data.draw(st.integers(0, n - 1))
    target = data.draw(st.sampled_from(sorted(_reachable(edges, source))))
    # target is reachable from source (or is source): the edge target -> source closes a cycle.
    report = scm.check(_dependency_plan(n, [*edges, (target, source)]))
    (finding,) = report.select(code="dependency-cycle")
    cycle = [int(member[1:]) for member in finding.related]
    closing = [*cycle, cycle[0]]
    all_edges = {*edges, (target, source)}
    assert all((a, b) in all_edges for a, b in itertools.pairwise(closing))
    assert (target, source) in set(itertools.pairwise(closing))
    assert finding.subject_id == f"n{min(cycle)}"


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_partner_from_another_sector_ends_a_silo_and_adds_nothing(data: st.DataObject) -> None:
    plan_data = clean_data()
    _add_lone_opd(plan_data)
    if data.draw(st.booleans()):
        plan_data["opds"].append({"id": "bkd2", "name": "Badan Keuangan 2", "sector": "finance"})
        plan_data["initiatives"][-1]["supporting"] = ["bkd2"]
    before = scm.check(scm.Masterplan.from_dict(plan_data))
    assert before.select(code="siloed-opd")[0].subject_id == "bkd"
    partner = data.draw(
        st.sampled_from(["diskominfo", "bappeda", "dinkes", "dlh", "dispar", "diskop", "dishub", "disdik"])
    )
    plan_data["initiatives"][-1].setdefault("supporting", []).append(partner)
    after = scm.check(scm.Masterplan.from_dict(plan_data))
    keys_before = {(f.code, f.subject_id) for f in before.findings}
    keys_after = {(f.code, f.subject_id) for f in after.findings}
    assert ("siloed-opd", "bkd") not in keys_after
    assert keys_after <= keys_before - {("siloed-opd", "bkd")}


@settings(max_examples=30, deadline=None)
@given(mutation=st.sampled_from(sorted(FAILING)))
def test_findings_are_deterministic(mutation: str) -> None:
    mutate, config, _ = FAILING[mutation]
    data = clean_data()
    mutate(data)
    plan = scm.Masterplan.from_dict(data)
    first = scm.check(plan, config)
    assert scm.check(scm.Masterplan.from_dict(data), config) == first
    assert scm.check(plan, config).to_json() == first.to_json()


def test_every_code_is_documented() -> None:
    doc = (Path(__file__).parents[1] / "docs" / "checks.md").read_text(encoding="utf-8")
    codes = doc.split("\n## Codes\n", 1)[1].split("\n## ", 1)[0]
    documented = {line.split("`")[1] for line in codes.splitlines() if line.startswith("| `")}
    assert documented == set(scm.CHECK_CODES)


def test_the_documented_checks_yaml_loads_as_written(tmp_path: Path) -> None:
    doc = (Path(__file__).parents[1] / "docs" / "checks.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```yaml\n(.*?)```", doc, flags=re.DOTALL)
    (tmp_path / "checks.yaml").write_text(example, encoding="utf-8")
    config = scm.load_check_config(tmp_path / "checks.yaml")
    assert config.severity["budget-source-unspecified"] == "off"  # YAML 1.1 reads a bare off as false
    assert config.waivers[0].subject == "inspektorat"


@pytest.mark.parametrize(("written", "read"), [("tik", "ict"), ("Kesehatan", "health"), ("Pendidikan", "education")])
def test_a_sector_written_in_indonesian_is_read_as_its_id(written: str, read: str) -> None:
    data = clean_data()
    data["opds"][0]["sector"] = written
    plan = scm.Masterplan.from_dict(data)
    assert plan.opds[0].sector == read
    assert "unknown-sector" not in {finding.code for finding in scm.check(plan).findings}


def test_an_unknown_sector_suggests_the_closest_id() -> None:
    data = clean_data()
    data["opds"][0]["sector"] = "helth"
    (finding,) = scm.check(scm.Masterplan.from_dict(data)).select(code="unknown-sector")
    assert "did you mean 'health'?" in finding.message


def test_every_sector_is_documented_with_its_names() -> None:
    doc = (Path(__file__).parents[1] / "docs" / "checks.md").read_text(encoding="utf-8")
    for sector in SECTORS.values():
        assert f"| `{sector.id}` | {sector.name_en} | {sector.name_id} |" in doc


def test_an_unknown_sector_written_in_indonesian_suggests_the_sector_meant() -> None:
    data = clean_data()
    data["opds"][0]["sector"] = "kesehatann"
    (finding,) = scm.check(scm.Masterplan.from_dict(data)).select(code="unknown-sector")
    assert "did you mean 'health'?" in finding.message
    assert "smartcity framework --sectors" in finding.message


def test_every_slip_in_checks_yaml_is_named_at_once_with_the_name_meant(tmp_path: Path) -> None:
    path = tmp_path / "checks.yaml"
    path.write_text(
        "severity:\n  element-without-indicatr: off\n  opd-leads-nothing: loud\n"
        "thresholds:\n  max_lead_shar: 0.3\nwaivers:\n  - {code: opd-leads-nothin, reason: x}\n",
        encoding="utf-8",
    )
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load_check_config(path)
    found = {(p.line, p.code, p.field): p.message for p in caught.value.problems}
    assert set(found) == {
        (2, "invalid-choice", "severity.element-without-indicatr"),
        (3, "invalid-choice", "severity.opd-leads-nothing"),
        (5, "unknown-field", "thresholds.max_lead_shar"),
        (7, "invalid-choice", "waivers.0.code"),
    }
    code = found[2, "invalid-choice", "severity.element-without-indicatr"]
    assert "(did you mean 'element-without-indicator'?)" in code
    assert "'error', 'warning', 'info' or 'off'" in found[3, "invalid-choice", "severity.opd-leads-nothing"]
    assert "(did you mean 'max_lead_share'?)" in found[5, "unknown-field", "thresholds.max_lead_shar"]
    assert "(did you mean 'opd-leads-nothing'?)" in found[7, "invalid-choice", "waivers.0.code"]


def test_findings_are_grouped_errors_first_with_their_severity_in_the_language_chosen() -> None:
    data = clean_data()
    _set("brd-a", depends_on=["eco-a"])(data)
    _set("eco-a", depends_on=["brd-a"])(data)
    for indicator in data["indicators"]:
        indicator["custodian"] = None
    report = scm.check(scm.Masterplan.from_dict(data))
    heads = [line.split()[0] for line in str(report).splitlines()[1:] if not line.startswith(" ")]
    assert heads == sorted(heads, key=["error", "warning", "info"].index)
    assert heads[0] == "error"
    with scm.use_language("id"):
        heads_id = [line.split()[0] for line in str(report).splitlines()[1:] if not line.startswith(" ")]
    assert heads_id[0] == "kesalahan"
    assert "error" not in heads_id
