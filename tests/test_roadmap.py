"""The roadmap: schedule analysis (CPM), what-if, expected effects and prioritisation under a budget."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import smartcity_model as scm
from smartcity_model.cli import main
from smartcity_model.cli_roadmap import parse_amount
from smartcity_model.roadmap import yearly_budget
from smartcity_model.testing import masterplans

#: A hand-built roadmap: A → B → C is the critical chain (each starts the year the previous ends),
#: D waits on A, F on D, and E stands alone. Every initiative spends in one year.
_ROADMAP = {
    "A": {"years": (2024, 2025), "after": [], "spend": (2024, 100)},
    "B": {"years": (2025, 2027), "after": ["A"], "spend": (2025, 100)},
    "C": {"years": (2027, 2033), "after": ["B"], "spend": (2027, 100)},
    "D": {"years": (2025, 2026), "after": ["A"], "spend": (2025, 100)},
    "E": {"years": (2024, 2026), "after": [], "spend": (2024, 100)},
    "F": {"years": (2030, 2031), "after": ["D"], "spend": (2030, 50)},
}
_GAINS = {"A": 1.0, "B": 1.0, "C": 10.0, "D": 3.0, "E": 2.0, "F": 3.0}
_GAINS_BY_ID = {name.lower(): gain for name, gain in _GAINS.items()}


def _plan(plan_data: dict[str, Any], **changes: dict[str, Any]) -> scm.Masterplan:
    """The minimal plan with the hand-built initiatives (ids a..f), each changed by ``changes``."""
    initiatives = []
    for name, spec in _ROADMAP.items():
        year, amount = spec["spend"]
        item = {
            "id": name.lower(),
            "name": f"Initiative {name}",
            "lead": "diskominfo",
            "elements": ["bureaucracy"],
            "start_year": spec["years"][0],
            "end_year": spec["years"][1],
            "depends_on": [dep.lower() for dep in spec["after"]],
            "budget": [{"year": year, "amount": amount, "source": "apbd"}],
        }
        item.update(changes.get(name, {}))
        initiatives.append(item)
    return scm.Masterplan.model_validate({**plan_data, "initiatives": initiatives})


def _row(table: pd.DataFrame, name: str) -> pd.Series:
    return table.set_index("initiative").loc[name.lower()]


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        # initiative: earliest start, earliest finish, latest start, latest finish, slack
        (
            "planned",
            {
                "A": (2024, 2025, 2024, 2025, 0),
                "B": (2025, 2027, 2025, 2027, 0),
                "C": (2027, 2033, 2027, 2033, 0),
                "D": (2025, 2026, 2031, 2032, 6),
                "E": (2024, 2026, 2031, 2033, 7),
                "F": (2030, 2031, 2032, 2033, 2),
            },
        ),
        (
            "earliest",
            {
                "A": (2024, 2025, 2024, 2025, 0),
                "B": (2025, 2027, 2025, 2027, 0),
                "C": (2027, 2033, 2027, 2033, 0),
                "D": (2025, 2026, 2031, 2032, 6),
                "E": (2024, 2026, 2031, 2033, 7),
                "F": (2026, 2027, 2032, 2033, 6),
            },
        ),
    ],
)
def test_a_hand_built_schedule_is_computed_exactly(
    plan_data: dict[str, Any], anchor: scm.roadmap.Anchor, expected: dict[str, tuple[int, ...]]
) -> None:
    table = scm.schedule(_plan(plan_data), anchor=anchor)
    columns = ["earliest_start", "earliest_finish", "latest_start", "latest_finish", "slack"]
    found = {name: tuple(int(v) for v in _row(table, name)[columns]) for name in expected}
    assert found == expected
    assert scm.critical_paths(table) == [("a", "b", "c")]
    assert list(table.columns) == list(scm.roadmap.SCHEDULE_COLUMNS)


def test_a_chain_longer_than_the_period_moves_the_deadline_and_keeps_slack_non_negative(
    plan_data: dict[str, Any],
) -> None:
    plan = _plan(plan_data, B={"start_year": 2026, "end_year": 2030})
    table = scm.schedule(plan)
    assert int(_row(table, "C")["earliest_finish"]) == 2036  # C waits until B ends in 2030
    assert table.attrs["deadline"] == 2036
    assert int(table["slack"].min()) == 0
    assert scm.critical_paths(table) == [("b", "c")]


def test_a_slip_moves_the_followers_and_a_drop_blocks_them(plan_data: dict[str, Any]) -> None:
    plan = _plan(plan_data)
    slipped = scm.schedule(plan, slip={"a": 2})
    assert [int(_row(slipped, n)["delay"]) for n in "ABCDEF"] == [2, 2, 2, 2, 0, 0]
    dropped = scm.schedule(plan, drop=["d"])
    assert list(dropped["blocked_by"]) == [None, None, None, "d", None, "d"]
    assert dropped.set_index("initiative").loc[["d", "f"], "earliest_start"].isna().all()


def test_a_cancelled_initiative_is_out_like_a_dropped_one(plan_data: dict[str, Any]) -> None:
    table = scm.schedule(_plan(plan_data, D={"status": "cancelled"}))
    assert _row(table, "F")["blocked_by"] == "d"


def test_a_cycle_unknown_ids_and_fractional_slips_are_refused(plan_data: dict[str, Any]) -> None:
    plan = _plan(plan_data, A={"depends_on": ["c"]})
    with pytest.raises(scm.RoadmapError, match="cycle"):
        scm.schedule(plan)
    with pytest.raises(scm.RoadmapError, match=r"drop: the plan has no initiative 'dd'"):
        scm.schedule(_plan(plan_data), drop=["dd"])
    with pytest.raises(scm.RoadmapError, match="whole years"):
        scm.schedule(_plan(plan_data), slip={"a": 1.5})  # type: ignore[dict-item]
    with pytest.raises(scm.RoadmapError, match="anchor"):
        scm.schedule(_plan(plan_data), anchor="soon")  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=masterplans(initiatives=(1, 12)), anchor=st.sampled_from(["planned", "earliest"]))
def test_slack_is_never_negative_and_no_initiative_starts_before_its_prerequisites_end(
    plan: scm.Masterplan, anchor: scm.roadmap.Anchor
) -> None:
    table = scm.schedule(plan, anchor=anchor).set_index("initiative")
    live = table.dropna(subset=["earliest_start"])
    assert (live["slack"] >= 0).all()
    assert (live["earliest_finish"] <= live["latest_finish"]).all()
    assert (live["latest_finish"] <= table.attrs["deadline"]).all()
    for initiative in plan.initiatives:
        if initiative.id not in live.index:
            continue
        start = live.loc[initiative.id, "earliest_start"]
        if anchor == "planned":
            assert start >= plan.schedule(initiative)[0]
        for dep in initiative.depends_on:
            if dep != initiative.id:
                assert start >= live.loc[dep, "earliest_finish"]
                assert live.loc[dep, "latest_finish"] <= live.loc[initiative.id, "latest_start"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=masterplans(initiatives=(1, 10)), data=st.data())
def test_a_slip_never_brings_anything_forward_nor_moves_it_further_than_the_slip(
    plan: scm.Masterplan, data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from([initiative.id for initiative in plan.initiatives]))
    years = data.draw(st.integers(1, min(4, plan.period.end - plan.period.start + 1)))
    before = scm.schedule(plan)
    after = scm.schedule(plan, slip={name: years})
    shift = (after["earliest_start"] - before["earliest_start"]).dropna()
    assert shift.between(0, years).all()
    mine = before.set_index("initiative").loc[name]
    if pd.notna(mine["earliest_start"]):  # its own prerequisites may already hold it up by ``delay``
        moved = after.set_index("initiative").loc[name, "earliest_start"] - mine["earliest_start"]
        assert moved == max(0, years - int(mine["delay"]))


def test_target_years_follow_expected_values_and_the_initiatives_ends(plan_data: dict[str, Any]) -> None:
    plan = scm.Masterplan.model_validate(plan_data)
    targets = scm.target_years(plan).set_index(["indicator", "target_year"])
    # qw-01 expects 55 in 2025, below the 2026 target of 70: the target waits on its end, 2025.
    assert targets.loc[("liv-referral", 2026), "basis"] == "not reached"
    assert targets.loc[("gov-spbe", 2030), "basis"] == "finish"
    later = scm.schedule(plan, slip={"sh-01": 3})
    slipped = scm.target_years(plan, later).set_index(["indicator", "target_year"])
    # sh-01 already waits a year on qw-01: a slip of 3 from its planned start puts it off by 2 more.
    assert slipped.loc[("gov-spbe", 2030), "earliest_year"] == _row(later, "sh-01")["earliest_finish"]
    assert slipped.loc[("gov-spbe", 2030), "earliest_year"] == targets.loc[("gov-spbe", 2030), "earliest_year"] + 2


def test_a_stated_value_that_reaches_the_target_sets_its_year(plan_data: dict[str, Any]) -> None:
    plan_data["initiatives"][0]["indicators"] = [{"indicator": "liv-referral", "expected": {2025: 60, 2026: 72}}]
    plan = scm.Masterplan.model_validate(plan_data)
    row = scm.target_years(plan).set_index(["indicator", "target_year"]).loc[("liv-referral", 2026)]
    assert (row["earliest_year"], row["basis"], row["initiatives"], row["late_by"]) == (2026, "expected", "qw-01", 0)
    late = scm.target_years(plan, scm.schedule(plan, slip={"qw-01": 2})).set_index(["indicator", "target_year"])
    assert late.loc[("liv-referral", 2026), "late_by"] == 2


def test_dimension_target_years_wait_for_their_latest_indicator(example_plan: scm.Masterplan) -> None:
    targets = scm.target_years(example_plan)
    dimensions = scm.dimension_target_years(targets)
    for row in dimensions.to_dict("records"):
        mine = targets[(targets["dimension"] == row["dimension"]) & (targets["target_year"] == row["target_year"])]
        assert row["indicators"] == len(mine)
        if mine["earliest_year"].isna().any():
            assert pd.isna(row["earliest_year"])
            assert set(row["unmet"].split(", ")) == set(mine.loc[mine["earliest_year"].isna(), "indicator"])
        else:
            assert row["earliest_year"] == mine["earliest_year"].max()


def test_expected_gains_go_up_the_structure_with_its_weights(plan_data: dict[str, Any]) -> None:
    plan = scm.Masterplan.model_validate(plan_data)
    links = scm.indicator_effects(plan).set_index(["initiative", "indicator"])
    # liv-referral: goalposts 0-100, baseline 40, qw-01 expects 55 → 15 points, moved by qw-01 alone.
    assert links.loc[("qw-01", "liv-referral"), "points"] == pytest.approx(15.0)
    assert links.loc[("qw-01", "liv-referral"), "basis"] == "expected"
    # gov-spbe: goalposts 1-5, baseline 2.5, target 4 → 37.5 points, the only indicator of sh-01.
    assert links.loc[("sh-01", "gov-spbe"), "points"] == pytest.approx(37.5)
    effects = scm.expected_effects(plan).set_index("initiative")
    structure = scm.scoring.Structure.from_plan(plan)
    weights, nodes = scm.roadmap.effective_weights(structure, "dimension")
    column = structure.indicators.index("gov-spbe")
    assert effects.loc["sh-01", "governance"] == pytest.approx(37.5 * weights[column, nodes.index("governance")])
    overall, _ = scm.roadmap.effective_weights(structure, "overall")
    assert effects.loc["sh-01", "gain"] == pytest.approx(37.5 * overall[column, 0])
    assert effects.loc["qw-01", "gain_per_billion"] == pytest.approx(effects.loc["qw-01", "gain"] / 0.15)


def test_initiatives_moving_one_indicator_share_its_change(plan_data: dict[str, Any]) -> None:
    plan_data["initiatives"][1]["indicators"] = ["gov-spbe", "liv-referral"]
    links = scm.indicator_effects(scm.Masterplan.model_validate(plan_data)).set_index(["initiative", "indicator"])
    assert links.loc[("qw-01", "liv-referral"), "share"] == 0.5
    # sh-01 states nothing: it counts toward the last target, 95.
    assert links.loc[("sh-01", "liv-referral"), "points"] == pytest.approx((95 - 40) / 2)


def test_an_indicator_without_baseline_brings_nothing_and_says_so(plan_data: dict[str, Any]) -> None:
    del plan_data["indicators"][1]["baseline"]
    plan_data["observations"] = [o for o in plan_data["observations"] if o["indicator"] != "gov-spbe"]
    plan = scm.Masterplan.model_validate(plan_data)
    with pytest.warns(scm.scoring.ScoringWarning, match=r"'gov-spbe'.*no baseline"):
        effects = scm.expected_effects(plan).set_index("initiative")
    assert effects.loc["sh-01", "gain"] == 0


def test_the_readiness_path_rises_as_initiatives_deliver_and_a_drop_lowers_it(example_plan: scm.Masterplan) -> None:
    path = scm.readiness_path(example_plan)
    overall = path[path["level"] == "overall"].set_index("year")["readiness"]
    assert overall.is_monotonic_increasing  # every gain of the example is positive
    dropped = scm.readiness_path(example_plan, scm.schedule(example_plan, drop=["md-04"]))
    lower = dropped[dropped["level"] == "overall"].set_index("year")["readiness"]
    gain = scm.expected_effects(example_plan).set_index("initiative").loc["md-04", "gain"]
    assert overall.iloc[-1] - lower.iloc[-1] == pytest.approx(gain)


def test_what_if_reports_what_moves_and_the_levels_reached_later(example_plan: scm.Masterplan) -> None:
    change = scm.what_if(example_plan, slip={"sh-01": 2})
    assert list(change.moved["initiative"]) == ["sh-01", "sh-03", "sh-04"]
    assert (change.moved["shift"] == 2).all()
    assert set(change.targets["indicator"]) == {"gov-spbe", "gov-sakip", "eco-noncash-revenue"}
    assert (change.path["change"] <= 1e-9).all()
    assert any("sh-01 (+2)" in line for line in change.summary())
    dropped = scm.what_if(example_plan, drop=["md-08"])
    assert set(dropped.moved["initiative"]) == {"md-07", "md-08", "lg-02"}
    lost = dropped.reach[dropped.reach["year_after"].isna() & dropped.reach["year_before"].notna()]
    assert set(lost["node"]) >= {"society"}
    assert scm.what_if(example_plan).summary() == ["nothing changes"]


# ------------------------------------------------------------------------------ prioritise


@pytest.mark.parametrize("method", ["exact", "greedy"])
def test_a_hand_built_selection_is_optimal(plan_data: dict[str, Any], method: Literal["exact", "greedy"]) -> None:
    result = scm.prioritise(_plan(plan_data), 100, gains=_GAINS_BY_ID, method=method)
    assert result.chosen == ("a", "b", "c")
    assert result.gain == pytest.approx(12.0)
    reasons = result.table.set_index("initiative")["reason"]
    assert reasons[["d", "e", "f"]].tolist() == ["budget", "budget", "prerequisite-cut"]
    assert result.bound >= result.gain
    if method == "exact":
        assert result.gap == pytest.approx(0.0)


def test_a_budget_with_room_for_all_keeps_all(plan_data: dict[str, Any]) -> None:
    result = scm.prioritise(_plan(plan_data), dict.fromkeys(range(2024, 2034), 200), gains=_GAINS_BY_ID)
    assert result.chosen == ("a", "b", "c", "d", "e", "f")
    assert result.spending.set_index("year").loc[2025, "left"] == 0


def test_every_opd_keeps_the_only_initiative_of_an_opd(plan_data: dict[str, Any]) -> None:
    # E, of another OPD, now competes with B and D for 2025's money.
    plan = _plan(plan_data, E={"lead": "dinkes", "budget": [{"year": 2025, "amount": 100, "source": "apbd"}]})
    assert scm.prioritise(plan, 100, gains=_GAINS_BY_ID).chosen == ("a", "b", "c")
    assert scm.prioritise(plan, 100, gains=_GAINS_BY_ID, every_opd=True).chosen == ("a", "e")
    with pytest.raises(scm.RoadmapError, match="OPD dinkes"):
        scm.prioritise(plan, {2024: 100, 2025: 0, 2027: 100, 2030: 100}, gains=_GAINS_BY_ID, every_opd=True)


def test_ongoing_initiatives_are_kept_unless_asked(plan_data: dict[str, Any]) -> None:
    plan = _plan(plan_data, E={"status": "ongoing"})
    assert scm.prioritise(plan, 100, gains=_GAINS_BY_ID).chosen == ("e",)
    assert scm.prioritise(plan, 100, gains=_GAINS_BY_ID, keep_ongoing=False).chosen == ("a", "b", "c")
    with pytest.raises(
        scm.RoadmapError,
        match=r"must be kept \(the ongoing ones, and those asked for\) alone spend more than the budget of 2024",
    ):
        scm.prioritise(plan, 50, gains=_GAINS_BY_ID)


def test_done_and_cancelled_initiatives_are_neither_funded_nor_cut(plan_data: dict[str, Any]) -> None:
    plan = _plan(plan_data, A={"status": "done"}, D={"status": "cancelled"})
    result = scm.prioritise(plan, 100, gains=_GAINS_BY_ID)
    decisions = result.table.set_index("initiative")
    assert decisions.loc["a", "decision"] == "done"
    assert decisions.loc["d", "decision"] == "cancelled"
    assert decisions.loc["f", "reason"] == "prerequisite-cancelled"
    assert result.chosen == ("b", "c", "e")  # a is done: its followers need no money for it


def test_a_budget_per_source_only_constrains_its_sources(plan_data: dict[str, Any]) -> None:
    plan = _plan(plan_data, E={"budget": [{"year": 2024, "amount": 100, "source": "dak"}]})
    budget = pd.DataFrame({"year": range(2024, 2034), "source": "apbd", "amount": 100.0})
    result = scm.prioritise(plan, budget, gains=_GAINS_BY_ID)
    assert result.chosen == ("a", "b", "c", "e")  # E's DAK money is not the APBD's to share
    assert set(result.spending["source"]) == {"apbd"}
    assert any("apbd" in note for note in result.notes)
    assert scm.prioritise(plan, 100, gains=_GAINS_BY_ID, sources=["apbd"]).chosen == ("a", "b", "c", "e")
    assert scm.prioritise(plan, 100, gains=_GAINS_BY_ID).chosen == ("a", "b", "c")


def test_bad_budgets_are_refused_with_what_is_wrong(plan_data: dict[str, Any]) -> None:
    plan = _plan(plan_data)
    with pytest.raises(scm.RoadmapError, match="no amount for 2030"):
        scm.prioritise(plan, {2024: 100, 2025: 100, 2027: 100}, gains=_GAINS_BY_ID)
    with pytest.raises(scm.RoadmapError, match="0 rupiah or more"):
        scm.prioritise(plan, -5, gains=_GAINS_BY_ID)
    with pytest.raises(scm.RoadmapError, match=r"unknown funding sources 'apdb'"):
        scm.prioritise(plan, 100, sources=["apdb"], gains=_GAINS_BY_ID)
    with pytest.raises(scm.RoadmapError, match="'zz'"):
        scm.prioritise(plan, 100, gains={"zz": 1.0})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=masterplans(initiatives=(1, 12)), share=st.floats(0, 1.2), greedy=st.booleans())
def test_a_choice_never_lacks_a_prerequisite_nor_overspends(
    *, plan: scm.Masterplan, share: float, greedy: bool
) -> None:
    budget = yearly_budget(plan, share=share) or {plan.period.start: 0.0}
    gains = {initiative.id: float(n % 5) for n, initiative in enumerate(plan.initiatives)}
    method: Literal["exact", "greedy"] = "greedy" if greedy else "exact"
    result = scm.prioritise(plan, budget, gains=gains, keep_ongoing=False, method=method)
    chosen = set(result.chosen)
    status = scm.roadmap.current_status(plan)  # done as the progress records report, else as planned
    done = {name for name, now in status.items() if now is scm.InitiativeStatus.DONE}
    for initiative in plan.initiatives:
        if initiative.id in chosen:
            assert set(initiative.depends_on) - {initiative.id} <= chosen | done
    assert (result.spending["spent"] <= result.spending["budget"] + 1.0).all()
    assert result.gain <= result.bound + 1e-6
    if greedy:
        exact = scm.prioritise(plan, budget, gains=gains, keep_ongoing=False)
        assert result.gain <= exact.gain + 1e-6


def test_the_example_under_a_30_percent_cut(example_plan: scm.Masterplan) -> None:
    budget = yearly_budget(example_plan, share=0.7)
    assert budget[2024] == pytest.approx(
        0.7 * sum(line.amount for i in example_plan.initiatives for line in i.budget if line.year == 2024)
    )
    result = scm.prioritise(example_plan, budget)
    decisions = result.table.set_index("initiative")["decision"]
    assert decisions[["qw-01", "qw-02"]].tolist() == ["done", "done"]  # as the progress records of 2025 report
    assert result.gap == pytest.approx(0.0)
    greedy = scm.prioritise(example_plan, budget, method="greedy")
    assert greedy.gain <= result.gain


# ------------------------------------------------------------------------------------- CLI


@pytest.fixture
def run() -> CliRunner:
    return CliRunner()


def test_roadmap_json_lists_every_initiative_with_its_years(run: CliRunner, example_plan: scm.Masterplan) -> None:
    result = run.invoke(main, ["roadmap", str(scm.example_path()), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [row["initiative"] for row in rows] == [i.id for i in example_plan.initiatives]
    wanted = {"earliest_start", "earliest_finish", "latest_start", "latest_finish", "slack", "critical"}
    assert wanted <= set(rows[0])


def test_roadmap_text_shows_the_critical_path_the_chart_and_what_a_slip_changes(run: CliRunner) -> None:
    result = run.invoke(main, ["roadmap", str(scm.example_path()), "--slip", "sh-01=2", "--drop", "md-08"])
    assert result.exit_code == 0, result.output
    assert "lg-01" in result.stdout.split("Critical paths:")[1]
    assert "sh-01 (+2)" in result.stdout
    assert "md-07, md-08, lg-02" in result.stdout
    assert "██" in result.stdout


def test_roadmap_refuses_bad_slips(run: CliRunner) -> None:
    assert run.invoke(main, ["roadmap", str(scm.example_path()), "--slip", "sh-01=two"]).exit_code == 2
    unknown = run.invoke(main, ["roadmap", str(scm.example_path()), "--slip", "sh-99=1"])
    assert unknown.exit_code == 1
    assert "sh-99" in unknown.output


def test_prioritise_json_has_chosen_cut_and_gain(run: CliRunner) -> None:
    result = run.invoke(main, ["prioritise", str(scm.example_path()), "--budget", "70%", "--format", "json"])
    assert result.exit_code == 0, result.output
    value = json.loads(result.stdout)
    plan = scm.load(scm.example_path())
    library = scm.prioritise(plan, yearly_budget(plan, share=0.7))
    assert value["chosen"] == list(library.chosen)
    assert [cut["initiative"] for cut in value["cut"]] == list(library.cut)
    assert value["gain"] == pytest.approx(library.gain)


@pytest.mark.parametrize(
    ("text", "amount"),
    [("12500000000", 12.5e9), ("Rp 12.500.000.000", 12.5e9), ("12,5 miliar", 12.5e9), ("12.5 billion", 12.5e9)],
)
def test_amounts_are_read_as_planners_write_them(text: str, amount: float) -> None:
    assert parse_amount(text) == amount


def test_a_budget_file_with_indonesian_headers_and_its_errors_located(run: CliRunner, tmp_path: Path) -> None:
    good = tmp_path / "pagu.csv"
    good.write_text("tahun;pagu\n" + "".join(f"{y};5 miliar\n" for y in range(2024, 2034)), encoding="utf-8")
    result = run.invoke(main, ["prioritise", str(scm.example_path()), "--budget-file", str(good), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert {row["budget"] for row in json.loads(result.stdout)["spending"]} == {5e9}
    bad = tmp_path / "salah.csv"
    bad.write_text("tahun,pagu,sumber\n2024,lima,apbd\n20x5,1000,apbd\n2026,1000,apdb\n", encoding="utf-8")
    result = run.invoke(main, ["prioritise", str(scm.example_path()), "--budget-file", str(bad)])
    assert result.exit_code == 1
    for where in (f"{bad}:2", f"{bad}:3", f"{bad}:4"):
        assert where in result.output
    assert "apbd" in result.output


def test_prioritise_needs_a_budget(run: CliRunner) -> None:
    assert run.invoke(main, ["prioritise", str(scm.example_path())]).exit_code == 2
    assert run.invoke(main, ["prioritise", str(scm.example_path()), "--budget", "lots"]).exit_code == 2


def test_an_unaffordable_initiative_to_keep_is_exit_1_with_the_years(run: CliRunner) -> None:
    result = run.invoke(main, ["prioritise", str(scm.example_path()), "--budget", "1", "--keep", "sh-01"])
    assert result.exit_code == 1
    assert "2024, 2025" in result.output


def test_without_scipy_a_greedy_choice_is_made_and_said(
    plan_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "scipy" else real(name, *a))
    with pytest.warns(scm.scoring.ScoringWarning, match=r"SciPy is not installed.*optimise"):
        result = scm.prioritise(_plan(plan_data), 100, gains=_GAINS_BY_ID)
    assert result.method == "greedy"
    assert result.chosen == ("a", "b", "c")
    # the bound without SciPy: a fractional knapsack of the money of the years spent in (4 × 100):
    # C, F, D and E whole (gain 18 for 350), then half of A
    assert result.bound == pytest.approx(18.5, abs=0.01)
    assert result.gap == pytest.approx((18.5 - 12) / 18.5, abs=0.001)


# ------------------------------------------------------------------------------ monitoring


def _with_progress(plan_data: dict[str, Any], *records: dict[str, Any]) -> scm.Masterplan:
    return (
        _plan(plan_data)
        if not records
        else scm.Masterplan.model_validate(
            {**_plan(plan_data).model_dump(mode="json", exclude_defaults=True), "progress": list(records)}
        )
    )


def test_states_follow_the_records_as_of_the_latest_year(plan_data: dict[str, Any]) -> None:
    plan = _with_progress(
        plan_data,
        {"initiative": "a", "year": 2026, "status": "ongoing", "physical": 90, "realised": 100},
        {"initiative": "e", "year": 2026, "status": "done", "physical": 100, "realised": 80},
        {"initiative": "b", "year": 2025, "physical": 0},
    )
    table = scm.progress_table(plan).set_index("initiative")
    assert table.attrs["as_of"] == 2026
    assert table.loc["a", "state"] == "overdue"
    assert table.loc["a", "late_by"] == 1  # A was due in 2025
    assert table.loc["e", "state"] == "done"
    assert table.loc["b", "state"] == "not started"  # a record with nothing done
    assert table.loc["d", "state"] == "not started"  # due in 2025, never reported
    assert not table.loc["d", "reported"]
    assert table.loc["c", "state"] == "not due"  # planned from 2027
    assert table.loc["f", "state"] == "not due"
    assert table.loc["e", "absorption"] == pytest.approx(0.8)
    earlier = scm.progress_table(plan, 2024).set_index("initiative")
    assert earlier.loc["a", "state"] == "not started"


def test_absorption_adds_up_and_shares_money_among_the_years_sources(plan_data: dict[str, Any]) -> None:
    plan = _with_progress(
        plan_data,
        {"initiative": "a", "year": 2024, "realised": 60},
        {"initiative": "b", "year": 2025, "realised": 100},
    )
    plan = plan.model_copy(
        update={
            "initiatives": tuple(
                i.model_copy(
                    update={
                        "budget": (
                            scm.BudgetLine(year=2025, amount=50, source="apbd"),
                            scm.BudgetLine(year=2025, amount=150, source="dak"),
                        )
                    }
                )
                if i.id == "b"
                else i
                for i in plan.initiatives
            )
        }
    )
    by_source = scm.absorption(plan, "source").set_index("source")
    assert by_source.loc["dak", "realised"] == pytest.approx(75.0)  # 150 of b's 200 in 2025
    assert by_source.loc["apbd", "realised"] == pytest.approx(60 + 25)
    by_opd = scm.absorption(plan, "opd")
    assert by_opd["realised"].sum() == pytest.approx(160)
    assert by_opd["planned"].sum() == pytest.approx(100 + 200 + 100 + 100)  # a, b, d and e spend by 2025
    with pytest.raises(scm.RoadmapError, match="'opd', 'source' or 'year'"):
        scm.absorption(plan, "lead")  # type: ignore[arg-type]


def test_late_initiatives_hold_back_readiness(example_plan: scm.Masterplan) -> None:
    gap = scm.readiness_gap(example_plan, levels=("overall", "dimension"))
    overall = gap[gap["level"] == "overall"].set_index("year")
    assert list(overall.index) == [2024, 2025]
    assert (overall["attributable"] > 0).all()  # the example reports less done than scheduled
    assert overall["attributable"].to_numpy() == pytest.approx(
        (overall["on_schedule"] - overall["as_reported"]).to_numpy()
    )
    assert overall.loc[2024, "observed"] == pytest.approx(
        scm.plan_vs_actual(example_plan).query("year == 2024 and level == 'overall'")["observed"].iloc[0]
    )


def test_shares_reported_done_carry_to_the_next_record(plan_data: dict[str, Any]) -> None:
    plan = _with_progress(
        plan_data,
        {"initiative": "c", "year": 2027, "physical": 20},
        {"initiative": "c", "year": 2029, "physical": 70},
        {"initiative": "e", "year": 2025, "status": "done"},
        {"initiative": "f", "year": 2030, "status": "cancelled", "physical": 40},
    )
    shares = scm.roadmap.delivered_shares(plan, 2030)
    assert shares.loc["c", [2027, 2028, 2029, 2030]].tolist() == [0.2, 0.2, 0.7, 0.7]
    assert shares.loc["e", 2025] == 1.0
    assert shares.loc["f", 2030] == 0.0
    assert shares.loc["c", [2024, 2031]].isna().all()


def test_progress_files_are_read_in_indonesian_and_their_problems_located(
    tmp_path: Path, plan_data: dict[str, Any]
) -> None:
    folder = scm.dump(scm.Masterplan.model_validate(plan_data), tmp_path / "plan")
    (folder / "progress.csv").write_text(
        "inisiatif;tahun;keadaan;fisik;realisasi;catatan\nqw-01;2024;Berjalan;40,5;1.000.000;tender\n", encoding="utf-8"
    )
    (record,) = scm.load(folder).progress
    assert (record.status, record.physical, record.realised, record.note) == (
        scm.InitiativeStatus.ONGOING,
        40.5,
        1_000_000.0,
        "tender",
    )
    (folder / "progress.csv").write_text(
        "initiative,year,physical\nqw-1,2024,10\nqw-01,2040,10\nqw-01,2025,101\nqw-01,2024,5\nqw-01,2024,6\n",
        encoding="utf-8",
    )
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(folder)
    found = {(p.code, p.line) for p in caught.value.problems}
    assert ("dangling-reference", 2) in found
    assert ("year-outside-period", 3) in found
    assert ("out-of-range", 4) in found
    assert ("duplicate-id", 6) in found
    assert all(p.file == str(folder / "progress.csv") for p in caught.value.problems)


def test_monitor_prints_states_absorption_and_readiness(run: CliRunner) -> None:
    result = run.invoke(main, ["monitor", str(scm.example_path())])
    assert result.exit_code == 0, result.output
    assert "as of 2025" in result.stdout
    assert "Absorption by OPD:" in result.stdout
    assert "hold back 2.17 points" in result.stdout
    value = json.loads(run.invoke(main, ["monitor", str(scm.example_path()), "--format", "json"]).stdout)
    assert value["as_of"] == 2025
    assert {row["initiative"] for row in value["initiatives"] if row["state"] == "overdue"} == {"qw-07"}


def test_monitor_without_records_says_how_to_start(run: CliRunner, plan_folder: Path) -> None:
    result = run.invoke(main, ["monitor", str(plan_folder)])
    assert result.exit_code == 0, result.output
    assert "No progress reported yet" in result.output


# ------------------------------------------------------------------- what an audit found


def test_prioritise_refuses_a_dependency_cycle(plan_data: dict[str, Any]) -> None:
    with pytest.raises(scm.RoadmapError, match="cycle"):
        scm.prioritise(_plan(plan_data, A={"depends_on": ["c"]}), 1000, gains=_GAINS_BY_ID)


def test_a_solver_out_of_time_falls_back_to_greedy_and_says_so(
    plan_data: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from scipy.optimize import OptimizeResult  # noqa: PLC0415 - the optimise extra

    def timed_out(*_args: object, **_kwargs: object) -> OptimizeResult:
        return OptimizeResult(x=None, status=1, message="Time limit reached", mip_dual_bound=None)

    monkeypatch.setattr("scipy.optimize.milp", timed_out)
    with pytest.warns(scm.roadmap.RoadmapWarning, match="no choice within 0.5 s .*Time limit reached.*greedy"):
        result = scm.prioritise(_plan(plan_data), 100, gains=_GAINS_BY_ID, time_limit=0.5)
    assert result.chosen == ("a", "b", "c")


def test_slips_are_bounded_and_never_start_before_the_plan(plan_data: dict[str, Any]) -> None:
    plan = _plan(plan_data)
    with pytest.raises(scm.RoadmapError, match="at most the plan's 10 years"):
        scm.schedule(plan, slip={"a": 11})
    with pytest.raises(scm.RoadmapError, match="cannot both slip and be dropped"):
        scm.schedule(plan, slip={"d": 1}, drop=["d"])
    with pytest.warns(scm.roadmap.RoadmapWarning, match="before the plan starts"):
        table = scm.schedule(plan, slip={"e": -3})
    assert _row(table, "E")["earliest_start"] == 2024
    assert list(scm.schedule(plan, drop="d")["blocked_by"].dropna()) == ["d", "d"]  # one id, not its letters


def test_a_cancellation_reported_in_progress_takes_the_followers_out(plan_data: dict[str, Any]) -> None:
    plan = _with_progress(plan_data, {"initiative": "d", "year": 2025, "status": "cancelled"})
    assert scm.roadmap.current_status(plan)["d"] is scm.InitiativeStatus.CANCELLED
    assert _row(scm.schedule(plan), "F")["blocked_by"] == "d"
    result = scm.prioritise(plan, 1000, gains=_GAINS_BY_ID)
    assert result.table.set_index("initiative").loc["f", "reason"] == "prerequisite-cancelled"


def test_budget_options_that_contradict_or_repeat_are_refused(run: CliRunner, tmp_path: Path) -> None:
    example = str(scm.example_path())
    both = run.invoke(main, ["prioritise", example, "--budget", "1", "--budget-file", str(tmp_path / "x.csv")])
    assert both.exit_code == 2
    assert "not both" in both.output
    missing = run.invoke(main, ["prioritise", example, "--budget-file", str(tmp_path / "nowhere.csv")])
    assert missing.exit_code == 2
    repeated = tmp_path / "pagu.csv"
    repeated.write_text("tahun,sumber,pagu\n2024,apbd,10\n2024,apbd,20\n2025,,5\n", encoding="utf-8")
    result = run.invoke(main, ["prioritise", example, "--budget-file", str(repeated)])
    assert result.exit_code == 1
    assert f"{repeated}:3" in result.output
    assert "first at line 2" in result.output
    assert f"{repeated}:4" in result.output
    assert run.invoke(main, ["prioritise", example, "--budget", "12.5m"]).exit_code == 2
    assert run.invoke(main, ["roadmap", example, "--slip", "sh-01"]).exit_code == 2
    assert run.invoke(main, ["roadmap", example, "--slip", "sh-01=1", "--slip", "sh-01=2"]).exit_code == 2


def test_monitor_refuses_a_year_outside_the_plan_and_says_when_records_stop(run: CliRunner) -> None:
    example = str(scm.example_path())
    assert run.invoke(main, ["monitor", example, "--year", "2040"]).exit_code == 2
    later = run.invoke(main, ["monitor", example, "--year", "2027"])
    assert later.exit_code == 0
    assert "The records stop in 2025" in later.output


def test_initiatives_without_a_given_gain_are_said_to_count_zero(plan_data: dict[str, Any]) -> None:
    result = scm.prioritise(_plan(plan_data), 100, gains={"c": 10.0})
    assert any("no gain given for a, b, d, e, f" in note for note in result.notes)
