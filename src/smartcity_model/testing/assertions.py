"""Assertions for masterplan test suites, with failure messages that read well in pytest output."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from smartcity_model.checks import CheckConfig, Finding, Severity, check, find_check_config
from smartcity_model.i18n import _, n_
from smartcity_model.io import load
from smartcity_model.model import Masterplan
from smartcity_model.scoring import roll_up

__all__ = ["assert_consistent", "assert_readiness", "format_findings"]

_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _plan(plan: Masterplan | str | Path) -> Masterplan:
    return plan if isinstance(plan, Masterplan) else load(plan)


def format_findings(findings: Collection[Finding], *, limit: int = 20) -> str:
    """Render findings one per line with their hints, as shown in failure messages."""
    lines = []
    for finding in list(findings)[:limit]:
        lines.append(f"  {finding}")
        lines.append("      " + _("hint: {hint}").format(hint=finding.hint))
    if len(findings) > limit:
        lines.append("  " + _("... and {n} more").format(n=len(findings) - limit))
    return "\n".join(lines)


def assert_consistent(
    plan: Masterplan | str | Path,
    allow: Collection[str] = (),
    *,
    config: CheckConfig | Mapping[str, Any] | str | Path | None = None,
    fail_on: Severity | str = Severity.ERROR,
) -> None:
    """Fail if the plan has unwaived findings at ``fail_on`` severity or worse, other than ``allow``.

    ``plan`` is a :class:`~smartcity_model.Masterplan` or a path to one; without ``config`` the
    ``checks.yaml`` beside a path is used. The failure message lists every finding that failed,
    with its code, subject, message and hint.

    Examples
    --------
    >>> import smartcity_model as scm
    >>> assert_consistent(scm.example_path())
    >>> expected = ["overloaded-opd", "initiative-without-budget", "opd-leads-nothing"]
    >>> late = ["initiative-overdue", "initiative-not-started", "initiative-underspent", "initiative-overspent"]
    >>> assert_consistent(scm.example_path(), fail_on="warning", allow=expected + late)
    """
    loaded = _plan(plan)
    if config is None and not isinstance(plan, Masterplan):
        config = find_check_config(plan)
    threshold = _RANK[Severity(fail_on)]
    report = check(loaded, config)
    failing = [f for f in report.active if _RANK[f.severity] <= threshold and f.code not in set(allow)]
    if failing:
        message = n_(
            "{subject}: {n} finding at {severity} level or worse",
            "{subject}: {n} findings at {severity} level or worse",
            len(failing),
        ).format(subject=report.subject, n=len(failing), severity=Severity(fail_on).value)
        raise AssertionError(message + "\n" + format_findings(failing))


def assert_readiness(
    plan: Masterplan | str | Path,
    dimension: str,
    at_least: float,
    year: int | None = None,
    **options: Any,
) -> None:
    """Fail unless ``dimension`` (or ``overall``) scores at least ``at_least`` in ``year``.

    ``year`` defaults to the latest year with a score; ``options`` go to
    :func:`~smartcity_model.roll_up`. The failure message shows every dimension's score that year
    and the indicators that pulled the failing one down the most.

    Examples
    --------
    >>> import smartcity_model as scm
    >>> assert_readiness(scm.example_path(), "society", at_least=50, year=2024, missing="locf")
    """
    loaded = _plan(plan)
    result = roll_up(loaded, **options)
    level = "overall" if dimension == "overall" else "dimension"
    scores = result.scores
    rows = scores[(scores["level"] == level) & (scores["node"] == dimension)].dropna(subset=["score"])
    if rows.empty:
        msg = _("{dimension} has no score in any year (check its indicators, observations and coverage)").format(
            dimension=repr(dimension)
        )
        raise AssertionError(msg)
    chosen = int(rows["year"].max()) if year is None else year
    row = rows[rows["year"] == chosen]
    score = float(row["score"].iloc[0]) if len(row) else float("nan")
    if len(row) and score >= at_least:
        return
    lines = [
        _("{dimension} scores {score:.1f} in {year}, below {at_least:g}").format(
            dimension=repr(dimension), score=score, year=chosen, at_least=at_least
        )
        if len(row)
        else _("{dimension} has no score in {year}").format(dimension=repr(dimension), year=chosen)
    ]
    same_year = scores[(scores["year"] == chosen) & (scores["level"].isin(["dimension", "overall"]))]
    shown = same_year.dropna(subset=["score"])
    pairs = zip(shown["node"].astype(str), shown["score"].astype(float), strict=True)
    shown_scores = ", ".join(f"{node} {value:.1f}" for node, value in pairs)
    lines.append("  " + _("scores that year: {scores}").format(scores=shown_scores))
    if len(row):
        weakest = _weakest_indicators(result.contributions(level), result.scores, dimension, chosen)
        lines.append("  " + _("weakest indicators (score, weight): {indicators}").format(indicators=", ".join(weakest)))
    raise AssertionError("\n".join(lines))


def _weakest_indicators(
    contributions: pd.DataFrame, scores: pd.DataFrame, node: str, year: int, count: int = 3
) -> list[str]:
    parts = contributions[(contributions["node"] == node) & (contributions["year"] == year)]
    indicator_scores = scores[(scores["level"] == "indicator") & (scores["year"] == year)].set_index("node")["score"]
    parts = parts.assign(score=parts["indicator"].map(indicator_scores)).sort_values(
        ["score", "weight"], ascending=[True, False]
    )
    return [f"{r.indicator} ({r.score:.1f}, {r.weight:.2f})" for r in parts.head(count).itertuples()]
