"""Notebook views: a short repr and an HTML summary for plans, reports, roll-ups and provinces."""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import smartcity_model as scm
from smartcity_model.i18n import use_language

HOSTILE = '<script>alert("x")</script> & "Kota"'


class _Balanced(HTMLParser):
    """Collect text and check that every element opened is closed, in order."""

    VOID = frozenset({"br", "hr", "img", "meta", "link", "input"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:  # noqa: ARG002
        self.tags.append(tag)
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        assert self.open.pop() == tag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parsed(fragment: str) -> _Balanced:
    parser = _Balanced()
    parser.feed(fragment)
    parser.close()
    assert parser.open == []
    assert "script" not in parser.tags
    return parser


def _hostile_plan(plan_data: dict[str, Any]) -> scm.Masterplan:
    plan_data["region"]["name"] = HOSTILE
    plan_data["document"] = {"title": HOSTILE}
    plan_data["opds"][0]["name"] = HOSTILE
    return scm.Masterplan.from_dict(plan_data)


def test_a_plan_prints_in_one_short_line(example_plan: scm.Masterplan) -> None:
    shown = repr(example_plan)
    assert len(shown) < 200
    assert shown == str(example_plan)
    for part in ("solok-selatan", "2024-2033", "22 OPDs", "38 indicators", "33 initiatives", "7 quick wins"):
        assert part in shown


def test_a_plan_in_a_notebook_is_a_summary_with_every_name_escaped(plan_data: dict[str, Any]) -> None:
    plan = _hostile_plan(plan_data)
    parsed = _parsed(plan._repr_html_())
    text = "".join(parsed.text)
    assert HOSTILE in text  # shown as written, as text
    assert f"{len(plan.initiatives)} (" in text
    with use_language("id"):
        assert "Inisiatif" in "".join(_parsed(plan._repr_html_()).text)


def test_a_report_prints_its_counts_and_shows_its_findings(example_plan: scm.Masterplan) -> None:
    report = scm.check(example_plan)
    assert len(repr(report)) < 200
    assert f"{report.counts['warning']} warnings" in repr(report)
    text = "".join(_parsed(report._repr_html_()).text)
    assert all(finding.code in text for finding in report.findings)
    assert report.findings[0].hint in text


def test_a_report_with_many_findings_shows_some_and_counts_the_rest() -> None:
    findings = tuple(
        scm.Finding(
            code="siloed-opd", severity="warning", subject_kind="opd", subject_id=f"opd-{n}", message="m", hint="h"
        )
        for n in range(50)
    )
    report = scm.ValidationReport(subject="x", findings=findings)
    text = "".join(_parsed(report._repr_html_()).text)
    assert "opd-19" in text
    assert "opd-20" not in text
    assert "... and 30 more" in text


def test_a_roll_up_shows_the_latest_scores_of_the_level_below_the_top(example_plan: scm.Masterplan) -> None:
    result = scm.roll_up(example_plan, missing="locf")
    text = "".join(_parsed(result._repr_html_()).text)
    latest = result.wide("dimension").xs(2024, level="year").iloc[0]
    assert f"{latest['economy']:.1f}" in text
    assert "2024" in text
    assert "[[" not in text  # no raw arrays


@pytest.fixture(scope="module")
def province() -> scm.ProvinceReadiness:
    sys.path.insert(0, str(Path(__file__).parents[1] / "examples" / "sumatera-barat"))
    try:
        from roll_up import province_readiness  # noqa: PLC0415 - the example's own function
    finally:
        sys.path.pop(0)
    return province_readiness()


def test_a_province_shows_its_rule_levels_and_what_holds_it_back(province: scm.ProvinceReadiness) -> None:
    assert len(repr(province)) < 500
    text = "".join(_parsed(province._repr_html_()).text)
    assert "19 regions" in text
    assert "80%" in text
    blockers = province.blockers()
    assert str(blockers.iloc[0]["region"]) in text
