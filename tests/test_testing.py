"""The testing toolkit: strategies (dogfooded), assertions, and the pytest plugin."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytest_smartcity
import smartcity_model as scm
from smartcity_model.testing import (
    DEFECTS,
    DefectivePlan,
    assert_consistent,
    assert_readiness,
    defective_masterplans,
    frameworks,
    indicators,
    initiatives,
    masterplans,
    observations,
    opds,
)

ROOT = Path(__file__).parents[1]
CLEAN = Path(__file__).parent / "data" / "clean.yaml"
SLOW = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


# ------------------------------------------------------------------------- strategies


@SLOW
@given(plan=masterplans())
def test_generated_plans_round_trip_and_pass_their_own_checks(plan: scm.Masterplan) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        assert scm.load(scm.dump(plan, Path(tmp) / "plan")) == plan
    assert scm.Masterplan.model_validate(plan.model_dump()) == plan
    report = scm.check(plan)
    assert report.ok, str(report)


@SLOW
@given(plan=masterplans(opds=(1, 2), indicators=(0, 2), initiatives=(0, 1), years=(1, 2)))
def test_size_knobs_hold_down_to_the_framework_minimum(plan: scm.Masterplan) -> None:
    dimensions = len(plan.framework.dimensions)
    assert len(plan.opds) <= 2
    assert len(plan.indicators) == max(dimensions, len(plan.indicators))
    assert len(plan.initiatives) >= dimensions
    assert plan.period.end - plan.period.start + 1 <= 2


@pytest.mark.parametrize("defect", DEFECTS)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_every_injected_defect_is_found_with_its_code(defect: str, data: st.DataObject) -> None:
    defective: DefectivePlan = data.draw(defective_masterplans(defect))
    if defective.stage == "load":
        with pytest.raises(scm.MasterplanError) as caught:
            scm.Masterplan.from_dict(defective.data)
        assert defect in caught.value.codes
        assert defective.subject in {p.id for p in caught.value.problems if p.code == defect}
    else:
        report = scm.check(scm.Masterplan.from_dict(defective.data))
        found = report.select(code=defect)
        assert found, str(report)
        if defective.subject is not None:
            assert defective.subject in {f.subject_id for f in found}


def test_unknown_defect_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot inject 'typo'"):
        defective_masterplans("typo")


@SLOW
@given(plan=masterplans(), method=st.sampled_from(["arithmetic", "geometric", "minimum"]))
def test_roll_up_properties_hold_on_generated_plans(plan: scm.Masterplan, method: str) -> None:
    if not plan.observations:
        with pytest.raises(scm.ScoringError, match="nothing to score"):
            scm.roll_up(plan)
        return
    sink = {"nonpositive": "zero"} if method == "geometric" else {}
    result = scm.roll_up(plan, aggregation=method, min_coverage=0.0, **sink)  # type: ignore[arg-type]  # a valid name
    scores = result.scores["score"].dropna()
    assert scores.between(0, 100).all()
    top = result.scores.query("level == 'overall'").set_index(["region", "year"])["score"].dropna()
    sums = result.contributions().groupby(["region", "year"])["contribution"].sum()
    assert np.allclose(sums.reindex(top.index).to_numpy(), top.to_numpy(), atol=1e-9)


@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_part_strategies_make_valid_objects(data: st.DataObject) -> None:
    framework = data.draw(frameworks())
    opd = data.draw(opds(opd_id="dinkes"))
    indicator = data.draw(indicators(framework, custodians=["dinkes"]))
    initiative = data.draw(initiatives(["dinkes", "bappeda"], framework, indicator_ids=[indicator.id]))
    observation = data.draw(observations(indicator, [2022, 2023]))
    assert opd.id == "dinkes"
    assert framework.has_element(indicator.element)
    assert all(framework.has_element(e) for e in initiative.elements)
    assert indicator.value_bounds.contains(observation.value)


# -------------------------------------------------------------------------- assertions


def test_assert_consistent_passes_and_allows() -> None:
    assert_consistent(CLEAN)
    data = scm.load(CLEAN).model_dump()
    data["initiatives"][0]["depends_on"] = [data["initiatives"][0]["id"]]
    assert_consistent(scm.Masterplan.model_validate(data), allow=["dependency-cycle"])


def test_assert_consistent_message_lists_findings_with_hints() -> None:
    data = scm.load(CLEAN).model_dump()
    data["initiatives"][4]["depends_on"] = ["liv-b"]
    with pytest.raises(AssertionError) as caught:
        assert_consistent(scm.Masterplan.model_validate(data))
    message = str(caught.value)
    assert message.splitlines()[0] == "Kota Bersih 2024-2033: 1 finding at error level or worse"
    assert "starts-before-prerequisite-ends initiative 'eco-a'" in message
    assert "hint: Start it after the prerequisite ends" in message


def test_assert_consistent_fail_on_warning() -> None:
    data = scm.load(CLEAN).model_dump()
    data["initiatives"][0]["budget"] = []
    plan = scm.Masterplan.model_validate(data)
    assert_consistent(plan)
    with pytest.raises(AssertionError, match="initiative-without-budget"):
        assert_consistent(plan, fail_on="warning")


def test_assert_readiness() -> None:
    assert_readiness(CLEAN, "environment", at_least=40, year=2023)
    with pytest.raises(AssertionError) as caught:
        assert_readiness(CLEAN, "environment", at_least=60)
    lines = str(caught.value).splitlines()
    assert lines[0] == "'environment' scores 40.0 in 2023, below 60"
    assert lines[1].startswith("  scores that year: governance 40.0")
    assert lines[2].startswith("  weakest indicators (score, weight): i-")
    with pytest.raises(AssertionError, match="no score in 2030"):
        assert_readiness(CLEAN, "overall", at_least=1, year=2030)


# ---------------------------------------------------------------------------- plugin

pytest_plugins = ["pytester"]


def _plan_project(pytester: pytest.Pytester, *, ini: str = "") -> Path:
    scm.dump(scm.load(CLEAN), pytester.path / "plan")
    pytester.makeini(f"[pytest]\n{ini}")
    return pytester.path / "plan"


def test_plugin_collects_one_item_per_family(pytester: pytest.Pytester) -> None:
    _plan_project(pytester)
    result = pytester.runpytest("-v", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1 + len(pytest_smartcity.FAMILIES))
    result.stdout.fnmatch_lines(["*plan/masterplan.yaml::load PASSED*", "*plan/masterplan.yaml::configuration PASSED*"])


def test_plugin_failure_shows_codes_subjects_and_hints(pytester: pytest.Pytester) -> None:
    plan = _plan_project(pytester)
    text = (
        (plan / "initiatives.yaml")
        .read_text(encoding="utf-8")
        .replace("depends_on: [brd-a]", "depends_on: [brd-a, soc-b]")
    )
    (plan / "initiatives.yaml").write_text(text, encoding="utf-8")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=len(pytest_smartcity.FAMILIES), failed=1)
    result.stdout.fnmatch_lines(
        [
            "*masterplan plan::schedule*",
            "*starts-before-prerequisite-ends initiative 'eco-a': starts in 2027*",
            "*hint: Start it after the prerequisite ends*",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_plugin_reports_loading_problems_and_skips_the_checks(pytester: pytest.Pytester) -> None:
    plan = _plan_project(pytester)
    (plan / "opds.yaml").write_text("- id: dinkes\n  name: [\n", encoding="utf-8")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1, skipped=len(pytest_smartcity.FAMILIES))
    result.stdout.fnmatch_lines(["*opds.yaml:3*syntax-error*"])


def test_plugin_fail_on_and_single_file_patterns(pytester: pytest.Pytester) -> None:
    data = scm.load(CLEAN).model_dump()
    data["initiatives"][0]["budget"] = []
    (pytester.path / "plans").mkdir()
    scm.dump(scm.Masterplan.model_validate(data), pytester.path / "plans" / "kota.yaml")
    pytester.makeini("[pytest]\nsmartcity_plans = plans/*.yaml\n")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1 + len(pytest_smartcity.FAMILIES))
    strict = pytester.runpytest("-p", "no:cacheprovider", "--smartcity-fail-on", "warning")
    strict.assert_outcomes(passed=len(pytest_smartcity.FAMILIES), failed=1)
    assert pytester.runpytest("-p", "no:cacheprovider", "--no-smartcity").ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_plugin_rejects_a_bad_fail_on_setting(pytester: pytest.Pytester) -> None:
    _plan_project(pytester, ini="smartcity_fail_on = sometimes")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.stderr.fnmatch_lines(["*smartcity_fail_on must be one of error, warning, info*"])


def test_plugin_fixtures(pytester: pytest.Pytester) -> None:
    _plan_project(pytester)
    pytester.makepyfile(
        test_custom="""
        def test_paths_and_loader(masterplan_paths, load_masterplan):
            assert [p.name for p in masterplan_paths] == ["plan"]
            plan = load_masterplan(masterplan_paths[0])
            assert load_masterplan("plan") is plan
            assert plan.region.id == "kota-bersih"
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2 + len(pytest_smartcity.FAMILIES))


def test_plugin_families_are_the_check_families() -> None:
    assert tuple(family.value for family in scm.checks.Family) == pytest_smartcity.FAMILIES


def test_plugin_imports_nothing_heavy() -> None:
    heavy = "('pandas', 'networkx', 'hypothesis', 'smartcity_model')"
    code = f"import sys, pytest_smartcity; print(sorted(m for m in {heavy} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603 - fixed code
    assert result.stdout.strip() == "[]"


def test_testing_without_hypothesis_names_the_install_command() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "import pytest_smartcity, smartcity_model\n"
        "try:\n    import smartcity_model.testing\nexcept ImportError as e:\n    print(e)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603 - fixed code
    assert result.stdout.strip() == 'smartcity_model.testing needs hypothesis: pip install "smartcity-model[testing]"'


def test_example_masterplan_repository_passes(tmp_path: Path) -> None:
    repo = shutil.copytree(ROOT / "examples" / "masterplan-repo", tmp_path / "repo")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{1 + len(pytest_smartcity.FAMILIES) + 3} passed" in result.stdout
    assert (repo / ".github" / "workflows" / "masterplan.yml").is_file()
