"""Conformance with peers: COINr's ASEM index to 1e-9, and the SPBE index formula."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import smartcity_model as scm
from smartcity_model.scoring.coinr import structure_from_coinr, tidy_from_coinr

ROOT = Path(__file__).parents[1]
ASEM = ROOT / "examples" / "asem"
REFERENCE = Path(__file__).parent / "data" / "asem"
LEVELS = ("indicator", "pillar", "sub-index", "index")


@pytest.fixture(scope="module")
def asem() -> tuple[scm.Structure, scm.RollUp]:
    structure = structure_from_coinr(pd.read_csv(ASEM / "ASEM_iMeta.csv"), LEVELS)
    treated = pd.read_csv(ASEM / "ASEM_COIN_Treated.csv")
    data = tidy_from_coinr(treated, structure, unit="UnitCode", time="Year")
    return structure, scm.roll_up(data, structure, method="minmax")


def _reference(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE / name).set_index("UnitCode")


def test_asem_normalised_matches_coinr(asem: tuple[scm.Structure, scm.RollUp]) -> None:
    structure, result = asem
    ours = result.wide("indicator").droplevel("year")
    reference = _reference("ASEM_COIN_Normalised.csv")[list(structure.indicators)]
    assert ours.shape == (51, 49)
    np.testing.assert_allclose(ours.loc[reference.index].to_numpy(), reference.to_numpy(), rtol=0, atol=1e-9)


@pytest.mark.parametrize("level", ["pillar", "sub-index", "index"])
def test_asem_aggregates_match_coinr(asem: tuple[scm.Structure, scm.RollUp], level: str) -> None:
    structure, result = asem
    ours = result.wide(level).droplevel("year")
    reference = _reference("ASEM_COIN_Aggregated.csv")[list(structure.level_nodes(level))]
    np.testing.assert_allclose(ours.loc[reference.index].to_numpy(), reference.to_numpy(), rtol=0, atol=1e-9)


def test_asem_group_mean_imputation_matches_coinr() -> None:
    structure = structure_from_coinr(pd.read_csv(ASEM / "ASEM_iMeta.csv"), LEVELS)
    denominated = pd.read_csv(REFERENCE / "ASEM_COIN_Denominated.csv")
    groups = dict(zip(denominated["UnitCode"], denominated["Group_EurAsia"], strict=True))
    data = tidy_from_coinr(denominated, structure, unit="UnitCode", time="Year")
    assert len(data) < 51 * 49  # the raw data have gaps
    result = scm.roll_up(data, structure, method="minmax", missing="group_mean", groups=groups)
    filled = result.levels["indicator"]
    imputed = _reference("ASEM_COIN_Imputed.csv")[list(structure.indicators)]
    # The roll-up keeps raw values only to normalise them: compare through min-max of the imputed data.
    expected = scm.roll_up(
        tidy_from_coinr(imputed.reset_index().assign(Year=2018), structure, unit="UnitCode", time="Year"),
        structure,
        method="minmax",
    )
    np.testing.assert_allclose(filled.score, expected.levels["indicator"].score, rtol=0, atol=1e-9)


def test_asem_script_writes_one_row_per_country(tmp_path: Path) -> None:
    out = tmp_path / "asem.csv"
    script = ROOT / "examples" / "asem_index.py"
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True, capture_output=True)  # noqa: S603 - our own script
    table = pd.read_csv(out)
    assert list(table.columns) == [
        "uCode",
        "Index",
        "Conn",
        "Sust",
        "Physical",
        "ConEcFin",
        "Political",
        "Instit",
        "P2P",
        "Environ",
        "Social",
        "SusEcFin",
    ]
    assert len(table) == 51
    top = table.sort_values("Index", ascending=False).head(3)
    assert top["uCode"].tolist() == ["CHE", "NLD", "DNK"]
    assert top["Index"].round(2).tolist() == [68.38, 64.82, 64.80]


# ---------------------------------------------------------------------------------- SPBE


def _levels(values: np.ndarray, region: str = "x", year: int = 2023) -> pd.DataFrame:
    return pd.DataFrame({"region": region, "year": year, "indicator": range(1, 48), "value": values})


def test_spbe_index_is_the_weighted_sum_of_levels() -> None:
    rng = np.random.default_rng(7)
    weights = pd.read_csv(ROOT / "src" / "smartcity_model" / "scoring" / "data" / "spbe_2020_indicators.csv")[
        "weight"
    ].to_numpy()
    frames = [_levels(rng.integers(1, 6, 47).astype(float), region=f"r{n}") for n in range(20)]
    result = scm.spbe_index(pd.concat(frames)).set_index("region")
    for n, frame in enumerate(frames):
        assert result.loc[f"r{n}", "index"] == pytest.approx(
            (weights * frame["value"].to_numpy()).sum() / 100, abs=1e-12
        )


def test_spbe_structure_weights_sum_to_100() -> None:
    nodes = scm.scoring.spbe_structure().nodes
    assert nodes.loc[nodes["level"] == "indicator", "weight"].sum() == pytest.approx(100)
    assert nodes.loc[nodes["level"] == "aspect", "weight"].sum() == pytest.approx(100)
    assert nodes.loc[nodes["level"] == "domain", "weight"].sum() == pytest.approx(100)
    assert (nodes["level"] == "indicator").sum() == 47


@pytest.mark.parametrize(
    ("level", "predicate"), [(1.0, "Kurang"), (2.0, "Cukup"), (3.0, "Baik"), (4.0, "Sangat Baik"), (4.5, "Memuaskan")]
)
def test_spbe_predicates(level: float, predicate: str) -> None:
    (row,) = scm.spbe_index(_levels(np.full(47, level))).itertuples()
    assert row.index == pytest.approx(level)
    assert row.predicate == predicate


def test_spbe_by_aspect_and_ids() -> None:
    data = _levels(np.full(47, 2.0)).assign(indicator=[f"spbe-{n:02d}" for n in range(1, 48)])
    aspects = scm.spbe_index(data, level="aspect")
    assert aspects["aspect"].tolist() == ["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8"]
    assert aspects["index"].tolist() == pytest.approx([2.0] * 8)


def test_spbe_needs_every_indicator() -> None:
    with pytest.raises(scm.ScoringError, match="missing values"):
        scm.spbe_index(_levels(np.full(47, 3.0)).iloc[:46])
    with pytest.raises(scm.ScoringError, match="numbered 1 to 47"):
        scm.spbe_index(_levels(np.full(47, 3.0)).assign(indicator=range(2, 49)))
