"""Many plans at once: a synthetic country, loaded in parallel, every failure located, nothing dropped."""

from __future__ import annotations

import os
import pickle
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import smartcity_model as scm
from smartcity_model.io import many

Snapshot = Callable[[Path], dict[str, bytes]]
SIZES = {"provinces": 3, "regions": 10, "initiatives": 12, "opds": 25, "indicators": 36, "years": 4}


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic country, written once (tests copy it before changing anything)."""
    root = tmp_path_factory.mktemp("country")
    scm.write_synthetic_country(root, seed=7, **SIZES)
    return root


@pytest.fixture
def tree(country: Path, tmp_path: Path) -> Path:
    """A copy of the synthetic country that a test may break."""
    return Path(shutil.copytree(country, tmp_path / "country"))


def test_the_synthetic_country_has_the_sizes_asked_for(country: Path) -> None:
    paths = scm.find_plans(country)
    assert len(paths) == SIZES["regions"]
    assert len({path.parent for path in paths}) == SIZES["provinces"]
    plan = scm.load(paths[0])
    assert (len(plan.initiatives), len(plan.opds), len(plan.indicators)) == (12, 25, 36)
    assert plan.region.parent == paths[0].parent.name
    assert {o.year for o in plan.observations} <= {2021, 2022, 2023, 2024}
    assert "Sintetis" in plan.region.name  # labelled as illustrative


def test_the_same_seed_writes_the_same_bytes(country: Path, tmp_path: Path, snapshot: Snapshot) -> None:
    scm.write_synthetic_country(tmp_path / "again", seed=7, **SIZES)
    scm.write_synthetic_country(tmp_path / "other", seed=8, **SIZES)
    assert snapshot(tmp_path / "again") == snapshot(country)
    assert snapshot(tmp_path / "other") != snapshot(country)


def test_the_synthetic_country_refuses_impossible_sizes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="provinces <= regions"):
        scm.write_synthetic_country(tmp_path, provinces=5, regions=3)


def test_parallel_loading_gives_exactly_the_plans_of_one_by_one_loading(country: Path) -> None:
    parallel = scm.load_many(country, workers=2)
    serial = scm.load_many(country, workers=1)
    assert parallel.ok
    assert list(parallel) == list(serial)
    assert len(parallel) == SIZES["regions"]
    for region, path in parallel.paths.items():
        assert parallel[region] == serial[region] == scm.load(path)


@pytest.mark.parametrize("workers", [1, 2])
def test_every_bad_plan_is_reported_and_none_hides_the_others(tree: Path, workers: int) -> None:
    first, second, *_ = scm.find_plans(tree)
    (first / "opds.yaml").write_text("- id: dinkes\n  name: [unclosed\n", encoding="utf-8")
    initiatives = (second / "initiatives.yaml").read_text(encoding="utf-8")
    (second / "initiatives.yaml").write_text(initiatives.replace("lead: ", "lead: x", 1), encoding="utf-8")
    plans = scm.load_many(tree, workers=workers)
    assert not plans.ok
    assert len(plans) == SIZES["regions"] - 2
    assert set(plans.errors) == {first, second}
    assert plans.errors[first].codes == {"syntax-error": 1}
    assert plans.errors[second].codes == {"dangling-reference": 1}
    (problem,) = plans.errors[second].problems
    assert problem.file == str(second / "initiatives.yaml")
    assert problem.line is not None
    with pytest.raises(scm.MasterplanError) as caught:
        plans.raise_for_errors()
    assert "2 of 10 plans did not load" in str(caught.value)
    assert len(caught.value.problems) == 2


def test_a_province_is_not_scored_while_one_of_its_plans_failed(tree: Path) -> None:
    broken = scm.find_plans(tree)[0]
    (broken / "masterplan.yaml").write_text("region: [\n", encoding="utf-8")
    plans = scm.load_many(tree, workers=1)
    province = next(iter(plans.provinces()))
    with pytest.raises(scm.MasterplanError, match="pass allow_failed=True"):
        plans.roll_up_province(province)
    with pytest.warns(scm.PlanWarning, match=r"1 plan that did not load is left out"):
        result = plans.roll_up_province(province, allow_failed=True, missing="locf")
    assert set(result.regions.units["region"]) == set(plans.provinces()[province])


def test_a_province_is_scored_from_its_own_plans(country: Path) -> None:
    plans = scm.load_many(country, workers=1)
    grouped = plans.provinces()
    assert len(grouped) == SIZES["provinces"]
    province = sorted(str(name) for name in grouped)[1]
    result = plans.roll_up_province(province, missing="locf")
    assert set(result.regions.units["region"]) == set(grouped[province])
    expected = scm.roll_up_province([plans[region] for region in grouped[province]], missing="locf")
    assert result.province.equals(expected.province)
    with pytest.raises(ValueError, match="name the one to roll up"):
        plans.roll_up_province()
    with pytest.raises(scm.UnknownIdError, match="no province with id 'provinsi-sintetis-1'"):
        plans.roll_up_province("provinsi-sintetis-1")


def test_two_plans_for_one_region_are_a_problem(tree: Path) -> None:
    original = scm.find_plans(tree)[0]
    copy = Path(shutil.copytree(original, tree / "zz-copy" / original.name))
    plans = scm.load_many(tree, workers=1)
    assert plans.paths[scm.load(original).region.id] == original
    assert plans.errors[copy].codes == {"duplicate-plan": 1}
    assert str(original) in str(plans.errors[copy])


def test_files_outside_any_plan_folder_are_named_not_ignored(tree: Path) -> None:
    (tree / "regions.yaml").write_text("- x\n", encoding="utf-8")
    (tree / ".git").mkdir()
    (tree / ".git" / "config.yaml").write_text("x: 1\n", encoding="utf-8")
    with pytest.warns(scm.PlanWarning, match=r"1 file or folder under .* is not read: .*regions\.yaml$"):
        plans = scm.load_many(tree, workers=1)
    assert len(plans) == SIZES["regions"]


def test_a_folder_without_plans_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(scm.PlanNotFoundError, match="no masterplans under"):
        scm.load_many(tmp_path / "empty")
    with pytest.raises(scm.PlanNotFoundError, match="no such file or folder"):
        scm.load_many(tmp_path / "missing")


def test_a_list_of_paths_loads_those_plans_and_reports_any_that_is_not_one(country: Path, tmp_path: Path) -> None:
    paths = scm.find_plans(country)[:2]
    plans = scm.load_many([*paths, tmp_path / "nothing"], workers=1)
    assert len(plans) == 2
    assert plans.errors[tmp_path / "nothing"].codes == {"file-unreadable": 1}


def test_each_plan_is_checked_with_the_checks_file_beside_it(tree: Path) -> None:
    plans = scm.load_many(tree, workers=1)
    reports = plans.check()
    region = next(region for region, report in reports.items() if report.findings)
    code = reports[region].findings[0].code
    (plans.paths[region] / scm.CHECKS_FILE).write_text(f"severity: {{{code}: 'off'}}\n", encoding="utf-8")
    again = plans.check()
    assert code not in {finding.code for finding in again[region].findings}
    assert again.keys() == reports.keys()


@pytest.mark.parametrize("workers", [0, -1, 1.5, True])
def test_workers_must_be_a_positive_whole_number(country: Path, workers: object) -> None:
    with pytest.raises(ValueError, match="workers must be a whole number"):
        scm.load_many(country, workers=workers)  # type: ignore[arg-type]


def test_no_progress_bar_is_drawn_when_standard_error_is_not_a_terminal(
    country: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scm.load_many(country, workers=1)
    assert capsys.readouterr().err == ""


def test_a_loading_error_survives_the_trip_from_a_worker_process(plan_folder: Path) -> None:
    (plan_folder / "opds.yaml").write_text("- id: x\n  name: [\n", encoding="utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    copy = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 - our own bytes
    assert copy.problems == caught.value.problems
    assert str(copy) == str(caught.value)


def test_a_progress_bar_is_drawn_on_a_terminal(country: Path) -> None:
    pty = pytest.importorskip("pty")
    code = f"import smartcity_model as scm; scm.load_many({str(country)!r}, workers=2)"
    pid, descriptor = pty.fork()
    if pid == 0:  # the child runs on the pseudo-terminal
        os.execv(sys.executable, [sys.executable, "-c", code])  # noqa: S606 - our own interpreter
    drawn = b""
    while True:
        try:
            chunk = os.read(descriptor, 4096)
        except OSError:  # the terminal closes when the child exits
            break
        if not chunk:
            break
        drawn += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, drawn
    assert b"Loading plans" in drawn
    assert b"100%" in drawn


def _die(paths: list[str]) -> list[object]:  # noqa: ARG001 - stands in for the worker's task
    os._exit(3)


def test_workers_that_die_fall_back_to_loading_here(country: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(many, "_load_chunk", _die)
    with pytest.warns(scm.PlanWarning, match="could not be loaded in parallel processes"):
        plans = scm.load_many(country, workers=2)
    assert plans.ok
    assert len(plans) == SIZES["regions"]


def test_part_files_beside_plan_folders_are_stray_and_hide_no_plan(tree: Path) -> None:
    (tree / "observations.csv").write_text("indicator,year,value\n", encoding="utf-8")
    province = scm.find_plans(tree)[0].parent
    (province / "opds.yaml").write_text("[]\n", encoding="utf-8")
    with pytest.warns(scm.PlanWarning, match=r"2 files or folders under .* are not read") as caught:
        plans = scm.load_many(tree, workers=1)
    assert len(plans) == SIZES["regions"]
    assert plans.ok
    message = str(caught[0].message)
    assert str(tree / "observations.csv") in message
    assert str(province / "opds.yaml") in message


def test_linked_folders_are_followed_once_and_hidden_or_nested_plans_are_named(tree: Path, tmp_path: Path) -> None:
    first, second, *_ = scm.find_plans(tree)
    outside = Path(shutil.move(str(first), tmp_path / "elsewhere"))
    (tree / "linked").symlink_to(outside, target_is_directory=True)
    (tree / "loop").symlink_to(tree, target_is_directory=True)  # a loop back to the top
    nested = Path(shutil.move(str(second), outside / "inner"))  # a plan inside another plan folder
    hidden = tree / ".arsip"
    shutil.copytree(nested, hidden / "lama")
    with pytest.warns(scm.PlanWarning) as caught:
        plans = scm.load_many(tree, workers=1)
    assert plans.paths[scm.load(outside).region.id] == tree / "linked"
    assert len(plans) == SIZES["regions"] - 1
    message = str(caught[0].message)
    assert str(tree / "linked" / "inner") in message
    assert str(hidden / "lama") in message


def test_a_synthetic_country_is_written_only_into_an_empty_folder(country: Path) -> None:
    with pytest.raises(FileExistsError, match="is not empty"):
        scm.write_synthetic_country(country, provinces=1, regions=1)


@pytest.mark.parametrize("sizes", [{"opds": 1}, {"indicators": 0}, {"initiatives": 0}])
def test_a_synthetic_plan_of_any_small_size_is_valid(sizes: dict[str, int]) -> None:
    plan = scm.synthetic_plan(**sizes)
    assert plan == scm.synthetic_plan(**sizes)
