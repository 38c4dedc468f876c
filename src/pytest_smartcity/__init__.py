"""pytest plugin of smartcity-model: ``pytest`` in a masterplan repository checks the plans.

Every folder holding a ``masterplan.yaml``, and every file matching the ``smartcity_plans``
patterns, becomes a collector with one test item for loading and one per check family::

    plan/masterplan.yaml::load
    plan/masterplan.yaml::dependencies
    plan/masterplan.yaml::schedule
    ...

A family item fails when the plan has unwaived findings of that family at the ``fail on``
severity or worse (``error`` by default; set ``smartcity_fail_on`` or ``--smartcity-fail-on``).
The ``checks.yaml`` beside a plan configures thresholds and waivers.

Configuration (``pyproject.toml`` under ``[tool.pytest.ini_options]``, or ``pytest.ini``)::

    smartcity_plans = ["plans/*.yaml"]   # single-file plans to collect too
    smartcity_fail_on = "warning"

This module imports nothing heavy: the library (pandas, networkx, pydantic) is imported only when
a masterplan is collected, and hypothesis never.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from smartcity_model.checks import Finding, ValidationReport
    from smartcity_model.model import Masterplan

__all__ = ["FAMILIES", "MasterplanCollector", "MasterplanItem"]

#: The check families, one test item each (the same as ``smartcity_model.checks.Family``).
FAMILIES: tuple[str, ...] = (
    "dependencies",
    "schedule",
    "coverage",
    "collaboration",
    "data",
    "participation",
    "alignment",
    "analysis",
    "society",
    "governance",
    "places",
    "readiness",
    "monitoring",
    "configuration",
)
_SEVERITIES = ("error", "warning", "info")
_PLAN_FILE = "masterplan.yaml"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ini settings and command-line options of the plugin."""
    parser.addini(
        "smartcity_plans", type="linelist", default=[], help="glob patterns of single-file masterplans to check"
    )
    parser.addini("smartcity_fail_on", default="error", help="lowest finding severity that fails a check item")
    group = parser.getgroup("smartcity", "smartcity-model masterplan checks")
    group.addoption("--smartcity-fail-on", choices=_SEVERITIES, default=None, help="override smartcity_fail_on")
    group.addoption("--no-smartcity", action="store_true", default=False, help="do not collect masterplans")


def pytest_configure(config: pytest.Config) -> None:
    """Refuse an unknown ``smartcity_fail_on`` before any test runs."""
    _fail_on(config)


def _is_plan(file_path: Path, config: pytest.Config) -> bool:
    if file_path.name == _PLAN_FILE:
        return True
    patterns: list[str] = config.getini("smartcity_plans")
    if not patterns or file_path.suffix.lower() not in {".yaml", ".yml", ".json"}:
        return False
    relative = (
        file_path.relative_to(config.rootpath).as_posix()
        if file_path.is_relative_to(config.rootpath)
        else str(file_path)
    )
    return any(fnmatch.fnmatch(relative, pattern) for pattern in patterns)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> MasterplanCollector | None:
    """Collect a masterplan folder (through its ``masterplan.yaml``) or a matching single-file plan."""
    config = parent.config
    if config.getoption("no_smartcity") or not _is_plan(file_path, config):
        return None
    plan_path = file_path.parent if file_path.name == _PLAN_FILE else file_path
    collector: MasterplanCollector = MasterplanCollector.from_parent(parent, path=file_path, plan_path=plan_path)
    return collector


def _fail_on(config: pytest.Config) -> str:
    chosen = config.getoption("smartcity_fail_on") or config.getini("smartcity_fail_on")
    if chosen not in _SEVERITIES:
        msg = f"smartcity_fail_on must be one of {', '.join(_SEVERITIES)}, not {chosen!r}"
        raise pytest.UsageError(msg)
    return str(chosen)


class MasterplanLoadError(Exception):
    """The plan did not load; carries the library's message listing every problem."""


class FindingsError(Exception):
    """A family of checks found something at the failing severity."""

    def __init__(self, findings: list[Finding], family: str, severity: str) -> None:
        """Keep the failing findings for the report."""
        super().__init__(family)
        self.findings = findings
        self.family = family
        self.severity = severity


class MasterplanCollector(pytest.File):
    """One masterplan: loads it once, checks it once, and yields an item per family."""

    def __init__(self, *, plan_path: Path, **kwargs: Any) -> None:
        """Remember which plan (folder or file) this collector checks."""
        super().__init__(**kwargs)
        self.plan_path = plan_path
        self._plan: Masterplan | None = None
        self._report: ValidationReport | None = None
        self._load_error: str | None = None

    def collect(self) -> Iterator[MasterplanItem]:
        """Yield the ``load`` item, then one item per check family."""
        yield MasterplanItem.from_parent(self, name="load", family=None)
        for family in FAMILIES:
            yield MasterplanItem.from_parent(self, name=family, family=family)

    def plan(self) -> Masterplan:
        """Load the plan once; raise :class:`MasterplanLoadError` with every problem if it fails."""
        if self._plan is None and self._load_error is None:
            from smartcity_model import MasterplanError, SmartCityError, load  # noqa: PLC0415 - heavy, only when a plan exists

            try:
                self._plan = load(self.plan_path)
            except MasterplanError as error:
                self._load_error = str(error)
            except SmartCityError as error:
                self._load_error = f"{self.plan_path}: {error}"
        if self._load_error is not None:
            raise MasterplanLoadError(self._load_error)
        assert self._plan is not None  # noqa: S101 - set above
        return self._plan

    def report(self) -> ValidationReport:
        """Check the plan once, with the ``checks.yaml`` beside it if there is one."""
        if self._report is None:
            from smartcity_model import check, find_check_config  # noqa: PLC0415 - heavy, only when a plan exists

            self._report = check(self.plan(), find_check_config(self.plan_path))
        return self._report


class MasterplanItem(pytest.Item):
    """Loading a plan (``family`` is ``None``), or one family of its consistency checks."""

    def __init__(self, *, family: str | None, **kwargs: Any) -> None:
        """Remember the family this item checks."""
        super().__init__(**kwargs)
        self.family = family

    @property
    def collector(self) -> MasterplanCollector:
        """The plan's collector."""
        parent = self.parent
        assert isinstance(parent, MasterplanCollector)  # noqa: S101 - items are created by it
        return parent

    def runtest(self) -> None:
        """Load the plan, or fail on this family's findings at the failing severity."""
        if self.family is None:
            self.collector.plan()
            return
        try:
            report = self.collector.report()
        except MasterplanLoadError:
            pytest.skip("the masterplan did not load; see its 'load' item")
        severity = _fail_on(self.config)
        worst = _SEVERITIES.index(severity)
        failing = [
            f for f in report.active if f.family.value == self.family and _SEVERITIES.index(f.severity.value) <= worst
        ]
        if failing:
            raise FindingsError(failing, self.family, severity)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:  # noqa: ARG002 - pytest hook signature
        """Show the problems or findings instead of a traceback."""
        error = excinfo.value
        if isinstance(error, MasterplanLoadError):
            return str(error)
        if isinstance(error, FindingsError):
            lines = [f"{len(error.findings)} {error.family} finding(s) at {error.severity} level or worse:"]
            for finding in error.findings:
                subject = (
                    finding.subject_kind
                    if finding.subject_id is None
                    else f"{finding.subject_kind} {finding.subject_id!r}"
                )
                lines.append(f"  [{finding.severity.value}] {finding.code} {subject}: {finding.message}")
                lines.append(f"      hint: {finding.hint}")
            return "\n".join(lines)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """Name the item after the plan and the family."""
        return self.path, None, f"masterplan {self.collector.plan_path.name}::{self.name}"


@pytest.fixture(scope="session")
def load_masterplan() -> Callable[[str | Path], Masterplan]:
    """Return a function that loads a masterplan (folder or file), each path once per session."""
    from smartcity_model import load  # noqa: PLC0415 - heavy, only when the fixture is used

    @cache
    def cached(path: Path) -> Masterplan:
        return load(path)

    def loader(path: str | Path) -> Masterplan:
        return cached(Path(path).resolve())

    return loader


@pytest.fixture(scope="session")
def masterplan_paths(request: pytest.FixtureRequest) -> list[Path]:
    """Return the masterplans below the rootdir: folders with a ``masterplan.yaml``, then matching files."""
    config = request.config
    root = config.rootpath
    folders = sorted(path.parent for path in root.rglob(_PLAN_FILE) if ".git" not in path.parts)
    patterns: list[str] = config.getini("smartcity_plans")
    files = sorted(
        {
            p
            for pattern in patterns
            for p in root.glob(pattern)
            if p.is_file() and p.name != _PLAN_FILE and _is_plan(p, config)
        }
    )
    return [*folders, *files]
