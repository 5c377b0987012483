"""Frozen DTOs of the sanctions services (kept beside the area to spare core/dto.py conflicts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class ImportResultDTO:
    version_id: int
    list_code: str
    entry_count: int
    name_count: int
    added: int
    removed: int
    changed: int
    unchanged: int
    previous_version_id: int | None
    rescreen_run_id: int | None


@dataclass(frozen=True, slots=True)
class VersionDTO:
    version_id: int
    list_code: str
    status: str
    imported_at: datetime
    imported_by: str
    entry_count: int
    added: int
    removed: int
    changed: int


@dataclass(frozen=True, slots=True)
class VersionDiffDTO:
    version_id: int
    previous_version_id: int | None
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    names: dict[str, str] = field(default_factory=dict)  # external id -> primary name


@dataclass(frozen=True, slots=True)
class MatchDTO:
    """One list entry matching a screened name (nothing stored)."""

    list_code: str
    external_id: str
    entry_id: int
    entry_type: str
    primary_name: str
    matched_name: str
    score: float
    explanation: dict[str, Any]


@dataclass(frozen=True, slots=True)
class HitDTO:
    hit_id: int
    customer_id: int
    customer_name: str
    list_code: str
    external_id: str
    entry_id: int
    matched_name: str
    score: float
    explanation: dict[str, Any]
    status: str
    created_at: datetime
    requested_by: str | None
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class EntryDTO:
    entry_id: int
    list_code: str
    external_id: str
    entry_type: str
    primary_name: str
    names: tuple[str, ...]
    programs: tuple[str, ...]
    birth_dates: tuple[str, ...]
    countries: tuple[str, ...]
    identifiers: tuple[str, ...]
    remarks: str


@dataclass(frozen=True, slots=True)
class HitDetailDTO:
    """Customer and list entry side by side, for the review screen."""

    hit: HitDTO
    customer_no: str
    customer_kind: str
    customer_born_on: date | None
    customer_country: str | None
    entry: EntryDTO
    customer_national_id: str | None = None
    list_version_id: int | None = None  # the version the entry was screened from
    list_version_status: str | None = None  # active | superseded


@dataclass(frozen=True, slots=True)
class CustomerScreeningDTO:
    customer_id: int
    new_hits: tuple[HitDTO, ...]
    still_open: int
    suppressed: int


@dataclass(frozen=True, slots=True)
class RunDTO:
    run_id: int
    status: str
    processed: int
    total_customers: int
    hits_found: int
    cursor_customer_id: int
