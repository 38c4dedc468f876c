"""Initiatives: the service products an OPD proposes, with partners, prerequisites and budget."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from smartcity_model.i18n import _
from smartcity_model.model.alignment import BudgetCode
from smartcity_model.model.base import Amount, Entity, FrozenModel, Slug, Text, Year, YearValues

__all__ = [
    "STATUS_WORDS",
    "BudgetLine",
    "FundingSource",
    "Horizon",
    "IndicatorLink",
    "Initiative",
    "InitiativeStatus",
    "Status",
    "status_word",
]


class Horizon(StrEnum):
    """Roadmap horizon of an initiative."""

    QUICK_WIN = "quick_win"
    """A quick win, delivered in the first year(s)."""
    SHORT = "short"
    """Short term."""
    MEDIUM = "medium"
    """Medium term."""
    LONG = "long"
    """Long term, up to the end of the plan."""


class InitiativeStatus(StrEnum):
    """Where an initiative stands."""

    PLANNED = "planned"
    """Not started."""
    ONGOING = "ongoing"
    """Under way."""
    DONE = "done"
    """Delivered."""
    POSTPONED = "postponed"
    """Put off."""
    CANCELLED = "cancelled"
    """Dropped."""


#: Indonesian words for the statuses, as monitoring reports write them (any case).
STATUS_WORDS: dict[str, str] = {
    "direncanakan": "planned",
    "rencana": "planned",
    "belum mulai": "planned",
    "berjalan": "ongoing",
    "sedang berjalan": "ongoing",
    "dalam pelaksanaan": "ongoing",
    "selesai": "done",
    "tuntas": "done",
    "ditunda": "postponed",
    "dibatalkan": "cancelled",
    "batal": "cancelled",
}


def status_word(value: Any) -> Any:
    """Read an Indonesian status word (``berjalan``, ``selesai``...) as the status it names."""
    if isinstance(value, str):
        return STATUS_WORDS.get(" ".join(value.split()).lower(), value)
    return value


#: A status, written in English or Indonesian.
Status = Annotated[InitiativeStatus, BeforeValidator(status_word, json_schema_input_type=InitiativeStatus)]


class FundingSource(StrEnum):
    """Source of a budget line."""

    APBD = "apbd"
    """The region's own budget (APBD kabupaten/kota)."""
    APBD_PROVINSI = "apbd_provinsi"
    """The provincial budget."""
    APBN = "apbn"
    """The national budget, spent by ministries (other than the transfers below)."""
    DAK = "dak"
    """The special allocation fund (Dana Alokasi Khusus) transferred from the national budget."""
    DANA_DESA = "dana_desa"
    """Village funds (Dana Desa), spent by the villages or nagari."""
    BLUD = "blud"
    """Revenue of a public service agency (Badan Layanan Umum Daerah), e.g. an RSUD."""
    HIBAH = "hibah"
    """A grant (hibah), from a donor, another government or a foundation."""
    KPBU = "kpbu"
    """Private investment or public-private partnership (KPBU)."""
    CSR = "csr"
    """Corporate social responsibility funds."""
    OTHER = "other"
    """Any other source."""


class BudgetLine(FrozenModel):
    """Money planned for an initiative in one year from one source."""

    year: Year
    """Budget year."""
    amount: Amount
    """Amount in rupiah (IDR)."""
    source: FundingSource
    """Where the money comes from."""
    code: BudgetCode | None = None
    """The programme, activity or sub-activity it is budgeted under (Kepmendagri 050-5889/2021), e.g.
    ``2.16.02.2.01.0001``."""
    note: Text = None
    """Free remark."""


class IndicatorLink(FrozenModel):
    """An indicator an initiative moves, with the values expected from it by year."""

    indicator: Slug
    """Id of the indicator."""
    expected: YearValues = Field(default_factory=dict)
    """Expected value of the indicator by year, if stated."""

    @field_validator("expected", mode="after")
    @classmethod
    def _sorted(cls, value: dict[int, float]) -> dict[int, float]:
        return dict(sorted(value.items()))


def _link_shorthand(value: Any) -> Any:
    """Accept a bare indicator id for a link without expected values."""
    return {"indicator": value} if isinstance(value, str) else value


class Initiative(Entity):
    """An initiative (service product) led by one OPD with supporting OPDs."""

    description: Text = None
    """What the initiative delivers to citizens."""
    lead: Slug
    """Id of the lead OPD."""
    supporting: tuple[Slug, ...] = ()
    """Ids of the supporting OPDs."""
    elements: tuple[Slug, ...] = ()
    """Ids of the framework elements served."""
    indicators: tuple[
        Annotated[IndicatorLink, BeforeValidator(_link_shorthand, json_schema_input_type=IndicatorLink | Slug)], ...
    ] = ()
    """Indicators moved; a bare id is accepted for a link without expected values."""
    depends_on: tuple[Slug, ...] = ()
    """Ids of prerequisite initiatives."""
    start_year: Year | None = None
    """First year of implementation."""
    end_year: Year | None = None
    """Last year of implementation."""
    horizon: Horizon | None = None
    """Roadmap horizon."""
    budget: tuple[BudgetLine, ...] = ()
    """Budget lines."""
    status: Status = InitiativeStatus.PLANNED
    """Where the initiative stands."""
    goals: tuple[Slug, ...] = ()
    """Ids of the RPJMD and Renstra statements it serves (see :class:`~smartcity_model.Goal`)."""
    addresses: tuple[Slug, ...] = ()
    """Ids of the problems and strategic issues of the analysis it answers."""
    stakeholders: tuple[Slug, ...] = ()
    """Ids of its partners beyond the regional government (academia, business, community, media...)."""
    areas: tuple[Slug, ...] = ()
    """Ids of the places it reaches; none: the whole region."""

    @model_validator(mode="after")
    def _schedule(self) -> Initiative:
        if self.start_year is None and self.end_year is None and self.horizon is None:
            raise PydanticCustomError("missing-schedule", _("give start_year/end_year or a horizon"))
        if self.start_year is not None and self.end_year is not None and self.start_year > self.end_year:
            raise PydanticCustomError(
                "invalid-period",
                _("start_year {start} is after end_year {end}"),
                {"start": self.start_year, "end": self.end_year},
            )
        return self

    @property
    def partners(self) -> tuple[str, ...]:
        """Ids of all OPDs involved: the lead first, then the supporting OPDs."""
        return (self.lead, *self.supporting)

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        """Ids of the indicators moved."""
        return tuple(link.indicator for link in self.indicators)

    @property
    def total_budget(self) -> float:
        """Sum of all budget lines, in rupiah."""
        return sum(line.amount for line in self.budget)
