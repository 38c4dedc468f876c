"""A way in: a new, valid plan folder to fill in, with comments in Bahasa Indonesia or English.

The skeleton has the OPDs most regions have, one example indicator and one example initiative
per dimension (so every dimension is covered and ``smartcity check`` finds no error), and an
empty observations table. Every example is marked as one, to be replaced.

Examples
--------
>>> import tempfile, pathlib
>>> import smartcity_model as scm
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "padang-panjang"
>>> scm.init_plan(folder, region="padang-panjang", name="Kota Padang Panjang", kind="kota")  # doctest: +ELLIPSIS
PosixPath('.../padang-panjang')
>>> plan = scm.load(folder)
>>> scm.check(plan).ok, len(plan.initiatives)
(True, 6)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from smartcity_model.errors import MasterplanError, Problem
from smartcity_model.i18n import _
from smartcity_model.io.plan import dump_commented
from smartcity_model.model import Masterplan
from smartcity_model.model.base import FIRST_YEAR, LAST_YEAR

__all__ = ["init_plan"]

Language = Literal["id", "en"]

_OPDS = (
    ("bappeda", "Badan Perencanaan Pembangunan Daerah", "Bappeda", "planning", "badan"),
    ("diskominfo", "Dinas Komunikasi dan Informatika", "Diskominfo", "ict", "dinas"),
    ("dinkes", "Dinas Kesehatan", "Dinkes", "health", "dinas"),
    ("disdik", "Dinas Pendidikan", "Disdik", "education", "dinas"),
    ("dispar", "Dinas Pariwisata", "Dispar", "tourism", "dinas"),
    ("diskopukmdag", "Dinas Koperasi, UKM dan Perdagangan", "Diskopukmdag", "trade-smes", "dinas"),
    ("dlh", "Dinas Lingkungan Hidup", "DLH", "environment", "dinas"),
)
# dimension: (indicator id, element, custodian, Indonesian name, English name, initiative id, lead, initiative names)
_EXAMPLES: dict[str, tuple[str, str, str, tuple[str, str], str, str, tuple[str, str]]] = {
    "governance": (
        "gov-kepuasan-layanan",
        "public-service",
        "bappeda",
        ("Indeks kepuasan masyarakat", "Public satisfaction index"),
        "gov-01",
        "diskominfo",
        ("Layanan perizinan daring", "Online licensing service"),
    ),
    "branding": (
        "brd-promosi-digital",
        "tourism",
        "dispar",
        ("Destinasi wisata dengan promosi digital", "Tourist destinations promoted online"),
        "brd-01",
        "dispar",
        ("Portal promosi wisata", "Tourism promotion portal"),
    ),
    "economy": (
        "eco-umkm-daring",
        "transaction",
        "diskopukmdag",
        ("UMKM yang berjualan daring", "SMEs selling online"),
        "eco-01",
        "diskopukmdag",
        ("Pendampingan UMKM go digital", "Digital onboarding of SMEs"),
    ),
    "living": (
        "liv-rujukan-daring",
        "health",
        "dinkes",
        ("Rujukan pasien secara daring", "Patient referrals made online"),
        "liv-01",
        "dinkes",
        ("Sistem rujukan terintegrasi", "Integrated referral system"),
    ),
    "society": (
        "soc-literasi-digital",
        "learning",
        "disdik",
        ("Sekolah dengan program literasi digital", "Schools with a digital literacy programme"),
        "soc-01",
        "disdik",
        ("Literasi digital di sekolah", "Digital literacy in schools"),
    ),
    "environment": (
        "env-sampah-terkelola",
        "waste",
        "dlh",
        ("Sampah yang terkelola", "Waste managed"),
        "env-01",
        "dlh",
        ("Bank sampah berbasis aplikasi", "App-based waste bank"),
    ),
}

_COMMENTS: dict[Language, dict[str, str]] = {
    "id": {
        "masterplan.yaml": (
            "Masterplan Smart City: wilayah, periode dan kerangka (gm100sc: enam dimensi, 18 elemen).\n"
            "Lengkapi kode Kemendagri (code), kode BPS (bps_code), ibu kota dan jumlah penduduk.\n"
            "Periksa dengan: smartcity check FOLDER  ·  Daftar dimensi dan elemen: smartcity framework"
        ),
        "opds.yaml": (
            "Perangkat daerah (OPD) yang ikut menyusun masterplan. sector memakai kosakata sektor\n"
            "(tik, kesehatan, pendidikan... dibaca sebagai id-nya); lihat docs/checks.md, bagian Sectors.\n"
            "Tambahkan OPD lain (RSUD, PDAM, Dishub...) dan hapus yang tidak ikut."
        ),
        "indicators.yaml": (
            "Indikator yang menunjukkan kemajuan: satu CONTOH per dimensi. Ganti dengan indikator Anda:\n"
            "element (id atau nama elemen, mis. 'Pelayanan publik'), unit, bounds, targets per tahun,\n"
            "custodian (OPD wali data)."
        ),
        "initiatives.yaml": (
            "Inisiatif (produk layanan): satu CONTOH per dimensi. Ganti dengan usulan OPD:\n"
            "lead (OPD pengusul), supporting (OPD pendukung dari sektor lain), elements, indicators,\n"
            "depends_on (prasyarat), horizon (quick_win, short, medium, long) dan budget (sumber: apbd,\n"
            "apbd_provinsi, apbn, kpbu, csr)."
        ),
    },
    "en": {
        "masterplan.yaml": (
            "Smart city masterplan: region, period and framework (gm100sc: six dimensions, 18 elements).\n"
            "Fill in the Kemendagri code (code), the BPS code (bps_code), the capital and the population.\n"
            "Check with: smartcity check FOLDER  ·  Dimensions and elements: smartcity framework"
        ),
        "opds.yaml": (
            "The OPDs taking part in the masterplan. sector uses the sector vocabulary (an Indonesian word\n"
            "such as tik or kesehatan is read as its id); see docs/checks.md, section Sectors.\n"
            "Add the other OPDs (RSUD, PDAM, Dishub...) and remove those not taking part."
        ),
        "indicators.yaml": (
            "Indicators that show progress: one EXAMPLE per dimension. Replace them with yours:\n"
            "element (an element id or name, e.g. 'Public service'), unit, bounds, targets by year,\n"
            "custodian (the OPD that produces the data)."
        ),
        "initiatives.yaml": (
            "Initiatives (service products): one EXAMPLE per dimension. Replace them with the OPDs' proposals:\n"
            "lead (proposing OPD), supporting (OPDs of other sectors), elements, indicators, depends_on\n"
            "(prerequisites), horizon (quick_win, short, medium, long) and budget (source: apbd,\n"
            "apbd_provinsi, apbn, kpbu, csr)."
        ),
    },
}
_EXAMPLE_NOTE: dict[Language, str] = {"id": "Contoh: ganti atau hapus", "en": "Example: replace or remove"}


def _plan_data(region: dict[str, Any], start: int, years: int, lang: Language) -> dict[str, Any]:
    english = lang == "en"
    note = _EXAMPLE_NOTE[lang]
    indicators, initiatives = [], []
    for dimension, (ind_id, element, custodian, ind_names, ini_id, lead, ini_names) in _EXAMPLES.items():
        indicators.append(
            {
                "id": ind_id,
                "name": ind_names[english],
                "unit": "percent",
                "element": element,
                "bounds": {"min": 0, "max": 100},
                "normalisation": {"method": "goalposts", "min": 0, "max": 100},
                "targets": {start + years - 1: 80},
                "custodian": custodian,
                "source": note,
            }
        )
        supporting = [opd for opd in ("bappeda", "diskominfo") if opd != lead]
        initiatives.append(
            {
                "id": ini_id,
                "name": ini_names[english],
                "description": f"{note} ({dimension})",
                "lead": lead,
                "supporting": supporting,
                "elements": [element],
                "indicators": [ind_id],
                "horizon": "short",
                "budget": [{"year": start, "amount": 100_000_000, "source": "apbd", "note": note}],
            }
        )
    return {
        "region": region,
        "period": {"start": start, "end": start + years - 1},
        "framework": "gm100sc",
        "document": {"title": f"Masterplan Smart City {region['name']}", "status": "draft"},
        "opds": [
            {"id": i, "name": name, "acronym": acronym, "sector": sector, "kind": kind}
            for i, name, acronym, sector, kind in _OPDS
        ],
        "indicators": indicators,
        "initiatives": initiatives,
    }


def init_plan(  # noqa: PLR0913 - keyword-only fields of the new plan
    folder: str | Path,
    *,
    region: str,
    name: str,
    kind: Literal["kabupaten", "kota"],
    lang: Language = "id",
    start: int | None = None,
    years: int = 10,
) -> Path:
    """Write a new, valid plan folder for ``region`` with commented example content; return it.

    The folder must be new or empty. ``start`` is the first year of the period (default: next
    year) and ``years`` its length; comments are in Bahasa Indonesia (``lang="id"``) or English.
    Raises :class:`~smartcity_model.MasterplanError` for an invalid id, name or kind, with the field.
    """
    if lang not in _COMMENTS:
        msg = _("lang must be 'id' or 'en', not {value}").format(value=repr(lang))
        raise ValueError(msg)
    first = dt.datetime.now(tz=dt.UTC).year + 1 if start is None else start
    if not FIRST_YEAR <= first <= LAST_YEAR - years + 1:  # one problem, not one per year the plan would hold
        message = _("the first year {start} is not in {low}-{high}, the years a {years}-year plan can start in")
        problem = Problem(
            "out-of-range",
            message.format(start=first, low=FIRST_YEAR, high=LAST_YEAR - years + 1, years=years),
            kind="masterplan",
            field="period.start",
        )
        raise MasterplanError([problem])
    data = _plan_data({"id": region, "name": name, "kind": kind}, first, years, lang)
    plan = Masterplan.from_dict(data)
    return dump_commented(plan, folder, _COMMENTS[lang])
