"""OPDs (Organisasi Perangkat Daerah): the regional government bodies that propose initiatives."""

from __future__ import annotations

from enum import StrEnum

from smartcity_model.model.base import Entity, Slug, Text

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
    KECAMATAN = "kecamatan"
    """A sub-district office."""
    HOSPITAL = "hospital"
    """A regional hospital (RSUD), usually a BLUD."""
    REGIONAL_ENTERPRISE = "regional_enterprise"
    """A regionally owned enterprise (BUMD/Perumda), e.g. the PDAM water utility."""
    OTHER = "other"
    """Any other body taking part in the plan."""


class OPD(Entity):
    """An OPD taking part in the masterplan, e.g. Diskominfo or the RSUD."""

    acronym: Text = None
    """Short name used in documents, e.g. ``Diskominfo``."""
    sector: Slug
    """Sector the OPD belongs to, e.g. ``ict`` or ``health``: the unit of cross-sector checks."""
    kind: OPDKind = OPDKind.DINAS
    """Kind of body."""
    note: Text = None
    """Free remark, e.g. where the entry comes from."""
