"""OPDs (Organisasi Perangkat Daerah): the regional government bodies that propose initiatives."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator

from smartcity_model.model.base import Entity, Slug, Text
from smartcity_model.model.sectors import sector_id

__all__ = ["OPD", "OPDKind"]


class OPDKind(StrEnum):
    """Kind of perangkat daerah (after PP 18/2016) or regional body."""

    SEKRETARIAT = "sekretariat"
    """Sekretariat Daerah or Sekretariat DPRD."""
    INSPEKTORAT = "inspektorat"
    """The regional inspectorate."""
    BADAN = "badan"
    """A badan (agency), e.g. Bappeda."""
    DINAS = "dinas"
    """A dinas (service office), e.g. Dinas Kesehatan."""
    SATUAN = "satuan"
    """A satuan, e.g. Satpol PP."""
    KANTOR = "kantor"
    """A kantor (office), e.g. Kantor Kesatuan Bangsa dan Politik."""
    BAGIAN = "bagian"
    """A bagian (division) of the Sekretariat Daerah, e.g. Bagian Organisasi."""
    UPTD = "uptd"
    """A technical implementation unit (Unit Pelaksana Teknis Daerah), e.g. a Puskesmas."""
    KECAMATAN = "kecamatan"
    """A sub-district office."""
    KELURAHAN = "kelurahan"
    """An urban village office (kelurahan)."""
    DESA = "desa"
    """A village government (pemerintah desa)."""
    NAGARI = "nagari"
    """A nagari, the village government of Sumatera Barat."""
    VERTICAL = "vertical"
    """A vertical agency of the central government in the region (instansi vertikal), e.g. BPS or the Polres."""
    HOSPITAL = "hospital"
    """A regional hospital (RSUD), usually a BLUD."""
    REGIONAL_ENTERPRISE = "regional_enterprise"
    """A regionally owned enterprise (BUMD/Perumda), e.g. the PDAM water utility."""
    OTHER = "other"
    """Any other body taking part in the plan."""


def _sector(value: Any) -> Any:
    return sector_id(value) if isinstance(value, str) else value


class OPD(Entity):
    """An OPD taking part in the masterplan, e.g. Diskominfo or the RSUD."""

    acronym: Text = None
    """Short name used in documents, e.g. ``Diskominfo``."""
    sector: Annotated[Slug, BeforeValidator(_sector)]
    """Sector the OPD belongs to, e.g. ``ict`` or ``health``: the unit of cross-sector checks.

    A sector's Indonesian word or name is read as its id (``tik`` and ``Kesehatan`` give ``ict``
    and ``health``); see :data:`~smartcity_model.model.sectors.SECTORS`."""
    kind: OPDKind = OPDKind.DINAS
    """Kind of body."""
    focal_point: Text = None
    """Its smart city focal point: who answers for it in the implementation team (a name or a position)."""
    note: Text = None
    """Free remark, e.g. where the entry comes from."""
