"""Fuzzing: every mutation of the example's files gives a located error or a plan that round-trips.

A deterministic corpus of mutations (byte flips, deleted and doubled lines, control characters,
aliases, tags, deep nesting, huge numbers, other encodings) is applied to the bundled example's
files. For each, loading must end within a time bound with either a :class:`MasterplanError` whose
every problem names a file, or a plan that saves and loads back equal. The normal run tries a few
hundred mutations; ``SMARTCITY_FUZZ_CASES=20000 pytest tests/test_fuzz.py`` tries many more.
"""

from __future__ import annotations

import os
import random
import shutil
import threading
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

import smartcity_model as scm

CASES = int(os.environ.get("SMARTCITY_FUZZ_CASES", "120"))
#: A load that takes longer than this is a hang (loading the example takes well under a second).
BOUND_SECONDS = 20.0
Mutation = Callable[[random.Random, bytes], bytes]


def _flip(rng: random.Random, data: bytes) -> bytes:
    spot = rng.randrange(len(data))
    return data[:spot] + bytes([data[spot] ^ (1 << rng.randrange(8))]) + data[spot + 1 :]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _delete_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def _double_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    spot = rng.randrange(len(lines))
    lines.insert(spot, lines[spot])
    return b"\n".join(lines)


def _control(rng: random.Random, data: bytes) -> bytes:
    spot = rng.randrange(len(data) + 1)
    return data[:spot] + bytes([rng.choice([0, 1, 7, 8, 11, 12, 27, 127])]) + data[spot:]


def _insert(rng: random.Random, data: bytes, pieces: list[bytes]) -> bytes:
    lines = _lines(data)
    spot = rng.randrange(len(lines))
    indent = lines[spot][: len(lines[spot]) - len(lines[spot].lstrip())]
    lines.insert(spot, indent + rng.choice(pieces))
    return b"\n".join(lines)


def _yaml_special(rng: random.Random, data: bytes) -> bytes:
    pieces = [
        b"anchor: &a [1, 2, 3]",
        b"alias: *a",
        b"<<: *a",
        b"tag: !!python/object/apply:os.system ['echo x']",
        b"tag: !!binary aGVsbG8=",
        b"tag: !!set {a, b}",
        b"tag: !custom x",
        b"date: 2024-02-30",
        b"number: !!float abc",
        b"big: " + b"9" * 5000,
        b"hex: 0x" + b"f" * 4000,
        b"inf: .inf",
        b"nan: .nan",
        b"deep: " + b"[" * 5000 + b"]" * 5000,
        b"? [complex, key]\n: value",
        b"--- \n...",
        b"%YAML 1.1",
        b"'unterminated",
        b"\t- tab",
    ]
    return _insert(rng, data, pieces)


def _csv_special(rng: random.Random, data: bytes) -> bytes:
    pieces = [b'"unterminated', b"a,b,c,d,e,f,g,h,i", b"", b"\r", b"1e400,2024,1", b"x," * 10_000]
    return _insert(rng, data, pieces)


def _encoding(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", errors="replace")
    return text.encode(rng.choice(["utf-16", "latin-1", "cp1252", "utf-32"]), errors="replace")


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


MUTATIONS: tuple[Mutation, ...] = (
    _flip,
    _delete_line,
    _double_line,
    _control,
    _yaml_special,
    _csv_special,
    _encoding,
    _truncate,
)


def _outcome(folder: Path) -> str:
    """Load ``folder``; a loaded plan must save and load back equal. Return what happened."""
    refused: scm.MasterplanError | None = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", scm.PlanWarning)  # a guess announced (a non-UTF-8 CSV) is an answer too
        try:
            plan = scm.load(folder)
        except scm.MasterplanError as error:
            refused = error
    assert all(issubclass(warning.category, scm.PlanWarning) for warning in caught), caught
    if refused is not None:
        assert refused.problems
        assert all(problem.file for problem in refused.problems), str(refused)  # every problem renders
        return "refused"
    saved = scm.dump(plan, folder.parent / "saved")
    assert scm.load(saved) == plan
    shutil.rmtree(saved)
    return "loaded with a warning" if caught else "loaded"


def _bounded(work: Callable[[], str]) -> str:
    """Run ``work`` in a thread; a run longer than :data:`BOUND_SECONDS` is a hang."""
    result: list[str] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            result.append(work())
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            failure.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(BOUND_SECONDS)
    assert not thread.is_alive(), f"loading did not end within {BOUND_SECONDS:g} s"
    if failure:
        raise failure[0]
    return result[0]


@pytest.mark.parametrize("block", range(4))
def test_every_mutation_gives_a_located_error_or_a_plan_that_round_trips(
    block: int,
    tmp_path: Path,
    engine: str,  # noqa: ARG001 - libyaml, then the pure-Python fallback
) -> None:
    source = scm.example_path()
    files = sorted(p.name for p in source.iterdir() if p.suffix in {".yaml", ".csv"} and p.name != "checks.yaml")
    outcomes: dict[str, int] = {}
    for case in range(block, CASES, 4):
        rng = random.Random(case)  # noqa: S311 - a reproducible corpus, not secrets
        folder = tmp_path / f"case-{case}" / "plan"
        shutil.copytree(source, folder)
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            name = rng.choice(files)
            path = folder / name
            data = path.read_bytes()
            mutation = rng.choice(MUTATIONS)
            path.write_bytes(mutation(rng, data) if data else data)
        try:
            outcome = _bounded(lambda folder=folder: _outcome(folder))
        except AssertionError as error:
            pytest.fail(f"case {case}: {error}")
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        shutil.rmtree(folder.parent)
    assert outcomes.get("refused", 0) > 0


def _json_special(rng: random.Random, data: bytes) -> bytes:
    pieces = [b'"x": ' + b"9" * 5000 + b",", b'"x": NaN,', b'"x": 1e999,', b"[" * 3000, b'"id": "a", "id": "b",']
    return _insert(rng, data, pieces)


JSON_MUTATIONS: tuple[Mutation, ...] = (_flip, _delete_line, _double_line, _control, _json_special, _truncate)


def _single_outcome(path: Path) -> str:
    """Load one plan file; a loaded plan must save and load back equal. Return what happened."""
    refused: scm.MasterplanError | None = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", scm.PlanWarning)
            plan = scm.load(path)
    except scm.MasterplanError as error:
        refused = error
    if refused is not None:
        assert refused.problems
        assert all(problem.file for problem in refused.problems), str(refused)
        return "refused"
    saved = scm.dump(plan, path.with_name("saved" + path.suffix))
    assert scm.load(saved) == plan
    saved.unlink()
    return "loaded"


def test_every_mutation_of_a_json_plan_gives_a_located_error_or_a_plan_that_round_trips(tmp_path: Path) -> None:
    original = scm.dumps(scm.load(scm.example_path()), "json").encode("utf-8")
    outcomes: dict[str, int] = {}
    for case in range(CASES // 2):
        rng = random.Random(10_000 + case)  # noqa: S311 - a reproducible corpus, not secrets
        path = tmp_path / f"case-{case}.json"
        data = original
        for _ in range(rng.choice([1, 1, 2])):
            data = rng.choice(JSON_MUTATIONS)(rng, data)
        path.write_bytes(data)
        try:
            outcome = _bounded(lambda path=path: _single_outcome(path))
        except AssertionError as error:
            pytest.fail(f"case {case}: {error}")
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert outcomes.get("refused", 0) > 0


#: Values planted in a workbook's cells: what a planner, a spreadsheet or an attacker may put there.
CELL_VALUES: tuple[object, ...] = (
    None,
    "",
    "  ",
    "=1+1",
    '=HYPERLINK("http://x")',
    True,
    0,
    -1,
    1e308,
    float(2**63),
    "1.250",
    "Rp 1.200.000.000",
    "79,5",
    "x" * 5000,
    "dinkes, , rsud",
    "{2030: 80, 2030.0: 81}",
    "[unclosed",
    "\u2028",
    "é",
)


def test_every_edit_of_a_workbook_gives_a_located_error_or_a_plan_that_round_trips(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    original = scm.dump(scm.load(scm.example_path()), tmp_path / "plan.xlsx")
    outcomes: dict[str, int] = {}
    for case in range(max(CASES // 8, 6)):
        rng = random.Random(20_000 + case)  # noqa: S311 - a reproducible corpus, not secrets
        path = tmp_path / f"case-{case}.xlsx"
        if rng.random() < 0.25:  # the archive itself damaged
            path.write_bytes(_flip(rng, original.read_bytes()))
        else:
            book = openpyxl.load_workbook(original)
            for _ in range(rng.choice([1, 2, 4])):
                sheet = book[rng.choice(["OPD", "Indikator", "Inisiatif", "Anggaran", "Observasi", "Rencana"])]
                row, column = rng.randint(1, sheet.max_row + 1), rng.randint(1, sheet.max_column + 1)
                sheet.cell(row=row, column=column, value=rng.choice(CELL_VALUES))
            book.save(path)
        try:
            outcome = _bounded(lambda path=path: _single_outcome(path))
        except AssertionError as error:
            pytest.fail(f"case {case}: {error}")
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert outcomes.get("refused", 0) > 0


def test_every_mutation_of_checks_yaml_gives_a_located_error_or_a_configuration(tmp_path: Path) -> None:
    plan = scm.load(scm.example_path())
    original = (scm.example_path() / "checks.yaml").read_bytes()
    outcomes: dict[str, int] = {}
    for case in range(CASES // 2):
        rng = random.Random(30_000 + case)  # noqa: S311 - a reproducible corpus, not secrets
        path = tmp_path / "checks.yaml"
        data = original
        for _ in range(rng.choice([1, 2])):
            data = rng.choice(MUTATIONS)(rng, data) if data else data
        path.write_bytes(data)

        def run(path: Path = path) -> str:
            refused: scm.MasterplanError | None = None
            try:
                scm.check(plan, path)
            except scm.MasterplanError as error:
                refused = error
            if refused is not None:
                assert all(problem.file == str(path) for problem in refused.problems), str(refused)
                return "refused"
            return "checked"

        outcome = _bounded(run)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert outcomes.get("refused", 0) > 0
