"""Province readiness: many regions at once, the smart-province rule, and who holds it back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import smartcity_model as scm

ROOT = Path(__file__).parents[1]
TREE = pd.DataFrame(
    [
        ("i1", "indicator", "d1", 1.0),
        ("i2", "indicator", "d2", 1.0),
        ("d1", "dimension", "all", 1.0),
        ("d2", "dimension", "all", 1.0),
        ("all", "overall", None, 1.0),
    ],
    columns=["node", "level", "parent", "weight"],
)


def _structure() -> scm.Structure:
    base = scm.Structure.from_frame(TREE, ("indicator", "dimension", "overall"))
    spec = scm.scoring.IndicatorSpec(normalisation=scm.Goalposts(min=0, max=100))
    return scm.Structure(base.levels, base.nodes, {"i1": spec, "i2": spec})


def _data(scores: dict[str, tuple[float, float]], year: int = 2024) -> pd.DataFrame:
    rows = [(region, year, "i1", a) for region, (a, _) in scores.items()] + [
        (region, year, "i2", b) for region, (_, b) in scores.items()
    ]
    return pd.DataFrame(rows, columns=["region", "year", "indicator", "value"])


SCORES = {"kota-a": (85.0, 90.0), "kab-b": (65.0, 85.0), "kab-c": (45.0, 82.0), "kab-d": (81.0, 30.0)}
POPULATION = {"kota-a": 100.0, "kab-b": 300.0, "kab-c": 500.0, "kab-d": 100.0}


def test_equal_and_population_weights() -> None:
    equal = scm.roll_up_province(_data(SCORES), _structure())
    weighted = scm.roll_up_province(_data(SCORES), _structure(), regions=POPULATION, weights="population")
    d1 = {
        name: r.province.query("node == 'd1'")["score"].item() for name, r in (("equal", equal), ("weighted", weighted))
    }
    assert d1["equal"] == pytest.approx((85 + 65 + 45 + 81) / 4)
    assert d1["weighted"] == pytest.approx((85 * 100 + 65 * 300 + 45 * 500 + 81 * 100) / 1000)
    assert equal.province["coverage"].eq(1).all()


def test_smart_province_rule_needs_a_share_of_regions() -> None:
    strict = scm.roll_up_province(_data(SCORES), _structure()).levels.set_index("node")
    assert int(strict.loc["d1", "province_level"]) == 3  # kab-c scores 45: level 3 at best for all
    assert int(strict.loc["d2", "province_level"]) == 2  # kab-d scores 30
    lenient = scm.roll_up_province(_data(SCORES), _structure(), share=0.75).levels.set_index("node")
    assert int(lenient.loc["d1", "province_level"]) == 4
    assert int(lenient.loc["d2", "province_level"]) == 5
    assert strict.loc["d1", "share_at_next"] == pytest.approx(0.75)


def test_blockers_list_the_regions_below_the_next_level() -> None:
    result = scm.roll_up_province(_data(SCORES), _structure())
    blockers = result.blockers()
    assert list(blockers.columns) == list(scm.scoring.BLOCKER_COLUMNS)
    d1 = blockers[blockers["node"] == "d1"]
    assert d1["region"].tolist() == ["kab-c"]
    assert d1["points_needed"].tolist() == pytest.approx([15.0])
    d2 = blockers[blockers["node"] == "d2"]
    assert d2["region"].tolist() == ["kab-d"]
    assert int(d2["target_level"].iloc[0]) == 3


def test_a_region_without_data_holds_the_province_back() -> None:
    data = _data(SCORES)
    data = data[~((data["region"] == "kab-b") & (data["indicator"] == "i2"))]
    result = scm.roll_up_province(data, _structure())
    assert pd.isna(result.levels.set_index("node").loc["d2", "province_level"])
    assert "kab-b" in result.blockers().query("node == 'd2'")["region"].tolist()


def test_population_weights_need_every_population() -> None:
    with pytest.raises(scm.ScoringError, match=r"the data also has 'kab-d'"):
        scm.roll_up_province(
            _data(SCORES), _structure(), regions={"kota-a": 1, "kab-b": 1, "kab-c": 1}, weights="population"
        )


def test_from_masterplans(example_plan: scm.Masterplan, plan_data: dict[str, Any]) -> None:
    other = example_plan.model_copy(
        update={"region": example_plan.region.model_copy(update={"id": "kab-kembar", "population": 100_000})}
    )
    result = scm.roll_up_province([example_plan, other], weights="population", missing="locf")
    assert set(result.region_levels["region"]) == {"solok-selatan", "kab-kembar"}
    with pytest.raises(scm.ScoringError, match="another framework or indicators"):
        scm.roll_up_province([example_plan, scm.Masterplan.from_dict(plan_data)])


def test_sumatera_barat_example_runs_on_real_data() -> None:
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "examples" / "sumatera-barat" / "roll_up.py"), "--year", "2024"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert "Sumatera Barat, 2024" in result.stdout
    assert "Regions below the next level" in result.stdout
    assert "kepulauan-mentawai" in result.stdout


@pytest.mark.parametrize("levels", [(0, 1, 2, 3, 4), (1, 3, 5, 7, 9)])
def test_blockers_aim_at_the_next_band_of_any_scale(levels: tuple[int, ...]) -> None:
    scale = scm.ReadinessScale(
        name="custom",
        bands=tuple(scm.ReadinessBand(level=lv, name=f"l{lv}", min=20.0 * n) for n, lv in enumerate(levels)),
    )
    result = scm.roll_up_province(_data(SCORES), _structure(), scale=scale)
    d1 = result.blockers().query("node == 'd1'")
    assert d1["region"].tolist() == ["kab-c"]
    assert d1["target_level"].tolist() == [levels[3]]
    assert d1["points_needed"].tolist() == pytest.approx([15.0])


def test_population_weights_must_be_above_zero() -> None:
    for population in (0, -100):
        weights = POPULATION | {"kab-c": population}
        with pytest.raises(
            scm.ScoringError, match="populations must be finite numbers above 0; not so for regions kab-c"
        ):
            scm.roll_up_province(_data(SCORES), _structure(), regions=weights, weights="population")
    with pytest.raises(scm.ScoringError, match="the population of 'kab-c' must be a number"):
        scm.roll_up_province(_data(SCORES), _structure(), regions=POPULATION | {"kab-c": "500"})


def test_regions_as_a_list_and_share_as_a_number() -> None:
    with pytest.warns(scm.ScoringWarning, match="no observation at all for regions 'kota-baru'"):
        result = scm.roll_up_province(_data(SCORES), _structure(), regions=[*SCORES, "kota-baru"])
    assert "kota-baru" in result.blockers()["region"].tolist()
    with pytest.raises(scm.ScoringError, match="share must be a number in"):
        scm.roll_up_province(_data(SCORES), _structure(), share="0.8")  # type: ignore[arg-type]  # wrong on purpose


def test_regions_are_listed_once_with_finite_populations() -> None:
    table = pd.DataFrame({"region": [*SCORES, "kab-b"], "population": [1.0, 2.0, 3.0, 4.0, 5.0]})
    with pytest.raises(scm.ScoringError, match="regions= lists regions more than once: kab-b"):
        scm.roll_up_province(_data(SCORES), _structure(), regions=table)
    with pytest.raises(scm.ScoringError, match="populations must be finite numbers above 0; not so for regions kab-c"):
        scm.roll_up_province(
            _data(SCORES), _structure(), regions=POPULATION | {"kab-c": float("inf")}, weights="population"
        )


@pytest.mark.parametrize(
    "populations",
    [
        dict.fromkeys(SCORES, 1e308),
        {"kota-a": 5e-324, "kab-b": 1e308, "kab-c": 1e308, "kab-d": 1e308},
        {"kota-a": 1.7e308, "kab-b": 1.0, "kab-c": 1.0, "kab-d": 1.0},
    ],
)
def test_population_weights_of_any_finite_size_never_overflow(populations: dict[str, float]) -> None:
    weighted = scm.roll_up_province(_data(SCORES), _structure(), regions=populations, weights="population")
    total = sum(populations.values()) if all(p < 1e300 for p in populations.values()) else None
    scores = weighted.province["score"]
    assert scores.notna().all()
    assert scores.between(0, 100).all()
    if total is None:  # the largest regions carry the province: the weighted mean of their scores
        largest = max(populations.values())
        heavy = [r for r, p in populations.items() if p == largest]
        d1 = sum(SCORES[r][0] for r in heavy) / len(heavy)
        assert weighted.province.query("node == 'd1'")["score"].item() == pytest.approx(d1)


def test_a_population_too_large_for_a_number_or_a_region_listed_twice_is_refused() -> None:
    with pytest.raises(scm.ScoringError, match="populations must be finite numbers above 0; not so for regions kab-c"):
        scm.roll_up_province(
            _data(SCORES), _structure(), regions=POPULATION | {"kab-c": 10**400}, weights="population"
        )
    with pytest.raises(scm.ScoringError, match="regions= lists regions more than once: kab-b"):
        scm.roll_up_province(_data(SCORES), _structure(), regions=[*SCORES, "kab-b"])
