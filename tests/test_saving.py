"""Saving is all-or-nothing: killed, raced or failing, a plan folder holds the old plan or the new one."""

from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

import smartcity_model as scm
from smartcity_model.io import atomic
from smartcity_model.io import plan as plan_io

#: Kills and races in a normal run; set SMARTCITY_SAVE_TRIALS for a long one (hundreds).
TRIALS = int(os.environ.get("SMARTCITY_SAVE_TRIALS", "12"))
WRITER = """
import sys
import smartcity_model as scm
plans = [scm.load(sys.argv[2]), scm.load(sys.argv[3])]
rounds = int(sys.argv[4])
print("ready", flush=True)
for n in range(rounds):
    scm.dump(plans[n % 2], sys.argv[1])
"""
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="kills and races need POSIX processes")


def _changed(plan_data: dict[str, Any]) -> scm.Masterplan:
    """Another plan: every part differs from the minimal one, so a mixture cannot load or passes unseen."""
    plan_data["opds"][0]["name"] = "Diskominfo (the other plan)"
    plan_data["indicators"][0]["name"] = "Another indicator name"
    plan_data["initiatives"][0]["name"] = "Another initiative"
    plan_data["observations"][0]["value"] = plan_data["observations"][0]["value"] + 1
    plan_data["document"] = {"title": "The other plan"}
    return scm.Masterplan.from_dict(plan_data)


@pytest.fixture
def two_plans(tmp_path: Path, plan_data: dict[str, Any]) -> tuple[scm.Masterplan, scm.Masterplan, Path, Path]:
    first = scm.load(Path(__file__).parent / "data" / "minimal.yaml")
    second = _changed(plan_data)
    return first, second, scm.dump(first, tmp_path / "a.yaml"), scm.dump(second, tmp_path / "b.yaml")


def _strays(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _writer(folder: Path, a: Path, b: Path, rounds: int) -> subprocess.Popen[str]:
    process = subprocess.Popen(  # noqa: S603 - our own snippet
        [sys.executable, "-c", WRITER, str(folder), str(a), str(b), str(rounds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


def _close(process: subprocess.Popen[str]) -> int:
    code = process.wait()
    assert process.stdout is not None
    process.stdout.close()
    return code


def test_a_save_killed_at_any_instant_leaves_the_old_plan_or_the_new(
    tmp_path: Path, two_plans: tuple[scm.Masterplan, scm.Masterplan, Path, Path]
) -> None:
    first, second, a, b = two_plans
    folder = scm.dump(first, tmp_path / "plan")
    (folder / "checks.yaml").write_text("# the team's own file\n", encoding="utf-8")
    chance = random.Random(20241129)  # noqa: S311 - the instants of the kills, not secrets
    seen = set()
    for _ in range(TRIALS):
        process = _writer(folder, a, b, rounds=1000)
        time.sleep(chance.uniform(0, 0.4))
        process.send_signal(signal.SIGKILL)
        _close(process)
        loaded = scm.load(folder)  # finishes or undoes the interrupted save
        assert loaded in (first, second)
        seen.add(loaded == second)
        assert _strays(folder) == []
        assert (folder / "checks.yaml").read_text(encoding="utf-8") == "# the team's own file\n"
    assert seen == {True, False} or TRIALS < 4  # the kills landed at different moments


def test_two_writers_and_a_reader_never_see_a_mixture(
    tmp_path: Path, two_plans: tuple[scm.Masterplan, scm.Masterplan, Path, Path]
) -> None:
    first, second, a, b = two_plans
    folder = scm.dump(first, tmp_path / "plan")
    writers = [_writer(folder, a, b, rounds=TRIALS), _writer(folder, b, a, rounds=TRIALS)]
    reads = 0
    while any(w.poll() is None for w in writers):
        assert scm.load(folder) in (first, second)
        reads += 1
    assert [_close(w) for w in writers] == [0, 0]
    assert scm.load(folder) in (first, second)
    assert _strays(folder) == []
    assert reads > 0


def test_a_target_that_cannot_be_written_changes_nothing(
    plan_folder: Path, plan_data: dict[str, Any], snapshot: Any
) -> None:
    (plan_folder / "initiatives.yaml").unlink()
    (plan_folder / "initiatives.yaml").mkdir()
    before = snapshot(plan_folder)
    with pytest.raises(scm.SaveError, match=r"initiatives\.yaml: there is a folder of that name"):
        scm.dump(_changed(plan_data), plan_folder)
    assert snapshot(plan_folder) == before
    assert _strays(plan_folder) == []


def test_a_rename_that_fails_halfway_puts_every_file_back(
    plan_folder: Path, plan_data: dict[str, Any], snapshot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(plan_folder)
    original = Path.replace
    calls: list[Path] = []

    def third_fails(self: Path, target: Any) -> Path:
        if self.name.endswith(".new") and not self.name.startswith(atomic.JOURNAL):
            calls.append(self)
            if len(calls) == 3:
                raise PermissionError(13, "Permission denied (the file is locked)")
        return original(self, target)

    monkeypatch.setattr(Path, "replace", third_fails)
    with pytest.raises(scm.SaveError, match=r"nothing was changed: .*locked"):
        scm.dump(_changed(plan_data), plan_folder)
    monkeypatch.undo()
    assert snapshot(plan_folder) == before
    assert len(calls) == 3


def test_a_journal_left_committed_is_rolled_forward_on_load(
    tmp_path: Path, two_plans: tuple[scm.Masterplan, scm.Masterplan, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, _, _ = two_plans
    folder = scm.dump(first, tmp_path / "plan")
    original = Path.replace

    def killed_after_two(self: Path, target: Any) -> Path:
        if self.name.endswith(".new") and not self.name.startswith(atomic.JOURNAL):
            killed_after_two.count += 1  # type: ignore[attr-defined]
            if killed_after_two.count == 3:  # type: ignore[attr-defined]
                raise KeyboardInterrupt  # the process dies here
        return original(self, target)

    killed_after_two.count = 0  # type: ignore[attr-defined]
    monkeypatch.setattr(Path, "replace", killed_after_two)
    with pytest.raises(KeyboardInterrupt):
        scm.dump(second, folder)
    monkeypatch.undo()
    assert (folder / atomic.JOURNAL).exists()
    assert scm.load(folder) == second
    assert _strays(folder) == []


@pytest.mark.parametrize(
    ("written_as", "message"),
    [
        (",estimated", r"would load back differently, at observations\[0\]\.status"),
        (",est", r"(?s)would not load back .*observations\.csv:2: observation 'liv-referral/2022', field 'status'"),
    ],
)
def test_the_plan_is_checked_to_load_back_before_anything_is_replaced(  # noqa: PLR0913 - fixtures and cases
    *,
    plan_folder: Path,
    plan_data: dict[str, Any],
    snapshot: Any,
    monkeypatch: pytest.MonkeyPatch,
    written_as: str,
    message: str,
) -> None:
    before = snapshot(plan_folder)
    written = plan_io.format_observations

    def misread(rows: Any, *form: Any) -> str:
        return written(rows, *form).replace(",unverified", written_as, 1)

    monkeypatch.setattr(plan_io, "format_observations", misread)
    with pytest.raises(scm.SaveError, match=message):
        scm.dump(_changed(plan_data), plan_folder)
    assert snapshot(plan_folder) == before
    assert _strays(plan_folder) == []


def test_permissions_follow_the_existing_file_or_the_umask(plan_folder: Path, plan_data: dict[str, Any]) -> None:
    (plan_folder / "opds.yaml").chmod(0o640)
    old_umask = os.umask(0o027)
    try:
        (plan_folder / "observations.csv").unlink()
        scm.dump(_changed(plan_data), plan_folder)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((plan_folder / "opds.yaml").stat().st_mode) == 0o640
    assert stat.S_IMODE((plan_folder / "observations.csv").stat().st_mode) == 0o640  # 0666 & ~0027
    assert stat.S_IMODE((plan_folder / "masterplan.yaml").stat().st_mode) == 0o644  # kept as it was


def test_symbolic_links_are_followed(tmp_path: Path, plan_folder: Path, plan_data: dict[str, Any]) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (plan_folder / "opds.yaml").rename(shared / "opds.yaml")
    (plan_folder / "opds.yaml").symlink_to(shared / "opds.yaml")
    (plan_folder / "indicators.yaml").unlink()
    (plan_folder / "indicators.yaml").symlink_to(shared / "indicators.yaml")  # dangling
    changed = _changed(plan_data)
    scm.dump(changed, plan_folder)
    assert (plan_folder / "opds.yaml").is_symlink()
    assert (plan_folder / "indicators.yaml").is_symlink()
    assert "Diskominfo (the other plan)" in (shared / "opds.yaml").read_text(encoding="utf-8")
    assert (shared / "indicators.yaml").is_file()
    assert scm.load(plan_folder) == changed
    assert _strays(shared) == []


def test_leftovers_of_older_saves_are_removed(plan_folder: Path, plan_data: dict[str, Any]) -> None:
    (plan_folder / ".opds.yaml.k3j2h1.tmp").write_text("half a file", encoding="utf-8")
    (plan_folder / ".observations.csv.smartcity-0123456789ab.new").write_text("x", encoding="utf-8")
    (plan_folder / ".notes.txt").write_text("mine", encoding="utf-8")
    scm.dump(_changed(plan_data), plan_folder)
    assert _strays(plan_folder) == [".notes.txt"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("note", "BPS\rSusenas"),
        ("note", "x" * 200_000),
        ("note", "a\x00b"),
        ("source", "line\x85break"),
        ("source", "para\u2029graph"),
    ],
)
def test_strings_the_model_accepts_round_trip(
    tmp_path: Path, plan_data: dict[str, Any], field: str, value: str
) -> None:
    plan_data["observations"][0][field] = value
    plan_data["opds"][0]["name"] = f"Dinas {value[:40]}"
    plan = scm.Masterplan.from_dict(plan_data)
    for name in ("plan", "plan.yaml", "plan.json"):
        assert scm.load(scm.dump(plan, tmp_path / name)) == plan


@pytest.mark.parametrize("committed", [True, False])
def test_an_interrupted_save_in_a_folder_that_cannot_be_written(
    tmp_path: Path,
    two_plans: tuple[scm.Masterplan, scm.Masterplan, Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    *,
    committed: bool,
) -> None:
    first, second, _, _ = two_plans
    folder = scm.dump(first, tmp_path / "plan")
    if committed:
        original = Path.replace

        def killed(self: Path, target: Any) -> Path:
            if self.name.endswith(".new") and not self.name.startswith(atomic.JOURNAL):
                raise KeyboardInterrupt  # dies at the first rename, after the commit
            return original(self, target)

        monkeypatch.setattr(Path, "replace", killed)
        with pytest.raises(KeyboardInterrupt):
            scm.dump(second, folder)
        monkeypatch.undo()
    else:  # died after writing a new file, before the commit: what a killed process leaves
        new = folder / ".opds.yaml.smartcity-0123456789ab.new"
        new.write_text("- half a file", encoding="utf-8")
        entry = atomic._Entry(str(folder / "opds.yaml"), str(new), None)  # noqa: SLF001 - a journal as a save writes it
        atomic._write_journal(folder, "prepared", [entry])  # noqa: SLF001 - same
    assert atomic.interrupted_state(folder) == ("committed" if committed else "prepared")

    def read_only(_: Path) -> bool:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(plan_io, "recover", read_only)
    if committed:
        with pytest.raises(scm.MasterplanError, match="interrupted and cannot be finished here"):
            scm.load(folder)
    else:
        assert scm.load(folder) == first


@pytest.mark.parametrize(
    "journal",
    [
        '{"state": "prepared", "entries": [{"target": "x", "new": "VICTIM", "old": null}]}',
        (
            '{"state": "committed", "entries": [{"target": "VICTIM", "old": null, '
            '"new": "FOLDER/.opds.yaml.smartcity-0123456789ab.new"}]}'
        ),
        "garbage{",
        '{"state": "done", "entries": []}',
    ],
)
def test_a_journal_this_library_did_not_write_is_refused_and_touches_nothing(
    plan_folder: Path, tmp_path: Path, journal: str
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    text = journal.replace("VICTIM", str(victim)).replace("FOLDER", str(plan_folder))
    (plan_folder / atomic.JOURNAL).write_text(text, encoding="utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    (problem,) = caught.value.problems
    assert problem.file == str(plan_folder / atomic.JOURNAL)
    assert "journal of an interrupted save" in problem.message
    assert victim.read_text(encoding="utf-8") == "precious"
    with pytest.raises(scm.SaveError, match="journal of an interrupted save"):
        scm.dump(
            scm.Masterplan.from_dict(
                yaml.safe_load((Path(__file__).parent / "data" / "minimal.yaml").read_text("utf-8"))
            ),
            plan_folder,
        )
    assert victim.read_text(encoding="utf-8") == "precious"


# ------------------------------------------------------------------ observation tables in observations/


def _tables(folder: Path) -> dict[str, str]:
    below = folder / "observations"
    tables = {p.name: p.read_text(encoding="utf-8") for p in sorted(below.iterdir())}
    single = folder / "observations.csv"
    return tables | ({single.name: single.read_text(encoding="utf-8")} if single.exists() else {})


def _keys(text: str) -> set[tuple[str, str]]:
    return {tuple(line.split(",")[:2]) for line in text.splitlines()[1:]}  # type: ignore[misc]


def test_a_save_keeps_each_observation_in_its_table(example_plan: scm.Masterplan, tmp_path: Path) -> None:
    folder = scm.dump(example_plan, tmp_path / "plan")
    header, *rows = (folder / "observations.csv").read_text(encoding="utf-8").splitlines()
    (folder / "observations").mkdir()
    living = [row for row in rows if row.startswith("liv-")]
    (folder / "observations" / "dinkes.csv").write_text("\n".join([header, *living]) + "\n", encoding="utf-8")
    (folder / "observations.csv").write_text(
        "\n".join([header, *(row for row in rows if not row.startswith("liv-"))]) + "\n", encoding="utf-8"
    )
    (folder / "observations" / "lain.csv").write_text("indikator;tahun;nilai\n", encoding="utf-8")  # Excel's, empty
    plan = scm.load(folder)
    before = _tables(folder)
    changed = next(n for n, obs in enumerate(plan.observations) if obs.indicator.startswith("liv-"))
    dropped = next(n for n, obs in enumerate(plan.observations) if not obs.indicator.startswith("liv-"))
    observations = list(plan.observations)
    observations[changed] = observations[changed].model_copy(update={"value": observations[changed].value + 1})
    new = scm.Observation(indicator=observations[changed].indicator, year=2018, value=1.0, source="illustrative")
    del observations[dropped]
    edited = plan.model_copy(update={"observations": (*observations, new)})
    scm.dump(edited, folder)
    after = _tables(folder)
    assert after["lain.csv"] == before["lain.csv"]  # nothing of it changed: not rewritten, Excel's dialect kept
    assert _keys(after["dinkes.csv"]) == _keys(before["dinkes.csv"]) | {(new.indicator, "2018")}
    assert _keys(after["observations.csv"]) == _keys(before["observations.csv"]) - {
        (plan.observations[dropped].indicator, str(plan.observations[dropped].year))
    }
    reloaded = scm.load(folder)
    assert sorted(map(repr, reloaded.observations)) == sorted(map(repr, edited.observations))
    scm.dump(reloaded, folder)
    assert _tables(folder) == after  # saving what was loaded changes no byte


def test_a_table_that_cannot_be_read_stops_the_save(
    plan_folder: Path, plan_data: dict[str, Any], snapshot: Any
) -> None:
    (plan_folder / "observations").mkdir()
    (plan_folder / "observations" / "broken.csv").write_text("indicator,year\nliv-referral\n", encoding="utf-8")
    before = snapshot(plan_folder)
    with pytest.raises(scm.SaveError, match=r"broken\.csv cannot be read"):
        scm.dump(_changed(plan_data), plan_folder)
    assert snapshot(plan_folder) == before


def test_a_save_into_tables_killed_at_any_instant_leaves_the_old_plan_or_the_new(
    tmp_path: Path, two_plans: tuple[scm.Masterplan, scm.Masterplan, Path, Path]
) -> None:
    first, second, a, b = two_plans
    folder = scm.dump(first, tmp_path / "plan")
    header, *rows = (folder / "observations.csv").read_text(encoding="utf-8").splitlines()
    (folder / "observations.csv").unlink()
    (folder / "observations").mkdir()
    (folder / "observations" / "a.csv").write_text("\n".join([header, *rows[:2]]) + "\n", encoding="utf-8")
    (folder / "observations" / "b.csv").write_text("\n".join([header, *rows[2:]]) + "\n", encoding="utf-8")
    assert scm.load(folder) == first
    chance = random.Random(20261202)  # noqa: S311 - the instants of the kills, not secrets
    for _ in range(TRIALS):
        process = _writer(folder, a, b, rounds=1000)
        time.sleep(chance.uniform(0, 0.4))
        process.send_signal(signal.SIGKILL)
        _close(process)
        assert scm.load(folder) in (first, second)
        assert _strays(folder) == []
        assert _strays(folder / "observations") == []
        assert sorted(p.name for p in (folder / "observations").iterdir()) == ["a.csv", "b.csv"]
        assert not (folder / "observations.csv").exists()


def test_a_table_that_is_a_link_stops_the_save(
    tmp_path: Path, plan_folder: Path, plan_data: dict[str, Any], snapshot: Any
) -> None:
    outside = tmp_path / "elsewhere.csv"
    (plan_folder / "observations.csv").rename(outside)
    (plan_folder / "observations").mkdir()
    (plan_folder / "observations" / "dinkes.csv").symlink_to(outside)
    before = snapshot(plan_folder)
    with pytest.raises(scm.SaveError, match=r"dinkes\.csv is a link"):
        scm.dump(_changed(plan_data), plan_folder)
    assert snapshot(plan_folder) == before
    assert scm.load(plan_folder) == scm.load(Path(__file__).parent / "data" / "minimal.yaml")


def test_a_table_an_opd_keeps_in_excels_form_stays_in_it_when_its_rows_change(plan_folder: Path) -> None:
    (plan_folder / "observations.csv").unlink()
    (plan_folder / "observations").mkdir()
    table = plan_folder / "observations" / "dinkes.csv"
    rows = "sep=;\r\nindikator;tahun;nilai;status;sumber\r\n"
    rows += "liv-referral;2022;35,5;estimated;illustrative\r\nliv-referral;2023;40;verified;Dinkes – laporan\r\n"
    rows += "gov-spbe;2023;2,5;estimated;\r\n"
    table.write_bytes(rows.encode("cp1252"))
    with pytest.warns(scm.PlanWarning, match="Windows-1252"):
        plan = scm.load(plan_folder)
    changed = [obs.model_copy(update={"value": obs.value + 0.25}) for obs in plan.observations]
    edited = plan.model_copy(update={"observations": tuple(changed)})
    scm.dump(edited, plan_folder)
    raw = table.read_bytes()
    text = raw.decode("cp1252")
    assert text.startswith("sep=;\r\nindikator;tahun;nilai;status;sumber\r\n")
    assert "liv-referral;2022;35,75;estimated;illustrative\r\n" in text
    assert "Dinkes – laporan" in text
    with pytest.warns(scm.PlanWarning, match="Windows-1252"):
        assert scm.load(plan_folder) == edited
    wider = [changed[0].model_copy(update={"note": "catatan ✓"}), *changed[1:]]  # ✓ is not in Windows-1252
    scm.dump(edited.model_copy(update={"observations": tuple(wider)}), plan_folder)
    raw = table.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8, with the mark Excel reads it by
    text = raw.decode("utf-8-sig")
    assert text.startswith("sep=;\r\nindikator;tahun;nilai;status;sumber;catatan\r\n")
    assert scm.load(plan_folder).observations[0].note == "catatan ✓"


# ------------------------------------------------------------------ folders someone else wrote


def test_a_journal_reaching_outside_the_folder_through_a_link_touches_nothing(
    plan_folder: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim" / "important.txt"
    victim.parent.mkdir()
    victim.write_text("precious", encoding="utf-8")
    (plan_folder / "evil-link").symlink_to(victim)
    (plan_folder / "x.d").mkdir()
    (plan_folder / ".x.d.smartcity-bbbbbbbbbbbb.new").write_text("hi", encoding="utf-8")
    entries = [
        atomic._Entry(str(plan_folder / "x.d"), str(plan_folder / ".x.d.smartcity-bbbbbbbbbbbb.new"), None),  # noqa: SLF001 - a journal as an attacker writes it
        atomic._Entry(str(victim), str(victim.parent / ".important.txt.smartcity-aaaaaaaaaaaa.new"), None),  # noqa: SLF001 - same
    ]
    atomic._write_journal(plan_folder, "committed", entries)  # noqa: SLF001 - same
    with pytest.raises(scm.MasterplanError, match="outside this folder"):
        scm.load(plan_folder)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert (plan_folder / "x.d").is_dir()


def test_saving_a_file_beside_a_plan_folder_being_saved_leaves_that_save_alone(plan_folder: Path) -> None:
    plans = plan_folder.parent
    half_written = plan_folder / ".opds.yaml.smartcity-0123456789ab.new"
    half_written.write_text("- {id: x}\n", encoding="utf-8")
    plan = scm.load(plans / "plan")
    half_written.write_text("- {id: x}\n", encoding="utf-8")  # written again: the load above cleaned it
    with atomic.folder_lock(plan_folder, exclusive=True):  # another process saving that plan
        scm.dump(plan, plans / "backup.yaml")
        assert half_written.exists()
    (plan_folder / atomic.JOURNAL).write_text('{"state": "prepared", "entries": []}', encoding="utf-8")
    scm.dump(scm.load(plans / "backup.yaml"), plans / "backup.yaml")  # a folder with a journal: its own saves'
    assert half_written.exists()


def test_a_save_interrupted_just_before_a_reader_takes_its_lock_is_finished_not_read_half_done(
    tmp_path: Path, two_plans: tuple[scm.Masterplan, scm.Masterplan, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, _, _ = two_plans
    folder = scm.dump(first, tmp_path / "plan")
    original_replace, original_lock = Path.replace, plan_io.folder_lock

    def killed_after_two(self: Path, target: Any) -> Path:
        if self.name.endswith(".new") and not self.name.startswith(atomic.JOURNAL):
            killed_after_two.count += 1  # type: ignore[attr-defined]
            if killed_after_two.count == 3:  # type: ignore[attr-defined]
                raise KeyboardInterrupt  # the writer dies here
        return original_replace(self, target)

    killed_after_two.count = 0  # type: ignore[attr-defined]

    def writer_dies_first(where: Path, *, exclusive: bool) -> Any:
        if not exclusive and not writer_dies_first.done:  # type: ignore[attr-defined]
            writer_dies_first.done = True  # type: ignore[attr-defined]
            monkeypatch.setattr(Path, "replace", killed_after_two)
            with pytest.raises(KeyboardInterrupt):
                scm.dump(second, folder)
            monkeypatch.setattr(Path, "replace", original_replace)
        return original_lock(where, exclusive=exclusive)

    writer_dies_first.done = False  # type: ignore[attr-defined]
    monkeypatch.setattr(plan_io, "folder_lock", writer_dies_first)
    assert scm.load(folder) == second  # finished under the lock, never a mixture
    assert _strays(folder) == []


# ------------------------------------------------------------------ values the files cannot carry


def test_an_unclosed_quote_in_a_table_is_refused_not_read_as_the_rest_of_the_file(plan_folder: Path) -> None:
    table = plan_folder / "observations.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1] + ',"BPS'  # a note whose quote never closes
    lines[0] = lines[0] + ",note"
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(scm.MasterplanError) as caught:
        scm.load(plan_folder)
    (problem,) = caught.value.problems
    assert (problem.code, problem.line) == ("syntax-error", 2)
    assert "a quote opened in a cell must close it" in problem.message


def test_a_table_with_a_cell_longer_than_the_csv_default_limit_is_saved_over(
    plan_folder: Path, plan_data: dict[str, Any]
) -> None:
    plan_data["observations"][0]["note"] = "x" * 200_000
    long = scm.Masterplan.from_dict(plan_data)
    scm.dump(long, plan_folder)
    code = (
        "import sys, smartcity_model as scm\n"
        "plan = scm.load(sys.argv[2])\n"
        "scm.dump(plan, sys.argv[1])\n"
        "assert scm.load(sys.argv[1]) == plan\n"
    )
    other = scm.dump(_changed(plan_data), plan_folder.parent / "other.yaml")
    result = subprocess.run(  # noqa: S603 - our own snippet, in a fresh process (the csv limit is per process)
        [sys.executable, "-c", code, str(plan_folder), str(other)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
