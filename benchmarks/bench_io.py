"""Benchmark: loading and saving a 10,000-initiative plan against libyaml on the same bytes.

Writes ``scm.synthetic_plan`` (10,000 initiatives, 400 OPDs, 3,000 indicators, ten years of
observations; ``--scale`` shrinks it) as a plan folder, then times in the same run:

- ``scm.load`` against parsing the same files with PyYAML's libyaml loader (``CSafeLoader``)
  and the csv module, plus ``Masterplan.model_validate`` of the parsed data;
- ``scm.dump`` (which also loads the files back before they replace anything) against
  libyaml's emitter (``CSafeDumper``) writing the same data to the same file names;
- both again at twice the size, for the growth ratio time(2N) / time(N).

The baselines run as a user would write them, with Python's cycle collector on; ``scm.load``
and ``scm.dump`` pause it while they build objects, which the ``*_paused_gc`` baseline shows.
Each time is the best of ``--repeat`` rounds in which the library and the baselines run in turn.

    python benchmarks/bench_io.py            # full size
    python benchmarks/bench_io.py --scale 0.1
"""

from __future__ import annotations

import csv
import gc
import tempfile
from pathlib import Path
from typing import Any

import yaml
from timing import interleaved_best, print_report, scale_arguments

import smartcity_model as scm
from smartcity_model.io.yamlfile import LIBYAML

SECTIONS = ("opds", "indicators", "initiatives")


def plan_of(initiatives: int) -> scm.Masterplan:
    """Return the synthetic plan with ``initiatives`` and OPDs and indicators in proportion."""
    return scm.synthetic_plan(
        initiatives=initiatives, opds=max(40, initiatives // 25), indicators=max(60, initiatives * 3 // 10)
    )


def baseline_load(folder: Path) -> scm.Masterplan:
    """Parse the plan's files with libyaml and csv, then validate the data with pydantic."""
    data: dict[str, Any] = yaml.load((folder / "masterplan.yaml").read_text("utf-8"), Loader=yaml.CSafeLoader)
    for section in SECTIONS:
        data[section] = yaml.load((folder / f"{section}.yaml").read_text("utf-8"), Loader=yaml.CSafeLoader)
    with (folder / "observations.csv").open(encoding="utf-8", newline="") as handle:
        data["observations"] = [{k: v for k, v in row.items() if v != ""} for row in csv.DictReader(handle)]
    return scm.Masterplan.model_validate(data)


def baseline_save(data: dict[str, Any], folder: Path) -> None:
    """Write the same data with libyaml's emitter (and the observations with the csv module)."""
    header = {key: value for key, value in data.items() if key not in (*SECTIONS, "observations")}
    for name, part in [("masterplan", header), *((section, data[section]) for section in SECTIONS)]:
        text = yaml.dump(part, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    rows = data["observations"]
    with (folder / "observations.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=sorted({key for row in rows for key in row}))
        writer.writeheader()
        writer.writerows(rows)


def paused(work: Any) -> Any:
    """Return ``work`` run with the cycle collector paused."""

    def run() -> Any:
        gc.disable()
        try:
            return work()
        finally:
            gc.enable()

    return run


def measure(initiatives: int, repeat: int, root: Path) -> dict[str, float]:
    """Time loading and saving a plan of ``initiatives`` against the libyaml baselines."""
    plan = plan_of(initiatives)
    folder, copy = root / f"plan-{initiatives}", root / f"baseline-{initiatives}"
    scm.dump(plan, folder)
    copy.mkdir()
    data = scm.plan_to_data(plan)
    if baseline_load(folder) != plan or scm.load(folder) != plan:
        msg = "the plan does not load back equal"
        raise SystemExit(msg)
    return interleaved_best(
        repeat,
        {
            "load_s": lambda: scm.load(folder),
            "baseline_load_s": lambda: baseline_load(folder),
            "baseline_load_paused_gc_s": paused(lambda: baseline_load(folder)),
            "save_s": lambda: scm.dump(plan, folder),
            "baseline_save_s": lambda: baseline_save(data, copy),
            "baseline_save_paused_gc_s": paused(lambda: baseline_save(data, copy)),
        },
    )


def main() -> None:
    """Run the benchmark and print the timings and the ratios."""
    args = scale_arguments(__doc__.splitlines()[0])
    size = max(round(10_000 * args.scale), 10)
    with tempfile.TemporaryDirectory() as temporary:
        one = measure(size, args.repeat, Path(temporary))
        two = measure(2 * size, args.repeat, Path(temporary))
        file_bytes = sum(path.stat().st_size for path in (Path(temporary) / f"plan-{size}").iterdir())
    result = {
        "initiatives": size,
        "libyaml": LIBYAML,
        "megabytes": round(file_bytes / 1e6, 2),
        **{name: round(seconds, 3) for name, seconds in one.items()},
        "ratio_load_to_libyaml": round(one["load_s"] / one["baseline_load_s"], 2),
        "ratio_load_to_libyaml_paused_gc": round(one["load_s"] / one["baseline_load_paused_gc_s"], 2),
        "ratio_save_to_libyaml": round(one["save_s"] / one["baseline_save_s"], 2),
        "ratio_save_to_libyaml_paused_gc": round(one["save_s"] / one["baseline_save_paused_gc_s"], 2),
        "growth_load_2n_to_n": round(two["load_s"] / one["load_s"], 2),
        "growth_save_2n_to_n": round(two["save_s"] / one["save_s"], 2),
        "growth_baseline_load_2n_to_n": round(two["baseline_load_s"] / one["baseline_load_s"], 2),
        "growth_baseline_save_2n_to_n": round(two["baseline_save_s"] / one["baseline_save_s"], 2),
    }
    print_report(result, as_json=args.json)


if __name__ == "__main__":
    main()
