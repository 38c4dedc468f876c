"""A recipe: one declared file that rebuilds a composite-index study from raw data, stage by stage.

A :class:`Recipe` names the study's data files (relative to the recipe) and the settings of each
stage: denominate → impute → screen → treat → normalise → aggregate (COINr's order). Saved as
YAML beside the data, it makes a study reproducible from one file, like a COINr "coin"::

    recipe = Recipe.load("study/recipe.yaml")
    study = recipe.run()
    study.wide("treated")          # any stage's table
    study.result.wide("index")     # the roll-up

Every stage's table, what it did and what it had to assume are kept on the :class:`Study`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
import yaml
from pydantic import Field, PrivateAttr, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from smartcity_model.errors import MasterplanError, Problem, suggest
from smartcity_model.i18n import _, language, n_
from smartcity_model.io.atomic import write_files_atomically
from smartcity_model.io.yamlfile import parse_yaml, read_text
from smartcity_model.model.assemble import problems_from_validation
from smartcity_model.model.base import FrozenModel, Text
from smartcity_model.scoring.aggregate import Aggregation, NonPositive
from smartcity_model.scoring.coinr import read_coinr, wide_for_coinr
from smartcity_model.scoring.denominate import DenominatorMap, MissingDenominator, denominate_panel, denominators_of
from smartcity_model.scoring.impute import ImputationMethod, impute_panel, left_note
from smartcity_model.scoring.normalise import NormaliseSpec, Scope
from smartcity_model.scoring.panel import Panel
from smartcity_model.scoring.province import ProvinceReadiness, province_from_rollup
from smartcity_model.scoring.readiness import readiness_scale
from smartcity_model.scoring.rollup import RollUp, aggregation_per_level, score_panel
from smartcity_model.scoring.screen import ScreenUnit, removed_note, screen_panel
from smartcity_model.scoring.stages import filled_cells
from smartcity_model.scoring.structure import ScoringError, Structure, listing, unknown_names, warn
from smartcity_model.scoring.treat import Treatment, TreatmentRule, treat_panel, unchecked_message

__all__ = [
    "SOURCE_COLUMNS",
    "STAGES",
    "AggregateStep",
    "DataFiles",
    "DenominateStep",
    "ImputeStep",
    "ProvinceStep",
    "Recipe",
    "RecipeError",
    "ScreenStep",
    "Study",
    "TreatStep",
    "data_sources",
]

#: The tables a study keeps, in the order they are made.
STAGES: tuple[str, ...] = ("raw", "denominated", "imputed", "screened", "treated", "normalised", "aggregated")
Share = Annotated[float, Field(ge=0, le=1)]


class RecipeError(ScoringError):
    """A recipe file that cannot be read; :attr:`problems` lists every problem with its line."""

    def __init__(self, problems: list[Problem], source: str) -> None:
        """Collect the problems of ``source``."""
        self.problems = tuple(problems)
        head = n_("{n} problem in recipe {source}:", "{n} problems in recipe {source}:", len(problems))
        lines = [head.format(n=len(problems), source=source), *(f"  {p}" for p in problems)]
        super().__init__("\n".join(lines))


@dataclass
class _Log:
    """What the stages of one run leave behind: their data, details, changed cells and notes."""

    stages: dict[str, Panel]
    details: dict[str, pd.DataFrame] = field(default_factory=dict)
    changes: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def note(self, message: str, *, loud: bool = False) -> None:
        """Keep a note for the study; ``loud`` also issues it as a :class:`ScoringWarning`."""
        self.notes.append(message)
        if loud:
            warn(message)


class DataFiles(FrozenModel):
    """Where the study's tables are, relative to the recipe file.

    Either ``observations`` (tidy CSV: ``region, year, indicator, value``) with ``structure``
    (CSV: ``node, level, parent, weight`` and optionally ``direction, target, denominator``) and
    ``levels``; or COINr's ``coinr_data`` (iData) and ``coinr_meta`` (iMeta) with ``levels``.
    ``units`` is a CSV with ``region`` (and optionally ``year``) and the columns of groups and
    denominators (COINr's iData carries them itself).
    """

    observations: str | None = None
    structure: str | None = None
    levels: tuple[str, ...] | None = None
    """Level names, bottom (indicators) to top."""
    indicators: str | None = None
    """Instead of ``structure`` and ``levels``: a YAML list of indicators (as a plan's
    ``indicators.yaml``) on ``framework``, scored indicator → element → dimension → overall."""
    framework: str = "gm100sc"
    """The framework of ``indicators``: a built-in name, or a framework YAML file."""
    region_column: str = "region"
    """The column of ``observations`` that holds the region ids (e.g. ``region_id``)."""
    units: str | None = None
    coinr_data: str | None = None
    coinr_meta: str | None = None
    unit_column: str = "uCode"
    """COINr: the column of unit codes."""
    time_column: str = "Time"
    """COINr: the column of years."""

    @model_validator(mode="after")
    def _one_source(self) -> DataFiles:
        tidy = self.observations is not None or self.structure is not None or self.indicators is not None
        coinr = self.coinr_data is not None or self.coinr_meta is not None
        if tidy == coinr:
            raise PydanticCustomError(
                "missing-field", _("give either observations and structure, or coinr_data and coinr_meta")
            )
        if self.indicators is not None and (self.structure is not None or self.levels is not None):
            raise PydanticCustomError(
                "wrong-shape", _("give either indicators (on a framework), or a structure file and its levels")
            )
        described = self.indicators is not None or (self.structure is not None and self.levels is not None)
        if tidy and (self.observations is None or not described):
            raise PydanticCustomError(
                "missing-field", _("observations need indicators, or a structure file and its levels")
            )
        if coinr and (self.coinr_data is None or self.coinr_meta is None):
            raise PydanticCustomError("missing-field", _("coinr_data and coinr_meta go together"))
        return self


class DenominateStep(FrozenModel):
    """Divide indicators by denominators from the units table."""

    by: DenominatorMap | None = None
    """Indicator → denominator column (or ``{column, scale}``); default: the structure's own."""
    missing: MissingDenominator = "raise"
    """A value without a usable denominator: an error (``raise``) or a gap (``gap``, as COINr)."""

    def apply(self, panel: Panel, structure: Structure, units: pd.DataFrame | None, log: _Log, stage: str) -> Panel:
        """Divide the indicators by their denominators from the units table."""
        by = denominators_of(self.by) if self.by is not None else denominators_of(structure)
        result, log.details[stage], notes = denominate_panel(
            panel, _needed(units, "denominate"), by, missing=self.missing
        )
        for note in notes:
            log.note(note, loud=True)
        return result


class ImputeStep(FrozenModel):
    """Fill missing values."""

    method: ImputationMethod
    """``mean``, ``median``, ``group_mean``, ``group_median``, ``locf``, ``nocb`` or ``linear``."""
    group: str | None = None
    """For group methods: the column of the units table that holds each region's group."""
    max_gap: Annotated[int, Field(ge=1)] | None = None
    """For ``locf``, ``nocb`` and ``linear``: the most years a gap may span."""

    def apply(self, panel: Panel, _structure: Structure, units: pd.DataFrame | None, log: _Log, stage: str) -> Panel:
        """Fill the gaps, flagging every filled cell."""
        groups = None if self.group is None else _groups(_needed(units, "impute"), self.group)
        result, log.details[stage] = impute_panel(panel, self.method, groups=groups, max_gap=self.max_gap)
        log.changes[stage] = filled_cells(panel, result)
        note = left_note(log.details[stage], self.method)
        if note is not None:
            log.note(note)
        return result

    @model_validator(mode="after")
    def _group(self) -> ImputeStep:
        grouped = self.method in {"group_mean", "group_median"}
        if grouped != (self.group is not None):
            raise PydanticCustomError(
                "invalid-choice", _("group_mean and group_median need 'group'; other methods take none")
            )
        return self


class ScreenStep(FrozenModel):
    """Leave out units with too little data."""

    min_availability: Share = 2 / 3
    min_nonzero: Share | None = None
    unit: ScreenUnit = "region-year"
    count_imputed: bool = False
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def apply(self, panel: Panel, _structure: Structure, _units: pd.DataFrame | None, log: _Log, stage: str) -> Panel:
        """Leave out the units with too little data."""
        result, details = screen_panel(
            panel,
            min_availability=self.min_availability,
            min_nonzero=self.min_nonzero,
            unit=self.unit,
            count_imputed=self.count_imputed,
            include=self.include,
            exclude=self.exclude,
        )
        log.details[stage] = details
        note = removed_note(details, self.unit)
        if note is not None:
            log.note(note)
        return result


class TreatStep(FrozenModel):
    """Treat outliers."""

    method: Treatment = "coinr"
    winmax: Annotated[int, Field(ge=0)] = 5
    skew: Annotated[float, Field(gt=0)] = 2.0
    kurtosis: float = 3.5
    scope: Scope = "panel"
    methods: dict[str, Treatment] = Field(default_factory=dict)
    """Per-indicator methods, e.g. ``{tir: none}``."""

    def apply(self, panel: Panel, _structure: Structure, _units: pd.DataFrame | None, log: _Log, stage: str) -> Panel:
        """Treat the outliers."""
        rule = TreatmentRule(self.winmax, self.skew, self.kurtosis)
        result, log.details[stage], log.changes[stage] = treat_panel(
            panel, self.method, rule=rule, scope=self.scope, methods=self.methods
        )
        message = unchecked_message(log.details[stage])
        if message:
            log.note(message, loud=True)
        return result

    @model_validator(mode="after")
    def _used(self) -> TreatStep:
        if self.method in {"log", "none"} and not self.methods and "winmax" in self.model_fields_set:
            raise PydanticCustomError("invalid-choice", _("winmax is used only by the coinr and winsorise treatments"))
        return self


class AggregateStep(FrozenModel):
    """Aggregate up the levels."""

    method: Aggregation | dict[str, Aggregation] = "arithmetic"
    """One method, or one per level."""
    power: float | None = None
    nonpositive: NonPositive = "raise"
    min_coverage: Share = 0.65
    count_imputed: bool = False

    @model_validator(mode="after")
    def _used(self) -> AggregateStep:
        methods = {self.method} if isinstance(self.method, str) else set(self.method.values())
        if "power" in methods and self.power is None:
            raise PydanticCustomError("missing-field", _("the power mean needs 'power' (e.g. 0.5 or 2)"))
        if "power" not in methods and self.power is not None:
            raise PydanticCustomError("invalid-choice", _("'power' is used only by the power mean"))
        if "nonpositive" in self.model_fields_set and not methods & {"geometric", "harmonic", "power"}:
            raise PydanticCustomError(
                "invalid-choice", _("'nonpositive' is used only by geometric, harmonic and power means")
            )
        return self


class ProvinceStep(FrozenModel):
    """The smart-province rule over the study's regions (see :func:`~smartcity_model.roll_up_province`)."""

    name: Text = None
    """The province's name, e.g. *Provinsi Sumatera Barat*."""
    weights: Literal["equal", "population"] = "equal"
    """``population`` weighs the regions by the ``population`` column of the units table."""
    share: Annotated[float, Field(gt=0, le=1)] = 1.0
    """The province reaches a level where at least this share of its regions do."""
    rule_levels: tuple[str, ...] | None = None
    """The levels the rule applies on (default: the two top levels)."""
    exclude: tuple[str, ...] = ()
    """Regions of the data left out of the roll-up, e.g. the province's own row."""


class Recipe(FrozenModel):
    """A composite-index study declared in one file: its data and every stage's settings."""

    name: Text = None
    description: Text = None
    data: DataFiles | None = None
    """The study's files; without them, :meth:`run` needs the tables as arguments."""
    years: tuple[int, ...] | None = None
    """The years scored (default: the data's)."""
    denominate: DenominateStep | None = None
    impute: ImputeStep | None = None
    screen: ScreenStep | None = None
    treat: TreatStep | None = None
    normalise: NormaliseSpec = Field(default_factory=NormaliseSpec)
    aggregate: AggregateStep = Field(default_factory=AggregateStep)
    scale: str = "default"
    """Readiness scale of the result."""
    province: ProvinceStep | None = None
    """The smart-province rule, for a study of one province's regions."""
    _source: Path | None = PrivateAttr(default=None)

    # ------------------------------------------------------------------------- files

    @classmethod
    def load(cls, path: str | Path) -> Recipe:
        """Read a recipe from a YAML file; every problem is reported at once with its line."""
        path = Path(path)
        shown = str(path)
        try:
            parsed = parse_yaml(read_text(path, shown), shown)
        except MasterplanError as error:  # a file that is missing, unreadable or not YAML
            raise RecipeError(list(error.problems), shown) from None
        if not isinstance(parsed.data, Mapping):
            problem = Problem("wrong-shape", _("a recipe is a mapping of settings"), file=shown, line=1)
            raise RecipeError([problem], shown)
        try:
            recipe = cls.model_validate(parsed.data)
        except ValidationError as error:
            problems = []
            for problem in problems_from_validation(error, prefix=(), kind="recipe", obj_id=None, model=cls):
                line = _line(parsed.lines, problem.path)
                problems.append(
                    Problem(
                        problem.code, problem.message, field=problem.field, file=shown, line=line, path=problem.path
                    )
                )
            raise RecipeError(problems, shown) from None
        recipe._source = path  # noqa: SLF001 - set once, by the constructor that read the file
        return recipe

    @property
    def source(self) -> Path | None:
        """The file the recipe was loaded from (its data files are relative to its folder)."""
        return self._source

    def to_yaml(self) -> str:
        """Return the recipe as YAML (settings at their defaults left out)."""
        data = self.model_dump(mode="json", exclude_defaults=True)
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)

    def save(self, path: str | Path) -> None:
        """Write the recipe to ``path`` atomically."""
        write_files_atomically({Path(path): self.to_yaml()})

    # ------------------------------------------------------------------------- running

    def run(
        self,
        data: pd.DataFrame | None = None,
        structure: Structure | None = None,
        *,
        units: pd.DataFrame | None = None,
        base: str | Path | None = None,
    ) -> Study:
        """Run every stage and return the :class:`Study` with all its tables.

        ``data``, ``structure`` and ``units`` replace the recipe's files; ``base`` is the folder
        the files are relative to (by default the recipe file's folder, or the working folder).
        """
        data, structure, units = self._inputs(data, structure, units, base)
        sources = data_sources(data)
        excluded: list[str] = []
        if self.province is not None and self.province.exclude:
            regions = sorted(set(data["region"].astype(str)))
            if (unknown := unknown_names(_("regions"), self.province.exclude, regions)) is not None:
                msg = _("province.exclude names regions the data do not have: {unknown}").format(unknown=unknown)
                raise ScoringError(msg)
            left_out = data["region"].astype(str).isin(self.province.exclude)
            excluded = sorted(set(data.loc[left_out, "region"].astype(str)))
            data = data[~left_out]
            if units is not None:
                key = "region" if "region" in units.columns else "id"
                units = units[~units[key].astype(str).isin(self.province.exclude)]
        panel = Panel.from_table(data, indicators=structure.indicators, years=self.years)
        if not panel.regions or not panel.years:
            msg = _("nothing to score: the data have no observations (in the years asked for)")
            raise ScoringError(msg)
        log = _Log(stages={"raw": panel})
        for stage, step in (
            ("denominated", self.denominate),
            ("imputed", self.impute),
            ("screened", self.screen),
            ("treated", self.treat),
        ):
            if step is not None:
                panel = step.apply(panel, structure, units, log, stage)
                log.stages[stage] = panel
        step_a = self.aggregate
        result = score_panel(
            panel,
            structure,
            normalisation=self.normalise,
            aggregations=aggregation_per_level(structure, step_a.method, step_a.power),
            power=step_a.power,
            nonpositive=step_a.nonpositive,
            min_coverage=step_a.min_coverage,
            count_imputed=step_a.count_imputed,
            scale=readiness_scale(self.scale),
            options={
                "missing": self.impute.method if self.impute is not None else "coverage",
                "min_coverage": step_a.min_coverage,
                "count_imputed": step_a.count_imputed,
                **({"power": step_a.power} if step_a.power is not None else {}),
                **({"nonpositive": step_a.nonpositive} if step_a.nonpositive != "raise" else {}),
            },
            notes=[
                *log.notes,
                *(
                    [_("left out of the province's roll-up: {regions}").format(regions=listing(excluded))]
                    if excluded
                    else []
                ),
            ],
        )
        province = None
        if self.province is not None:
            step_p = self.province
            if step_p.weights == "population" and units is None:
                msg = _("the province's population weights need a units table with a population column (data.units)")
                raise ScoringError(msg)
            province = province_from_rollup(
                result, regions=units, weights=step_p.weights, share=step_p.share, rule_levels=step_p.rule_levels
            )
        return Study(
            self, structure, log.stages, log.details, log.changes, result, province, self._names(units), sources
        )

    def _names(self, units: pd.DataFrame | None) -> dict[str, str]:
        """Return the names the study's files give: regions from the units table, indicators from their file."""
        names: dict[str, str] = {}
        if units is not None and "name" in units.columns:
            key = "region" if "region" in units.columns else "id"
            if key in units.columns:
                names.update(zip(units[key].astype(str), units["name"].astype(str), strict=True))
        files = self.data
        if files is not None and files.indicators is not None and self._source is not None:
            parsed = parse_yaml(read_text(self._source.parent / files.indicators, files.indicators), files.indicators)
            lang = language()
            for item in parsed.data if isinstance(parsed.data, list) else []:
                if isinstance(item, Mapping) and isinstance(item.get("id"), str):
                    english = item.get("name_en") if lang == "en" else None
                    names[item["id"]] = str(english or item.get("name") or item["id"])
        return names

    def _inputs(
        self,
        data: pd.DataFrame | None,
        structure: Structure | None,
        units: pd.DataFrame | None,
        base: str | Path | None,
    ) -> tuple[pd.DataFrame, Structure, pd.DataFrame | None]:
        files = self.data
        folder = Path(base) if base is not None else (self._source.parent if self._source is not None else Path())
        if units is None and files is not None and files.units is not None:
            units = _csv(folder, files.units)
        if data is not None and structure is not None:
            return data, structure, units
        if files is None:
            msg = _("the recipe names no data files: pass data= and structure= to run()")
            raise ScoringError(msg)
        if files.coinr_data is not None and files.coinr_meta is not None:
            coin = read_coinr(
                _csv(folder, files.coinr_data),
                _csv(folder, files.coinr_meta),
                files.levels,
                unit=files.unit_column,
                time=files.time_column,
            )
            return (
                data if data is not None else coin.data,
                structure or coin.structure,
                units if units is not None else coin.units,
            )
        assert files.observations is not None  # noqa: S101 - DataFiles checks the tidy files come together
        table = data if data is not None else _csv(folder, files.observations)
        if data is None and files.region_column != "region":
            if files.region_column not in table.columns:
                columns = [str(c) for c in table.columns]
                msg = _("the observations have no column {column}{hint}; their columns: {columns}").format(
                    column=repr(files.region_column),
                    hint=suggest(files.region_column, columns),
                    columns=listing(columns),
                )
                raise ScoringError(msg)
            table = table.rename(columns={files.region_column: "region"})
        if structure is not None:
            return table, structure, units
        if files.indicators is not None:
            return table, _framework_structure(folder, files.indicators, files.framework), units
        assert files.structure is not None  # noqa: S101 - DataFiles checks the tidy files come together
        assert files.levels is not None  # noqa: S101 - same
        return table, Structure.from_frame(_csv(folder, files.structure), files.levels), units


#: Columns of an observations table that say where a value comes from.
SOURCE_COLUMNS = ("source", "source_url", "status")


def data_sources(table: pd.DataFrame) -> pd.DataFrame:
    """Return where each indicator's observations come from: one row per indicator.

    Columns ``indicator, observations, regions, first_year, last_year`` and, of
    :data:`SOURCE_COLUMNS`, those the table has, each listing its distinct values.
    """
    columns = ["indicator", "observations", "regions", "first_year", "last_year"]
    present = [column for column in SOURCE_COLUMNS if column in table.columns]
    if table.empty or not {"indicator", "region", "year"} <= set(table.columns):
        return pd.DataFrame(columns=[*columns, *present])
    grouped = table.groupby("indicator", sort=True)
    frame = pd.DataFrame(
        {
            "observations": grouped.size(),
            "regions": grouped["region"].nunique(),
            "first_year": grouped["year"].min(),
            "last_year": grouped["year"].max(),
        }
    )
    for column in present:
        frame[column] = grouped[column].agg(lambda values: "; ".join(sorted({str(v) for v in values.dropna()})))
    return frame.reset_index()[[*columns, *present]]


def _line(lines: Mapping[tuple[str | int, ...], int], path: tuple[str | int, ...]) -> int | None:
    """Return the line of the deepest part of ``path`` the file shows (a missing field: its parent's)."""
    for depth in range(len(path), 0, -1):
        if path[:depth] in lines:
            return lines[path[:depth]]
    return None


def _framework_structure(folder: Path, indicators: str, framework: str) -> Structure:
    """Read a YAML list of indicators and set them on a framework: indicator → element → dimension → overall."""
    from smartcity_model.frameworks import BUILTIN_FRAMEWORKS, builtin_framework  # noqa: PLC0415 - model layer
    from smartcity_model.io.plan import load_framework  # noqa: PLC0415 - io sits above scoring
    from smartcity_model.model import Indicator  # noqa: PLC0415 - same
    from smartcity_model.model.header import with_element_ids  # noqa: PLC0415 - same

    tree = builtin_framework(framework) if framework in BUILTIN_FRAMEWORKS else load_framework(folder / framework)
    path = folder / indicators
    shown = str(path)
    try:
        parsed = parse_yaml(read_text(path, shown), shown)
    except MasterplanError as error:
        raise RecipeError(list(error.problems), shown) from None
    if not isinstance(parsed.data, list):
        problem = Problem("wrong-shape", _("the indicators file holds a list of indicators"), file=shown, line=1)
        raise RecipeError([problem], shown)
    items = with_element_ids({"indicators": parsed.data}, tree)["indicators"]
    problems: list[Problem] = []
    found = []
    for position, item in enumerate(items):
        try:
            found.append(Indicator.model_validate(item))
        except ValidationError as error:
            label = item.get("id") if isinstance(item, Mapping) else None
            problems.extend(
                dataclasses.replace(problem, file=shown, line=_line(parsed.lines, problem.path))
                for problem in problems_from_validation(
                    error, prefix=(position,), kind="indicator", obj_id=label, model=Indicator
                )
            )
    known = {element.id for element in tree.elements}
    for position, indicator in enumerate(found):
        if indicator.element not in known:
            message = _("unknown element {element}{hint}").format(
                element=repr(indicator.element), hint=suggest(indicator.element, known)
            )
            problems.append(
                Problem(
                    "dangling-reference",
                    message,
                    kind="indicator",
                    id=indicator.id,
                    field="element",
                    file=shown,
                    line=_line(parsed.lines, (position, "element")),
                )
            )
    if problems:
        raise RecipeError(problems, shown)
    return Structure.from_framework(tree, found)


def _csv(folder: Path, name: str) -> pd.DataFrame:
    path = folder / name
    if not path.is_file():
        msg = _("the recipe's file {name} is not in {folder}").format(name=repr(name), folder=folder)
        raise ScoringError(msg)
    try:
        return pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as error:
        msg = _("the recipe's file {path} cannot be read as a CSV table: {reason}").format(
            path=path, reason=str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
        )
        raise ScoringError(msg) from None


def _needed(units: pd.DataFrame | None, stage: str) -> pd.DataFrame:
    if units is None:
        msg = _("{stage} needs a units table (data.units in the recipe, or units= in run())").format(stage=stage)
        raise ScoringError(msg)
    return units


def _groups(units: pd.DataFrame, column: str) -> dict[str, Any]:
    if column not in units.columns:
        columns = [str(c) for c in units.columns]
        msg = _("the units table has no group column {column}{hint}; its columns: {columns}").format(
            column=repr(column), hint=suggest(column, columns), columns=listing(columns)
        )
        raise ScoringError(msg)
    key = "region" if "region" in units.columns else "id"
    pairs = units[[key, column]].drop_duplicates()
    twice = sorted(set(pairs.loc[pairs[key].duplicated(), key].astype(str)))
    if twice:
        msg = _("the units table gives regions {regions} more than one {column}").format(
            regions=listing(twice), column=repr(column)
        )
        raise ScoringError(msg)
    return dict(zip(pairs[key].astype(str), pairs[column], strict=True))


@dataclass(frozen=True, eq=False)
class Study:
    """A recipe run: every stage's data, what each stage did, and the roll-up."""

    recipe: Recipe
    structure: Structure
    stages: Mapping[str, Panel]
    """The data after each stage run (``raw``, ``denominated``, ``imputed``, ``screened``, ``treated``)."""
    details: Mapping[str, pd.DataFrame]
    """What each stage did, one table per stage."""
    changes: Mapping[str, pd.DataFrame]
    """The cells imputation and treatment changed."""
    result: RollUp
    """Normalised and aggregated scores."""
    province: ProvinceReadiness | None = None
    """The smart-province rule applied to the result, when the recipe has a ``province`` step."""
    names: Mapping[str, str] = field(default_factory=dict)
    """Names of regions (the units table's ``name`` column) and indicators (their ``name``), by id."""
    sources: pd.DataFrame = field(default_factory=lambda: data_sources(pd.DataFrame()))
    """Where each indicator's data come from (:func:`data_sources` of the observations read)."""

    @property
    def notes(self) -> tuple[str, ...]:
        """What the stages had to assume or leave out."""
        return self.result.notes

    def _check(self, stage: str) -> str:
        done = [s for s in STAGES if s in self.stages or s in {"normalised", "aggregated"}]
        if stage not in done:
            msg = _("no stage {stage}{hint} in this study; it has {stages}").format(
                stage=repr(stage), hint=suggest(str(stage), STAGES), stages=", ".join(done)
            )
            raise ScoringError(msg)
        return stage

    def table(self, stage: str = "aggregated") -> pd.DataFrame:
        """Return one stage's data as a tidy table (``aggregated``: every score, as ``result.scores``)."""
        stage = self._check(stage)
        if stage == "aggregated":
            return self.result.scores
        if stage == "normalised":
            scores = self.result.scores
            return scores[scores["level"] == self.structure.levels[0]].reset_index(drop=True)
        return self.stages[stage].to_table()

    def wide(self, stage: str = "aggregated") -> pd.DataFrame:
        """Return one stage's data as (region, year) × columns: indicators, and aggregates for ``aggregated``."""
        stage = self._check(stage)
        if stage == "normalised":
            return self.result.wide(self.structure.levels[0])
        if stage == "aggregated":
            return pd.concat([self.result.wide(level) for level in self.structure.levels], axis=1)
        return self.stages[stage].to_wide()

    def to_coinr(self, stage: str, *, unit: str = "uCode") -> pd.DataFrame:
        """Return one stage's data laid out as COINr does: one row per unit, ``unit`` then columns."""
        wide = self.wide(stage)
        return wide_for_coinr(wide, unit=unit, keep_year=len(set(wide.index.get_level_values("year"))) > 1)

    def __repr__(self) -> str:
        """Summarise in a few lines: stages run, what they did, the result."""
        done = [s for s in STAGES if s in self.stages] + ["normalised", "aggregated"]
        name = f" {self.recipe.name!r}" if self.recipe.name else ""
        lines = [f"<Study{name}: {' → '.join(done)}"]
        for stage, table in self.details.items():
            lines.append(f"  {stage}: {_summary(stage, table)}")
        lines.extend(f"  note: {note}" for note in self.notes)
        lines.append("  tables: .table(stage) .wide(stage) .details[stage] .changes[stage] .result>")
        return "\n".join(lines)


def _summary(stage: str, table: pd.DataFrame) -> str:
    if stage == "denominated":
        return f"{len(table)} indicators divided"
    if stage == "imputed":
        return f"{int(table['filled'].sum())} cells filled, {int(table['left'].sum())} left missing"
    if stage == "screened":
        return f"{int((~table['included']).sum())} of {len(table)} units removed"
    counts = table["status"].value_counts()
    return ", ".join(f"{n} {status}" for status, n in counts.items() if status != "passed") or "all passed"
