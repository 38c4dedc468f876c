"""Many masterplans at once: a province's or a whole country's, loaded in parallel processes.

A folder tree holds one plan folder per region (any layout, e.g. ``<province>/<region>/``); a
plan folder is a folder holding any of the files of :data:`~smartcity_model.FOLDER_FILES`.
Every plan's problems are collected, so one bad plan never hides the others, and the plans that
loaded feed :func:`~smartcity_model.check` and :func:`~smartcity_model.roll_up_province`.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import click

from smartcity_model.errors import (
    MasterplanError,
    PlanNotFoundError,
    Problem,
    SmartCityError,
    unknown_id,
    warn_caller,
)
from smartcity_model.i18n import _, n_
from smartcity_model.io.plan import FOLDER_FILES, collector_paused, load
from smartcity_model.model import Masterplan

if TYPE_CHECKING:
    from smartcity_model.checks import CheckConfig, ValidationReport
    from smartcity_model.scoring import ProvinceReadiness

__all__ = ["PlanSet", "find_plans", "load_many"]

_PLAN_FILES = frozenset(FOLDER_FILES.values())
_DATA_SUFFIXES = frozenset({".yaml", ".yml", ".json", ".csv", ".tsv"})
#: Below this many plans, loading in this process is faster than starting workers.
_PARALLEL_FROM = 8


@dataclass
class _Survey:
    """What a search of a folder tree found: plan folders, and what it saw but will not read."""

    plans: list[Path] = field(default_factory=list)
    stray: list[Path] = field(default_factory=list)
    """Data files outside every plan folder, plan folders hidden or inside another plan folder."""
    seen: set[str] = field(default_factory=set)
    """Real paths of the folders visited (a linked folder is visited once)."""


def _data_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in _DATA_SUFFIXES and p.is_file())


def _subfolders(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and p.name != ".git")


def _holds_plan(folder: Path, survey: _Survey, visiting: set[str] | None = None) -> bool:
    """Tell whether a plan folder lies at or below ``folder`` (followed links included, loops not)."""
    visiting = set() if visiting is None else visiting
    real = os.path.realpath(folder)
    if real in survey.seen or real in visiting:
        return False
    visiting.add(real)
    if (folder / FOLDER_FILES[None]).is_file():
        return True
    return any(_holds_plan(sub, survey, visiting) for sub in _subfolders(folder))


def _visit(folder: Path, survey: _Survey, *, hidden: bool) -> None:
    """Search ``folder``: a plan folder is taken whole; elsewhere data files are stray."""
    real = os.path.realpath(folder)
    if real in survey.seen:
        return
    survey.seen.add(real)
    files = _data_files(folder)
    parts = [path for path in files if path.name in _PLAN_FILES]
    subfolders = _subfolders(folder)
    is_plan = (folder / FOLDER_FILES[None]).is_file() or (
        parts and not any(_holds_plan(sub, survey) for sub in subfolders)
    )
    if is_plan:
        (survey.stray if hidden else survey.plans).append(folder)
        for sub in subfolders:  # a plan inside a plan folder is never read
            _nested(sub, survey)
        return
    survey.stray += files
    for sub in subfolders:
        _visit(sub, survey, hidden=hidden or sub.name.startswith("."))


def _nested(folder: Path, survey: _Survey) -> None:
    real = os.path.realpath(folder)
    if real in survey.seen:
        return
    survey.seen.add(real)
    if (folder / FOLDER_FILES[None]).is_file():
        survey.stray.append(folder)
    for sub in _subfolders(folder):
        _nested(sub, survey)


def _survey(root: Path) -> _Survey:
    survey = _Survey()
    if root.is_file():
        survey.plans.append(root)
    else:
        _visit(root, survey, hidden=False)
    return survey


def find_plans(root: str | Path) -> list[Path]:
    """Return the plan folders under ``root`` in sorted order (``root`` itself if it is one).

    A plan folder is a folder holding ``masterplan.yaml``, or plan files but no plan folder below
    it (a plan whose header is missing). Linked folders are followed (each real folder once);
    hidden folders and folders inside a plan folder are not searched for plans.
    """
    top = Path(root)
    if not top.exists():
        msg = _("no masterplans at {path}: no such file or folder").format(path=top)
        raise PlanNotFoundError(msg)
    return sorted(_survey(top).plans)


def _load_one(path: Path) -> Masterplan | MasterplanError:
    """Load one plan, returning its problems instead of raising them."""
    try:
        return load(path)
    except MasterplanError as error:
        return error
    except (SmartCityError, OSError) as error:  # a path that is not a plan at all, or cannot be read
        return MasterplanError([Problem("file-unreadable", str(error), file=str(path))], path)


def _load_chunk(paths: Sequence[str]) -> list[Masterplan | MasterplanError]:
    """Load a batch of plans in a worker process."""
    return [_load_one(Path(path)) for path in paths]


def _chunks(paths: Sequence[Path], workers: int) -> list[list[str]]:
    """Split into about four batches per worker, so the work stays balanced and progress moves."""
    size = max(1, len(paths) // (workers * 4))
    return [[str(path) for path in paths[start : start + size]] for start in range(0, len(paths), size)]


def _workers(workers: int | None) -> int:
    if workers is None:
        available = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
        return max(1, len(available))
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        msg = _("workers must be a whole number of at least 1, not {value}").format(value=repr(workers))
        raise ValueError(msg)
    return workers


def _pool_context() -> BaseContext | None:
    """Fork workers on Linux: they start at once and need no ``if __name__ == "__main__"`` guard.

    Elsewhere the platform's default start method is used (``spawn`` on Windows and macOS).
    """
    return multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None


def _load_serially(paths: Sequence[Path], bar: Any) -> list[Masterplan | MasterplanError]:
    results = []
    for path in paths:
        results.append(_load_one(path))
        bar.update(1)
    return results


def _load_all(paths: Sequence[Path], workers: int, bar: Any) -> list[Masterplan | MasterplanError]:
    if workers == 1 or len(paths) < _PARALLEL_FROM:
        return _load_serially(paths, bar)
    chunks = _chunks(paths, workers)
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=_pool_context()) as pool:
            futures: list[Future[list[Masterplan | MasterplanError]]] = [pool.submit(_load_chunk, c) for c in chunks]
            pending = dict(zip(futures, chunks, strict=True))
            for done in as_completed(pending):
                bar.update(len(pending[done]))
            return [item for future in futures for item in future.result()]
    except BrokenProcessPool as error:  # workers that cannot start or that died
        warn_caller(
            _("the plans could not be loaded in parallel processes ({reason}); loading them here instead").format(
                reason=error
            )
        )
        return _load_serially(paths, _NoBar())


class _NoBar:
    def update(self, steps: int) -> None:
        """Do nothing: no terminal to draw on."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        return None


#: Stray files named in the warning before "and N more".
_SHOWN_STRAY = 5


def _search(root: Path) -> list[Path]:
    """Find the plans under ``root``, refusing a folder without any and warning of what is left unread."""
    if not root.exists():
        msg = _("no masterplans at {path}: no such file or folder").format(path=root)
        raise PlanNotFoundError(msg)
    survey = _survey(root)
    if not survey.plans:
        msg = _("no masterplans under {path}: no folder in it holds {file}").format(path=root, file=FOLDER_FILES[None])
        raise PlanNotFoundError(msg)
    stray = survey.stray
    if stray:
        shown = ", ".join(str(path) for path in stray[:_SHOWN_STRAY])
        more = _(" and {n} more").format(n=len(stray) - _SHOWN_STRAY) if len(stray) > _SHOWN_STRAY else ""
        message = n_(
            "{n} file or folder under {root} is not read: data files outside every plan folder, "
            "and plans in hidden folders or inside another plan folder: {shown}{more}",
            "{n} files or folders under {root} are not read: data files outside every plan folder, "
            "and plans in hidden folders or inside another plan folder: {shown}{more}",
            len(stray),
        )
        warn_caller(message.format(n=len(stray), root=root, shown=shown, more=more))
    return sorted(survey.plans)


def load_many(
    source: str | Path | Iterable[str | Path],
    *,
    workers: int | None = None,
    progress: bool = True,
) -> PlanSet:
    """Load every masterplan under a folder tree (or in a list of paths), in parallel processes.

    Parameters
    ----------
    source
        A folder searched with :func:`find_plans`, or the plan folders and files to load.
    workers
        Processes to load with (default: one per available CPU; ``1`` loads in this process).
    progress
        Draw a progress bar on standard error when it is a terminal.

    Returns a :class:`PlanSet`: the plans that loaded, by region id, and the located problems
    of every plan that did not (:attr:`PlanSet.errors`). Nothing is dropped silently: two plans
    for one region are a ``duplicate-plan`` problem, and YAML or JSON files found under the
    folder outside any plan folder are named in a :class:`~smartcity_model.PlanWarning`.

    Examples
    --------
    >>> import smartcity_model as scm
    >>> plans = scm.load_many(scm.example_path(), progress=False)
    >>> list(plans), plans.ok
    (['solok-selatan'], True)
    """
    count = _workers(workers)
    root: Path | None = None
    if isinstance(source, str | Path):
        root = Path(source)
        paths = _search(root)
    else:
        paths = [Path(path) for path in source]
    shown_bar = progress and sys.stderr.isatty()
    bar: Any = click.progressbar(length=len(paths), label="Loading plans", file=sys.stderr) if shown_bar else _NoBar()
    with bar, collector_paused():  # the plans stay alive: nothing for the collector to find
        results = _load_all(paths, count, bar)
    return PlanSet.collect(root, paths, results)


@dataclass(frozen=True, eq=False)
class PlanSet(Mapping[str, Masterplan]):
    """Masterplans loaded together: a mapping region id → plan, and the problems of those that failed.

    Use :attr:`ok` and :meth:`raise_for_errors` to stop on any failure, :meth:`check` to run
    the consistency checks on every plan and :meth:`roll_up_province` to score a province.
    """

    root: Path | None
    """The folder searched, if one was."""
    plans: dict[str, Masterplan]
    """The plans that loaded, by region id, in the order of their paths."""
    paths: dict[str, Path]
    """Where each plan was loaded from, by region id."""
    errors: dict[Path, MasterplanError] = field(default_factory=dict)
    """The located problems of every plan that did not load, by path."""

    @classmethod
    def collect(
        cls, root: Path | None, paths: Sequence[Path], results: Sequence[Masterplan | MasterplanError]
    ) -> PlanSet:
        """Gather loaded plans and errors (by path) into a set, finding regions with two plans."""
        plans: dict[str, Masterplan] = {}
        where: dict[str, Path] = {}
        errors: dict[Path, MasterplanError] = {}
        for path, result in zip(paths, results, strict=True):
            if isinstance(result, MasterplanError):
                errors[path] = result
                continue
            region = result.region.id
            if region in plans:
                shown = str(path / FOLDER_FILES[None]) if path.is_dir() else str(path)
                message = _("region {region} already has a plan, at {path}").format(
                    region=repr(region), path=where[region]
                )
                problem = Problem("duplicate-plan", message, kind="region", id=region, field="region.id", file=shown)
                errors[path] = MasterplanError([problem], path)
                continue
            plans[region], where[region] = result, path
        return cls(root, plans, where, errors)

    def __getitem__(self, region: str) -> Masterplan:
        """Return the plan of ``region``."""
        try:
            return self.plans[region]
        except KeyError:
            raise unknown_id("plan for region", region, self.plans) from None

    def __iter__(self) -> Iterator[str]:
        """Iterate over the region ids of the plans that loaded."""
        return iter(self.plans)

    def __len__(self) -> int:
        """Return how many plans loaded."""
        return len(self.plans)

    def __repr__(self) -> str:
        """Summarise: plans loaded, plans failed, provinces."""
        where = f" from {self.root}" if self.root is not None else ""
        failed = f", {len(self.errors)} did not load" if self.errors else ""
        provinces = len({plan.region.parent for plan in self.plans.values()})
        return f"<PlanSet {len(self.plans)} plans{where} in {provinces} provinces{failed}>"

    @property
    def ok(self) -> bool:
        """Whether every plan loaded."""
        return not self.errors

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem of every plan that did not load, each with its file and line."""
        return tuple(problem for error in self.errors.values() for problem in error.problems)

    def raise_for_errors(self) -> None:
        """Raise one :class:`~smartcity_model.MasterplanError` listing every problem of every failed plan."""
        if self.errors:
            total = len(self.errors) + len(self.plans)
            source = f"{self.root or 'the plans given'} ({len(self.errors)} of {total} plans did not load)"
            raise MasterplanError(self.problems, source)

    def provinces(self) -> dict[str | None, list[str]]:
        """Return the region ids of the loaded plans by province (the regions' ``parent``)."""
        grouped: dict[str | None, list[str]] = {}
        for region, plan in self.plans.items():
            grouped.setdefault(plan.region.parent, []).append(region)
        return grouped

    def check(self, config: CheckConfig | Mapping[str, Any] | str | Path | None = None) -> dict[str, ValidationReport]:
        """Run :func:`~smartcity_model.check` on every plan that loaded, by region id.

        Without ``config``, each plan is checked with the ``checks.yaml`` beside it, if any, as
        ``smartcity check`` does; every such file that does not load is reported in one
        :class:`~smartcity_model.MasterplanError` (see :meth:`check_each` to check the others anyway).
        """
        reports, failed = self.check_each(config)
        if failed:
            raise MasterplanError([problem for error in failed.values() for problem in error.problems], self.root)
        return reports

    def check_each(
        self, config: CheckConfig | Mapping[str, Any] | str | Path | None = None
    ) -> tuple[dict[str, ValidationReport], dict[str, MasterplanError]]:
        """Check every plan whose configuration loads; return the reports and, by region, the broken ``checks.yaml``."""
        from smartcity_model.checks import (  # noqa: PLC0415 - checks import io
            CheckConfig,
            check,
            find_check_config,
            load_check_config,
        )

        configs: dict[str, Any] = {}
        failed: dict[str, MasterplanError] = {}
        if config is not None:
            shared = load_check_config(config) if isinstance(config, str | Path) else config
            configs = dict.fromkeys(self.plans, shared)
        for region in self.plans.keys() - configs.keys():
            found = find_check_config(self.paths[region])
            try:
                configs[region] = CheckConfig() if found is None else load_check_config(found)
            except MasterplanError as error:
                failed[region] = error
        with collector_paused():
            reports = {region: check(plan, configs[region]) for region, plan in self.plans.items() if region in configs}
        return reports, {region: failed[region] for region in self.plans if region in failed}

    def roll_up_province(
        self, province: str | None = None, *, allow_failed: bool = False, **options: Any
    ) -> ProvinceReadiness:
        """Score one province from its regions' plans, with :func:`~smartcity_model.roll_up_province`.

        ``province`` is the regions' ``parent`` id; it may be left out when every plan has the
        same one. While any plan failed to load, the roll-up is refused with those plans'
        problems (a region missing from a province would raise its score unseen), unless
        ``allow_failed=True``, which warns naming the plans left out. ``options`` go to
        :func:`~smartcity_model.roll_up_province`.
        """
        from smartcity_model.scoring import roll_up_province  # noqa: PLC0415 - scoring imports io

        if self.errors and not allow_failed:
            total = len(self.errors) + len(self.plans)
            source = (
                f"{self.root or 'the plans given'}: {len(self.errors)} of {total} plans did not load, so the "
                "province cannot be scored; fix them, or pass allow_failed=True to score without them"
            )
            raise MasterplanError(self.problems, source)
        grouped = self.provinces()
        if province is None:
            if len(grouped) != 1:
                names = ", ".join(sorted(str(name) for name in grouped))
                msg = _("the plans belong to {n} provinces ({names}); name the one to roll up").format(
                    n=len(grouped), names=names
                )
                raise ValueError(msg)
            (province,) = grouped
        elif province not in grouped:
            raise unknown_id("province", province, [str(name) for name in grouped])
        if self.errors:
            left_out = ", ".join(str(path) for path in self.errors)
            message = n_(
                "{n} plan that did not load is left out of the roll-up: {left_out}",
                "{n} plans that did not load are left out of the roll-up: {left_out}",
                len(self.errors),
            )
            warn_caller(message.format(n=len(self.errors), left_out=left_out))
        return roll_up_province([self.plans[region] for region in grouped[province]], **options)
