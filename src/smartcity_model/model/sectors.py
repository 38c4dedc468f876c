"""The sector vocabulary: the government affairs (urusan pemerintahan) OPDs belong to.

Sectors are the unit of the cross-sector checks (silos, single-sector dimensions, ICT-heavy
plans), so two OPDs of the same affair must use the same id. The ids follow the affairs of
UU 23/2014 and the OPD nomenclature of PP 18/2016; each has its English and Indonesian name and
the Indonesian words planners write for it (``tik``, ``kesehatan``), which are read as the id.

Examples
--------
>>> from smartcity_model.model.sectors import SECTORS, sector_id
>>> sector_id("Kesehatan"), sector_id("TIK"), sector_id("health")
('health', 'ict', 'health')
>>> SECTORS["ict"].name_id
'Komunikasi dan Informatika'
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

__all__ = ["SECTORS", "Sector", "closest_sector", "sector_id"]


@dataclass(frozen=True, slots=True)
class Sector:
    """One sector: its id, its names in English and Bahasa Indonesia, and the words read as it."""

    id: str
    name_en: str
    name_id: str
    aliases: tuple[str, ...] = ()


_LIST = (
    Sector("general-administration", "General administration", "Sekretariat dan administrasi umum", ("sekretariat",)),
    Sector("oversight", "Internal oversight", "Pengawasan", ("pengawasan", "inspektorat")),
    Sector("planning", "Development planning", "Perencanaan pembangunan", ("perencanaan", "bappeda")),
    Sector("research", "Research and innovation", "Penelitian dan inovasi", ("penelitian", "litbang", "brida")),
    Sector("finance", "Regional finance", "Keuangan daerah", ("keuangan",)),
    Sector("revenue", "Regional revenue", "Pendapatan daerah", ("pendapatan", "bapenda")),
    Sector("civil-service", "Civil service", "Kepegawaian", ("kepegawaian", "bkpsdm")),
    Sector("disaster-management", "Disaster management", "Penanggulangan bencana", ("kebencanaan", "bpbd")),
    Sector("public-order", "Public order", "Ketenteraman dan ketertiban umum", ("ketertiban", "trantibum")),
    Sector("national-unity", "National unity and politics", "Kesatuan bangsa dan politik", ("kesbangpol",)),
    Sector("ict", "Communication and informatics", "Komunikasi dan Informatika", ("tik", "kominfo", "informatika")),
    Sector("statistics", "Statistics", "Statistik", ("statistik",)),
    Sector("cryptography", "Cryptography", "Persandian", ("persandian",)),
    Sector("education", "Education", "Pendidikan", ("pendidikan",)),
    Sector("health", "Health", "Kesehatan", ("kesehatan",)),
    Sector("public-works", "Public works and spatial planning", "Pekerjaan umum dan penataan ruang", ("pupr",)),
    Sector("housing", "Housing and settlements", "Perumahan dan kawasan permukiman", ("perumahan", "perkim")),
    Sector("transport", "Transport", "Perhubungan", ("perhubungan",)),
    Sector("environment", "Environment", "Lingkungan hidup", ("lingkungan", "lingkungan-hidup")),
    Sector("water", "Drinking water", "Air minum", ("air-minum", "pdam")),
    Sector("energy", "Energy and mineral resources", "Energi dan sumber daya mineral", ("energi", "esdm")),
    Sector("population-registry", "Population registry", "Administrasi kependudukan", ("kependudukan", "dukcapil")),
    Sector("family-planning", "Population control and family planning", "Pengendalian penduduk dan KB", ("kb",)),
    Sector("social-affairs", "Social affairs", "Sosial", ("sosial",)),
    Sector("women-children", "Women and child protection", "Pemberdayaan perempuan dan perlindungan anak", ("p3a",)),
    Sector("labour", "Labour", "Tenaga kerja", ("tenaga-kerja", "naker")),
    Sector("village-development", "Community and village development", "Pemberdayaan masyarakat dan desa", ("desa",)),
    Sector("food-security", "Food security", "Ketahanan pangan", ("pangan", "ketahanan-pangan")),
    Sector("agriculture", "Agriculture", "Pertanian", ("pertanian",)),
    Sector("fisheries", "Marine affairs and fisheries", "Kelautan dan perikanan", ("perikanan", "kelautan")),
    Sector("forestry", "Forestry", "Kehutanan", ("kehutanan",)),
    Sector("land", "Land affairs", "Pertanahan", ("pertanahan",)),
    Sector("investment-licensing", "Investment and licensing", "Penanaman modal dan PTSP", ("penanaman-modal", "ptsp")),
    Sector(
        "trade-smes", "Trade, cooperatives and SMEs", "Perdagangan, koperasi dan UKM", ("perdagangan", "ukm", "umkm")
    ),
    Sector("industry", "Industry", "Perindustrian", ("perindustrian", "industri")),
    Sector("tourism", "Tourism", "Pariwisata", ("pariwisata",)),
    Sector("culture", "Culture", "Kebudayaan", ("kebudayaan", "budaya")),
    Sector("youth-sports", "Youth and sports", "Kepemudaan dan olahraga", ("kepemudaan", "olahraga", "dispora")),
    Sector("library-archives", "Libraries and archives", "Perpustakaan dan kearsipan", ("perpustakaan", "kearsipan")),
    Sector("sub-district", "Sub-district offices", "Kecamatan", ("kecamatan",)),
    Sector("legislature", "Regional legislature secretariat", "Sekretariat DPRD", ("dprd", "sekretariat-dprd")),
)
#: Every sector by id, in the order of the list above.
SECTORS: dict[str, Sector] = {sector.id: sector for sector in _LIST}
_WORDS: dict[str, str] = {
    word: sector.id
    for sector in _LIST
    for word in (sector.id, *sector.aliases, sector.name_id.lower(), sector.name_en.lower())
}


def sector_id(value: str) -> str:
    """Return the sector id a word stands for (any case; an id, an alias or a name), else ``value``."""
    return _WORDS.get(value.strip().lower(), value)


def closest_sector(value: str) -> str | None:
    """Return the id of the sector a misspelt word most likely means (``kesehatann`` → ``health``), or ``None``."""
    close = difflib.get_close_matches(value.strip().lower(), list(_WORDS), n=1, cutoff=0.75)
    return _WORDS[close[0]] if close else None
