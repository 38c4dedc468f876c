"""Recipes: a study declared in one YAML file, run stage by stage, every stage's table kept."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import smartcity_model as scm

STRUCTURE = pd.DataFrame(
    [
        ("doctors", "indicator", "health", 1.0, "higher", "population"),
        ("poverty", "indicator", "welfare", 1.0, "lower", None),
        ("internet", "indicator", "welfare", 1.0, "higher", None),
        ("health", "dimension", "overall", 1.0, None, None),
        ("welfare", "dimension", "overall", 1.0, None, None),
        ("overall", "overall", None, 1.0, None, None),
    ],
    columns=["node", "level", "parent", "weight", "direction", "denominator"],
)
UNITS = pd.DataFrame(
    {
        "region": ["kota-a", "kota-b", "kab-c", "kab-d"],
        "kind": ["kota", "kota", "kabupaten", "kabupaten"],
        "population": [200_000.0, 150_000.0, 300_000.0, 250_000.0],
    }
)
OBSERVATIONS = pd.DataFrame(
    [
        (region, year, indicator, value)
        for region, base in (("kota-a", 1.0), ("kota-b", 2.0), ("kab-c", 3.0), ("kab-d", 4.0))
        for year in (2023, 2024)
        for indicator, value in (
            ("doctors", 100 * base),
            ("poverty", 12 - base),
            ("internet", 50 + 5 * base + year % 10),
        )
        if not (region == "kab-d" and year == 2024 and indicator == "internet")
    ],
    columns=["region", "year", "indicator", "value"],
)
RECIPE = """\
name: Kesiapan kota dan kabupaten (illustrative)
data:
  observations: observations.csv
  structure: structure.csv
  levels: [indicator, dimension, overall]
  units: units.csv
denominate:
  by:
    doctors: {column: population, scale: 100000}
impute:
  method: group_mean
  group: kind
treat:
  method: coinr
normalise:
  method: minmax
  range: [1, 100]
aggregate:
  method: {dimension: arithmetic, overall: geometric}
"""


@pytest.fixture
def study_folder(tmp_path: Path) -> Path:
    OBSERVATIONS.to_csv(tmp_path / "observations.csv", index=False)
    STRUCTURE.to_csv(tmp_path / "structure.csv", index=False)
    UNITS.to_csv(tmp_path / "units.csv", index=False)
    (tmp_path / "recipe.yaml").write_text(RECIPE, encoding="utf-8")
    return tmp_path


def test_a_recipe_runs_every_stage_from_its_files(study_folder: Path) -> None:
    study = scm.Recipe.load(study_folder / "recipe.yaml").run()
    assert list(study.stages) == ["raw", "denominated", "imputed", "treated"]
    doctors = study.wide("denominated")["doctors"]
    assert doctors[("kota-a", 2023)] == pytest.approx(100 / 200_000 * 100_000)
    filled = study.table("imputed").query("imputed")
    assert filled[["region", "year", "indicator", "imputation"]].to_numpy().tolist() == [
        ["kab-d", 2024, "internet", "group_mean"]
    ]
    assert filled["value"].item() == pytest.approx(50 + 15 + 4)  # the other kabupaten, kab-c
    normalised = study.wide("normalised")
    assert normalised.min().min() == pytest.approx(1)
    assert normalised.max().max() == pytest.approx(100)
    overall = study.result.wide("overall")["overall"]
    # kab-d 2024: internet is imputed, so welfare (half observed) and overall miss min_coverage 0.65
    assert overall.notna().sum() == 7
    assert np.isnan(overall[("kab-d", 2024)])
    assert study.details["treated"]["status"].tolist() == ["passed", "passed", "passed"]
    assert study.result.aggregation == {"dimension": "arithmetic", "overall": "geometric"}
    assert set(study.wide("aggregated").columns) == {"doctors", "poverty", "internet", "health", "welfare", "overall"}


def test_tables_given_to_run_keep_the_recipes_units_file(study_folder: Path) -> None:
    recipe = scm.Recipe.load(study_folder / "recipe.yaml").model_copy(update={"treat": None})
    structure = scm.Structure.from_frame(STRUCTURE, ("indicator", "dimension", "overall"))
    study = recipe.run(OBSERVATIONS, structure)
    assert study.details["denominated"]["indicator"].tolist() == ["doctors"]


def test_arguments_replace_the_files(study_folder: Path) -> None:
    recipe = scm.Recipe.load(study_folder / "recipe.yaml").model_copy(update={"treat": None})
    structure = scm.Structure.from_frame(STRUCTURE, ("indicator", "dimension", "overall"))
    fewer = OBSERVATIONS[OBSERVATIONS["year"] == 2024]
    study = recipe.run(fewer, structure, units=UNITS)
    assert set(study.result.units["year"]) == {2024}


def test_save_and_load_give_the_same_recipe(study_folder: Path, tmp_path: Path) -> None:
    recipe = scm.Recipe.load(study_folder / "recipe.yaml")
    recipe.save(tmp_path / "copy.yaml")
    again = scm.Recipe.load(tmp_path / "copy.yaml")
    assert again.model_dump() == recipe.model_dump()
    assert again.source == tmp_path / "copy.yaml"
    assert "range:\n  - 1.0\n  - 100.0" in recipe.to_yaml()


def test_problems_are_named_with_their_lines(tmp_path: Path) -> None:
    text = RECIPE.replace("  method: coinr\n", "  method: coinr\n  winmax: -1\n").replace(
        "  method: minmax\n", "  methd: minmax\n"
    )
    path = tmp_path / "recipe.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(scm.scoring.RecipeError, match="2 problems in recipe") as caught:
        scm.Recipe.load(path)
    lines = {problem.field: problem.line for problem in caught.value.problems}
    assert lines == {"treat.winmax": 15, "normalise.methd": 17}
    assert "unknown field 'methd'" in str(caught.value)


def test_a_broken_or_missing_file_is_a_recipe_error(tmp_path: Path) -> None:
    with pytest.raises(scm.scoring.RecipeError, match="file not found"):
        scm.Recipe.load(tmp_path / "nowhere.yaml")
    path = tmp_path / "recipe.yaml"
    path.write_text("name: x\ntreat: {method: coinr\n", encoding="utf-8")
    with pytest.raises(scm.scoring.RecipeError, match=r"recipe\.yaml:2:8: a value beginning with {"):
        scm.Recipe.load(path)
    path.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(scm.scoring.RecipeError, match="a recipe is a mapping"):
        scm.Recipe.load(path)


def test_a_recipe_needs_its_data(tmp_path: Path) -> None:
    with pytest.raises(scm.ScoringError, match="names no data files"):
        scm.Recipe().run()
    path = tmp_path / "recipe.yaml"
    path.write_text(RECIPE, encoding="utf-8")
    with pytest.raises(scm.ScoringError, match=r"the recipe's file '(observations|units)\.csv' is not in"):
        scm.Recipe.load(path).run()
    with pytest.raises(ValueError, match="give either observations and structure"):
        scm.scoring.DataFiles(units="units.csv")


def test_group_column_and_stage_names_are_checked(study_folder: Path) -> None:
    recipe = scm.Recipe.load(study_folder / "recipe.yaml")
    wrong = recipe.model_copy(update={"impute": scm.scoring.ImputeStep(method="group_mean", group="knd")})
    with pytest.raises(scm.ScoringError, match=r"no group column 'knd' \(did you mean 'kind'\?\)"):
        wrong.run(base=study_folder)
    study = recipe.model_copy(update={"treat": None}).run(base=study_folder)
    with pytest.raises(scm.ScoringError, match=r"no stage 'treated'"):
        study.wide("treated")
    with pytest.raises(scm.ScoringError, match=r"'normalized' \(did you mean 'normalised'\?\)"):
        study.table("normalized")


def test_a_study_prints_what_each_stage_did(study_folder: Path) -> None:
    study = scm.Recipe.load(study_folder / "recipe.yaml").model_copy(update={"treat": None}).run(base=study_folder)
    shown = repr(study)
    assert shown.startswith("<Study 'Kesiapan kota dan kabupaten (illustrative)': raw → denominated → imputed")
    assert "imputed: 1 cells filled, 0 left missing" in shown
    assert len(shown.splitlines()) <= 8
    dimensions = study.result.wide("dimension")
    assert dimensions.loc[("kota-a", 2023)].notna().all()
    assert dimensions.to_numpy()[np.isfinite(dimensions.to_numpy())].min() >= 1


def test_settings_a_step_does_not_use_are_refused() -> None:
    with pytest.raises(ValueError, match="the power mean needs 'power'"):
        scm.scoring.AggregateStep(method={"overall": "power"})
    with pytest.raises(ValueError, match="'power' is used only by the power mean"):
        scm.scoring.AggregateStep(power=2)
    with pytest.raises(ValueError, match="'nonpositive' is used only by geometric"):
        scm.scoring.AggregateStep(nonpositive="zero")
    with pytest.raises(ValueError, match="winmax is used only by the coinr and winsorise treatments"):
        scm.scoring.TreatStep(method="log", winmax=3)


def test_imputation_that_leaves_gaps_says_so(study_folder: Path) -> None:
    recipe = scm.Recipe.load(study_folder / "recipe.yaml").model_copy(
        update={"treat": None, "impute": scm.scoring.ImputeStep(method="nocb")}
    )
    study = recipe.run()
    assert "1 cell left missing: nocb had nothing to fill it from" in study.notes


# ------------------------------------------------------------------ a province's study


SUMBAR = Path(__file__).parents[1] / "examples" / "sumatera-barat"


def test_a_province_recipe_gives_the_smart_province_rule_of_roll_up_province() -> None:
    study = scm.Recipe.load(SUMBAR / "recipe.yaml").run()
    assert study.province is not None
    listed = yaml.safe_load((SUMBAR / "indicators.yaml").read_text(encoding="utf-8"))
    structure = scm.Structure.from_framework(scm.builtin_framework(), [scm.Indicator.model_validate(i) for i in listed])
    regions = pd.read_csv(SUMBAR / "regions.csv")
    regions = regions[regions["id"] != "sumatera-barat"]
    data = pd.read_csv(SUMBAR / "observations.csv").rename(columns={"region_id": "region"})
    data = data[data["region"] != "sumatera-barat"][["region", "year", "indicator", "value"]]
    expected = scm.roll_up_province(
        data,
        structure,
        regions=regions,
        weights="population",
        share=0.8,
        rule_levels=("dimension",),
        missing="locf",
        min_coverage=0.3333,
        count_imputed=True,
    )
    assert study.province.levels.equals(expected.levels)
    pd.testing.assert_frame_equal(study.province.province, expected.province)
    assert any("sumatera-barat" in note for note in study.notes)


def test_the_indicators_of_a_recipe_are_checked_with_their_lines(tmp_path: Path) -> None:
    (tmp_path / "indicators.yaml").write_text(
        "- id: a\n  name: A\n  unit: '%'\n  element: pelayanan-publk\n- id: b\n  unit: '%'\n  element: industry\n",
        encoding="utf-8",
    )
    (tmp_path / "observations.csv").write_text("region,year,indicator,value\nx,2024,a,1\n", encoding="utf-8")
    (tmp_path / "recipe.yaml").write_text(
        "data:\n  observations: observations.csv\n  indicators: indicators.yaml\n", encoding="utf-8"
    )
    with pytest.raises(scm.scoring.RecipeError) as caught:
        scm.Recipe.load(tmp_path / "recipe.yaml").run()
    found = {(p.code, p.line) for p in caught.value.problems}
    assert ("missing-field", 5) in found  # b has no name
    assert ("dangling-reference", 4) in found  # the element is misspelt


def test_a_region_column_that_is_not_there_is_named_with_the_columns(tmp_path: Path) -> None:
    (tmp_path / "indicators.yaml").write_text("- {id: a, name: A, unit: '%', element: industry}\n", encoding="utf-8")
    (tmp_path / "observations.csv").write_text("region_id,year,indicator,value\nx,2024,a,1\n", encoding="utf-8")
    (tmp_path / "recipe.yaml").write_text(
        "data:\n  observations: observations.csv\n  indicators: indicators.yaml\n  region_column: regionid\n",
        encoding="utf-8",
    )
    with pytest.raises(scm.ScoringError, match=r"no column 'regionid' \(did you mean 'region_id'\?\)"):
        scm.Recipe.load(tmp_path / "recipe.yaml").run()


def test_population_weights_need_a_units_table(tmp_path: Path) -> None:
    (tmp_path / "indicators.yaml").write_text("- {id: a, name: A, unit: '%', element: industry}\n", encoding="utf-8")
    (tmp_path / "observations.csv").write_text(
        "region,year,indicator,value\nx,2024,a,1\ny,2024,a,2\n", encoding="utf-8"
    )
    (tmp_path / "recipe.yaml").write_text(
        "data:\n  observations: observations.csv\n  indicators: indicators.yaml\n"
        "normalise: {method: minmax}\naggregate: {min_coverage: 0}\nprovince: {weights: population, share: 0.5}\n",
        encoding="utf-8",
    )
    with pytest.raises(scm.ScoringError, match="population weights need a units table"):
        scm.Recipe.load(tmp_path / "recipe.yaml").run()


def test_a_region_left_out_that_the_data_do_not_have_is_refused(tmp_path: Path) -> None:
    for name in ("observations.csv", "indicators.yaml", "regions.csv"):
        (tmp_path / name).write_bytes((SUMBAR / name).read_bytes())
    recipe = (SUMBAR / "recipe.yaml").read_text(encoding="utf-8").replace("[sumatera-barat]", "[sumatra-barat]")
    (tmp_path / "recipe.yaml").write_text(recipe, encoding="utf-8")
    with pytest.raises(scm.ScoringError, match=r"'sumatra-barat' \(did you mean 'sumatera-barat'\?\)"):
        scm.Recipe.load(tmp_path / "recipe.yaml").run()


def test_a_data_file_that_is_no_csv_table_is_named(tmp_path: Path) -> None:
    (tmp_path / "observations.csv").write_text('region,year\n"x,2024\n', encoding="utf-8")
    (tmp_path / "indicators.yaml").write_text("- {id: a, name: A, unit: '%', element: industry}\n", encoding="utf-8")
    (tmp_path / "recipe.yaml").write_text(
        "data:\n  observations: observations.csv\n  indicators: indicators.yaml\n", encoding="utf-8"
    )
    with pytest.raises(scm.ScoringError, match=r"observations\.csv cannot be read as a CSV table"):
        scm.Recipe.load(tmp_path / "recipe.yaml").run()
