"""Synthetic masterplans at any scale: one plan, or a whole country of them, for benchmarks and tests.

Everything here is drawn from a seeded random generator and labelled *sintetis* (synthetic): the
names, populations, indicator values and budgets are illustrative, never official figures. The
sizes follow what the national programme sees (about 40 OPDs, 60 indicators and 120 initiatives
per kabupaten/kota, ten years of observations), and the same seed always gives the same bytes.

Examples
--------
>>> from smartcity_model.synthetic import synthetic_plan
>>> plan = synthetic_plan(initiatives=30, seed=1)
>>> len(plan.initiatives), plan.region.name
(30, 'Kabupaten Sintetis 01')
>>> plan == synthetic_plan(initiatives=30, seed=1)
True
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from smartcity_model.frameworks import builtin_framework
from smartcity_model.i18n import _
from smartcity_model.io import dump
from smartcity_model.model import FundingSource, Masterplan

__all__ = ["OPD_CATALOGUE", "synthetic_plan", "write_synthetic_country"]

#: Typical perangkat daerah of a kabupaten/kota (PP 18/2016 nomenclature): id, name, sector, kind.
OPD_CATALOGUE: tuple[tuple[str, str, str, str], ...] = (
    ("setda", "Sekretariat Daerah", "general-administration", "sekretariat"),
    ("inspektorat", "Inspektorat", "oversight", "inspektorat"),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah", "planning", "badan"),
    ("bpkd", "Badan Pengelolaan Keuangan Daerah", "finance", "badan"),
    ("bkpsdm", "Badan Kepegawaian dan Pengembangan SDM", "civil-service", "badan"),
    ("bpbd", "Badan Penanggulangan Bencana Daerah", "disaster-management", "badan"),
    ("satpolpp", "Satuan Polisi Pamong Praja", "public-order", "satuan"),
    ("diskominfo", "Dinas Komunikasi dan Informatika", "ict", "dinas"),
    ("disdik", "Dinas Pendidikan", "education", "dinas"),
    ("dinkes", "Dinas Kesehatan", "health", "dinas"),
    ("dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "public-works", "dinas"),
    ("perkim", "Dinas Perumahan dan Kawasan Permukiman", "housing", "dinas"),
    ("dishub", "Dinas Perhubungan", "transport", "dinas"),
    ("dlh", "Dinas Lingkungan Hidup", "environment", "dinas"),
    ("dukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "population-registry", "dinas"),
    ("dinsos", "Dinas Sosial", "social-affairs", "dinas"),
    ("dpmd", "Dinas Pemberdayaan Masyarakat dan Desa", "village-development", "dinas"),
    ("dpmptsp", "Dinas Penanaman Modal dan PTSP", "investment-licensing", "dinas"),
    ("dispar", "Dinas Pariwisata", "tourism", "dinas"),
    ("diskopukmdag", "Dinas Koperasi, UKM dan Perdagangan", "trade-smes", "dinas"),
    ("distan", "Dinas Pertanian", "agriculture", "dinas"),
    ("rsud", "Rumah Sakit Umum Daerah", "health", "hospital"),
    ("pdam", "Perusahaan Daerah Air Minum", "water", "regional_enterprise"),
)
_FIRST_YEAR = 2025
_PERIOD = 10
_SOURCES = [source.value for source in FundingSource if source is not FundingSource.OTHER]
_SHARE_LOWER = 0.2  # indicators where lower is better
_SHARE_MISSING = 0.2  # observations left out
_SHARE_KOTA = 0.2  # regions that are kota rather than kabupaten


def _opds(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """Return the catalogue's OPDs first, then kecamatan offices up to ``count``."""
    opds = [{"id": i, "name": name, "sector": sector, "kind": kind} for i, name, sector, kind in OPD_CATALOGUE]
    opds = opds[:count] + [
        {
            "id": f"kecamatan-{n:02d}",
            "name": f"Kecamatan Sintetis {n:02d}",
            "sector": "sub-district",
            "kind": "kecamatan",
        }
        for n in range(1, count - len(OPD_CATALOGUE) + 1)
    ]
    rng.shuffle(opds)
    return opds


def _indicators(rng: random.Random, count: int, opd_ids: list[str]) -> list[dict[str, Any]]:
    """Return the national set: the same ids and scoring in every plan, custodians from the plan's OPDs."""
    elements = [element.id for element in builtin_framework().elements]
    catalogue = random.Random(0)  # noqa: S311 - illustrative data; the same indicators everywhere, so plans roll up together
    indicators = []
    for n in range(count):
        element = elements[n % len(elements)]
        lower = catalogue.random() < _SHARE_LOWER
        indicators.append(
            {
                "id": f"ind-{element}-{n // len(elements) + 1:02d}",
                "name": f"Indikator sintetis {n + 1:02d} ({element})",
                "unit": "percent",
                "element": element,
                "direction": "lower" if lower else "higher",
                "bounds": {"min": 0, "max": 100},
                "normalisation": {"method": "goalposts", "min": 0, "max": 100},
                "targets": {_FIRST_YEAR + _PERIOD - 1: 20.0 if lower else 80.0},
                "custodian": rng.choice(opd_ids),
            }
        )
    return indicators


def _initiatives(rng: random.Random, count: int, opd_ids: list[str], indicator_ids: list[str]) -> list[dict[str, Any]]:
    elements = [element.id for element in builtin_framework().elements]
    last = _FIRST_YEAR + _PERIOD - 1
    ending_by: dict[int, list[str]] = {year: [] for year in range(_FIRST_YEAR, last + 2)}
    initiatives = []
    for n in range(count):
        ini_id = f"ini-{n + 1:03d}"
        lead = rng.choice(opd_ids)
        start = rng.randint(_FIRST_YEAR, last - 1)
        end = rng.randint(start, min(last, start + 4))
        ready = ending_by[start]  # prerequisites end before this one starts, as in a consistent plan
        prerequisites = sorted(set(rng.sample(ready, min(len(ready), rng.randint(0, 2)))))
        for year in range(end + 1, last + 2):
            ending_by[year].append(ini_id)
        initiatives.append(
            {
                "id": ini_id,
                "name": f"Inisiatif sintetis {n + 1:03d}",
                "lead": lead,
                "supporting": sorted(set(rng.sample(opd_ids, min(len(opd_ids), rng.randint(0, 3)))) - {lead}),
                "elements": sorted(set(rng.sample(elements, rng.randint(1, 2)))),
                "indicators": sorted(set(rng.sample(indicator_ids, min(len(indicator_ids), rng.randint(1, 3))))),
                "depends_on": prerequisites,
                "start_year": start,
                "end_year": end,
                "budget": [
                    {"year": year, "amount": round(rng.uniform(50, 2_000)) * 1_000_000, "source": rng.choice(_SOURCES)}
                    for year in range(start, min(end, start + 2) + 1)
                ],
            }
        )
    return initiatives


def _observations(rng: random.Random, indicators: list[dict[str, Any]], years: int) -> list[dict[str, Any]]:
    """Return a noisy trend per indicator over the ``years`` before the plan, about a fifth missing."""
    rows = []
    for indicator in indicators:
        level, trend = rng.uniform(15, 85), rng.uniform(-1.5, 3.0)
        for year in range(_FIRST_YEAR - years, _FIRST_YEAR):
            if rng.random() < _SHARE_MISSING:
                continue
            value = min(100.0, max(0.0, level + trend * (year - _FIRST_YEAR + years) + rng.gauss(0, 3)))
            rows.append({"indicator": indicator["id"], "year": year, "value": round(value, 2), "source": "sintetis"})
    return rows


def synthetic_plan(  # noqa: PLR0913 - keyword-only sizes
    *,
    initiatives: int = 120,
    opds: int = 40,
    indicators: int = 60,
    years: int = 10,
    region: dict[str, Any] | None = None,
    seed: int = 0,
) -> Masterplan:
    """Return a valid, illustrative masterplan of the given size, the same for the same seed.

    ``region`` overrides fields of the region (id, name, kind, population, parent...). The
    indicators are a fixed national set (the same in every synthetic plan, so plans roll up
    together); observations cover the ``years`` before the plan's period, about 80% of them.
    """
    rng = random.Random(seed)  # noqa: S311 - illustrative data, not secrets
    opd_list = _opds(rng, max(opds, 1))
    opd_ids = [opd["id"] for opd in opd_list]
    indicator_list = _indicators(rng, indicators, opd_ids)
    data = {
        "region": {
            "id": "kabupaten-sintetis-01",
            "name": "Kabupaten Sintetis 01",
            "kind": "kabupaten",
            "population": round(rng.lognormvariate(12.6, 0.7)),
            **(region or {}),
        },
        "period": {"start": _FIRST_YEAR, "end": _FIRST_YEAR + _PERIOD - 1},
        "document": {"title": "Masterplan Smart City (sintetis, untuk uji coba)", "status": "draft"},
        "opds": opd_list,
        "indicators": indicator_list,
        "initiatives": _initiatives(rng, initiatives, opd_ids, [i["id"] for i in indicator_list]),
        "observations": _observations(rng, indicator_list, years),
    }
    return Masterplan.from_dict(data)


def _province_sizes(rng: random.Random, provinces: int, regions: int) -> list[int]:
    """Split ``regions`` over ``provinces``: at least one each, the rest unevenly, as in the country."""
    sizes = [1] * provinces
    weights = [rng.paretovariate(1.5) for _province in range(provinces)]
    for index in rng.choices(range(provinces), weights=weights, k=regions - provinces):
        sizes[index] += 1
    return sizes


def write_synthetic_country(  # noqa: PLR0913 - keyword-only sizes
    folder: str | Path,
    *,
    provinces: int = 38,
    regions: int = 514,
    initiatives: int = 120,
    opds: int = 40,
    indicators: int = 60,
    years: int = 10,
    seed: int = 0,
) -> list[Path]:
    """Write a synthetic national tree ``folder/<province>/<region>/`` of plan folders; return them.

    The defaults are Indonesia's size (38 provinces, 514 kabupaten/kota). Each region's plan is
    :func:`synthetic_plan` with its own seed, a kabupaten or (one in five) a kota, and ``parent``
    set to its province. The same arguments always write the same files.
    """
    if not 1 <= provinces <= regions:
        msg = _("need 1 <= provinces <= regions, got {provinces} provinces and {regions} regions").format(
            provinces=provinces, regions=regions
        )
        raise ValueError(msg)
    root = Path(folder)
    if root.exists() and any(root.iterdir()):
        msg = _("{folder} is not empty: a synthetic country is written into a new or empty folder only").format(
            folder=root
        )
        raise FileExistsError(msg)
    rng = random.Random(seed)  # noqa: S311 - illustrative data, not secrets
    written = []
    number = 0
    for p, size in enumerate(_province_sizes(rng, provinces, regions), start=1):
        province = f"provinsi-sintetis-{p:02d}"
        for r in range(1, size + 1):
            number += 1
            kind = "kota" if rng.random() < _SHARE_KOTA else "kabupaten"
            region = {
                "id": f"{kind}-sintetis-{p:02d}-{r:02d}",
                "name": f"{kind.capitalize()} Sintetis {p:02d}-{r:02d}",
                "kind": kind,
                "parent": province,
            }
            plan = synthetic_plan(
                initiatives=initiatives,
                opds=opds,
                indicators=indicators,
                years=years,
                region=region,
                seed=seed * 100_003 + number,
            )
            written.append(dump(plan, root / province / region["id"]))
    return written
