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
    ("level", "predicate"), [(1.0, "Kurang"), (2.0, "Cukup"), (3.0, "Baik"), (4.0, "Sangat Baik"), (5.0, "Memuaskan")]
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


def test_spbe_levels_are_checked() -> None:
    with pytest.raises(
        scm.ScoringError,
        match=r"whole numbers from 1 to 5; 3 values are not: 'x' 2023 spbe-01: 0, 'x' 2023 spbe-02: 6, "
        r"'x' 2023 spbe-03: 2\.5",
    ):
        scm.spbe_index(_levels(np.r_[[0.0, 6.0, 2.5], np.full(44, 3.0)]))
    with pytest.raises(scm.ScoringError, match="must be a pandas DataFrame"):
        scm.spbe_index([1, 2, 3])  # type: ignore[arg-type]  # wrong on purpose
    ids = _levels(np.full(47, 2.0)).assign(indicator=[f"SPBE-{n}" for n in range(1, 48)])
    assert scm.spbe_index(ids)["index"].tolist() == pytest.approx([2.0])


def test_spbe_needs_every_indicator() -> None:
    with pytest.raises(scm.ScoringError, match="needs all 47 indicators assessed; 1 is not: 'x' 2023: spbe-47"):
        scm.spbe_index(_levels(np.full(47, 3.0)).iloc[:46])
    with pytest.raises(scm.ScoringError, match="numbered 1 to 47"):
        scm.spbe_index(_levels(np.full(47, 3.0)).assign(indicator=range(2, 49)))


# ------------------------------------------------------------- COINr's stages from raw data

#: Each stage table the pipeline writes, and COINr's own table of the same stage.
STAGE_REFERENCES = {
    "denominated": REFERENCE / "ASEM_COIN_Denominated.csv",
    "imputed": REFERENCE / "ASEM_COIN_Imputed.csv",
    "treated": ASEM / "ASEM_COIN_Treated.csv",
    "normalised": REFERENCE / "ASEM_COIN_Normalised.csv",
    "aggregated": REFERENCE / "ASEM_COIN_Aggregated.csv",
}


@pytest.fixture(scope="module")
def pipeline_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("asem-stages")
    script = ROOT / "examples" / "asem_pipeline.py"
    subprocess.run([sys.executable, str(script), "--out-dir", str(out)], check=True, capture_output=True)  # noqa: S603 - our own script
    return out


@pytest.mark.parametrize("stage", list(STAGE_REFERENCES))
def test_asem_pipeline_matches_every_coinr_stage(pipeline_output: Path, stage: str) -> None:
    ours = pd.read_csv(pipeline_output / f"{stage}.csv").set_index("uCode")
    theirs = pd.read_csv(STAGE_REFERENCES[stage]).set_index("UnitCode")
    codes = [c for c in theirs.columns if c not in {"UnitName", "Year"} and not c.startswith("Group_")]
    assert sorted(ours.columns) == sorted(codes)
    assert sorted(ours.index) == sorted(theirs.index)
    np.testing.assert_allclose(
        ours.loc[theirs.index, codes].to_numpy(dtype=float),
        theirs[codes].to_numpy(dtype=float),
        rtol=0,
        atol=1e-6,
        equal_nan=True,
    )


def test_asem_recipe_keeps_what_each_stage_did() -> None:
    with pytest.warns(scm.ScoringWarning, match="'LAO' 2018; left missing"):
        study = scm.Recipe.load(ASEM / "recipe.yaml").run()
    assert study.details["denominated"]["indicator"].tolist()[:3] == ["Flights", "Bord", "Elec"]
    assert int(study.details["imputed"]["filled"].sum()) == 65
    assert not (~study.details["screened"]["included"]).any()
    treated = study.details["treated"].set_index("indicator")
    assert (treated["status"] == "winsorised").sum() == 15
    assert treated.loc["Services", "winsorised_high"] == 4
    assert treated.loc["FemLab", "winsorised_low"] == 1
    assert set(study.changes["treated"]["how"]) == {"winsorised high", "winsorised low"}


def test_coinr_meta_brings_denominators_targets_groups_and_weights() -> None:
    meta = pd.read_csv(ASEM / "ASEM_iMeta.csv")
    coin = scm.scoring.read_coinr(pd.read_csv(ASEM / "ASEM_iData.csv"), meta, LEVELS)
    structure = coin.structure
    assert structure.spec("Flights").denominator == "Population"
    assert structure.spec("LPI").denominator is None
    assert structure.spec("LPI").last_target == pytest.approx(4.11803135)
    assert structure.spec("CO2").direction is scm.Direction.LOWER
    assert coin.groups == ("GDP_group", "GDPpc_group", "Pop_group", "EurAsia_group")
    assert coin.denominators == ("Area", "Energy", "GDP", "Population")
    assert list(coin.units.columns) == ["region", "year", *coin.groups, *coin.denominators]
    assert len(coin.data) == 51 * 49 - 63
    switched = meta.assign(Weight=np.where(meta["iCode"] == "Physical", 0.0, meta["Weight"]))
    off = structure_from_coinr(switched, LEVELS)
    assert off.excluded == {"Physical", "LPI", "Flights", "Ship", "Bord", "Elec", "Gas", "ConSpeed", "Cov4G"}


def test_idata_columns_imeta_does_not_describe_are_named() -> None:
    data = pd.read_csv(ASEM / "ASEM_iData.csv").assign(Broadband=1.0)
    with pytest.warns(scm.ScoringWarning, match="iData columns that iMeta does not describe are left out: 'Broadband'"):
        coin = scm.scoring.read_coinr(data, pd.read_csv(ASEM / "ASEM_iMeta.csv"), LEVELS)
    assert "Broadband" not in set(coin.data["indicator"])


def test_coinr_tables_are_checked() -> None:
    meta = pd.read_csv(ASEM / "ASEM_iMeta.csv")
    with pytest.raises(scm.ScoringError, match=r"unknown Type 'Indicater' \(did you mean 'Indicator'\?\)"):
        structure_from_coinr(meta.replace({"Type": {"Aggregate": "Indicater"}}), LEVELS)
    with pytest.raises(scm.ScoringError, match=r"Denominator names 'Populasi' \(did you mean 'Population'\?\)"):
        structure_from_coinr(meta.replace({"Denominator": {"Population": "Populasi"}}), LEVELS)
    data = pd.read_csv(ASEM / "ASEM_iData.csv")
    with pytest.raises(scm.ScoringError, match=r"no column 'Year'"):
        scm.scoring.read_coinr(data, meta, LEVELS, time="Year")
    with pytest.raises(scm.ScoringError, match=r"no indicator column 'LPI'"):
        tidy_from_coinr(data.drop(columns="LPI"), structure_from_coinr(meta, LEVELS))
