"""Sanctions lists: sources, versions (one per import), entries and their names; screening runs,
hits and the compliance cases a true match opens.

Every import stores a full copy of the list as a new version: the diff against the previous
active version is by (list, external id) and the entry's content hash, so an entry's identity
across versions is (list code, external id) and its fingerprint is content_hash.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.models.org import BigId
from core.models.types import UTCDateTime

LIST_CODES = ("ofac", "un", "eu", "internal")
VERSION_STATUSES = ("importing", "active", "superseded", "rejected")
ENTRY_TYPES = ("person", "entity", "vessel", "aircraft")
NAME_KINDS = ("primary", "aka", "weak")
HIT_STATUSES = ("open", "false_positive", "true_match", "pending_clear")
RUN_STATUSES = ("running", "done", "failed")


class SanctionsList(Base):
    __tablename__ = "sanctions_lists"
    __table_args__ = (CheckConstraint("code IN ('ofac', 'un', 'eu', 'internal')", name="code"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SanctionsListVersion(Base):
    __tablename__ = "sanctions_list_versions"
    __table_args__ = (
        CheckConstraint(
            "status IN ('importing', 'active', 'superseded', 'rejected')", name="status"
        ),
        Index("ix_sanctions_list_versions_list_status", "list_id", "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("sanctions_lists.id"))
    status: Mapped[str] = mapped_column(String(12))
    source_files: Mapped[str] = mapped_column(Text)  # JSON list of file names
    source_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    imported_by: Mapped[str] = mapped_column(String(64))
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    previous_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("sanctions_list_versions.id")
    )
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    name_count: Mapped[int] = mapped_column(Integer, default=0)
    added_count: Mapped[int] = mapped_column(Integer, default=0)
    removed_count: Mapped[int] = mapped_column(Integer, default=0)
    changed_count: Mapped[int] = mapped_column(Integer, default=0)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0)


class SanctionsEntry(Base):
    __tablename__ = "sanctions_entries"
    __table_args__ = (
        UniqueConstraint("version_id", "external_id", name="uq_sanctions_entries_version_ext"),
        CheckConstraint("entry_type IN ('person', 'entity', 'vessel', 'aircraft')",
                        name="entry_type"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("sanctions_list_versions.id"))
    external_id: Mapped[str] = mapped_column(String(64))
    entry_type: Mapped[str] = mapped_column(String(10))
    primary_name: Mapped[str] = mapped_column(String(500))
    programs: Mapped[str] = mapped_column(Text, default="[]")  # JSON lists from here on
    birth_dates: Mapped[str] = mapped_column(Text, default="[]")  # 'YYYY', 'YYYY-MM[-DD]'
    countries: Mapped[str] = mapped_column(Text, default="[]")  # ISO 3166 alpha-2 where known
    identifiers: Mapped[str] = mapped_column(Text, default="[]")
    remarks: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))


class SanctionsName(Base):
    __tablename__ = "sanctions_names"
    __table_args__ = (
        CheckConstraint("kind IN ('primary', 'aka', 'weak')", name="kind"),
        Index("ix_sanctions_names_entry_id", "entry_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("sanctions_entries.id"))
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(8))
    normalised: Mapped[str] = mapped_column(String(500))


class ScreeningRun(Base):
    """A batch re-screen of all customers; resumable from cursor_customer_id."""

    __tablename__ = "screening_runs"
    __table_args__ = (CheckConstraint("status IN ('running', 'done', 'failed')", name="status"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(200))
    index_key: Mapped[str] = mapped_column(String(200))  # active version ids screened against
    cursor_customer_id: Mapped[int] = mapped_column(Integer, default=0)
    total_customers: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    hits_found: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_by: Mapped[str] = mapped_column(String(64))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ScreeningHit(Base):
    __tablename__ = "screening_hits"
    __table_args__ = (
        CheckConstraint(
            "status IN ('open', 'false_positive', 'true_match', 'pending_clear')", name="status"
        ),
        Index("ix_screening_hits_customer_pair", "customer_id", "list_code", "external_id"),
        Index("ix_screening_hits_status", "status", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("screening_runs.id"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("sanctions_entries.id"))
    list_code: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    matched_name: Mapped[str] = mapped_column(String(500))
    score: Mapped[float] = mapped_column(Float)  # similarity 0..1, not money
    explanation: Mapped[str] = mapped_column(Text)  # JSON
    status: Mapped[str] = mapped_column(String(14), default="open")
    customer_fingerprint: Mapped[str] = mapped_column(String(64))
    entry_fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    requested_by: Mapped[str | None] = mapped_column(String(64))  # maker of a pending clear
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(String(500))


class ComplianceCase(Base):
    """Follow-up opened by a true match (reporting, exit decision)."""

    __tablename__ = "compliance_cases"
    __table_args__ = (CheckConstraint("status IN ('open', 'closed')", name="status"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    hit_id: Mapped[int] = mapped_column(ForeignKey("screening_hits.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(24), default="sanctions_match")
    status: Mapped[str] = mapped_column(String(8), default="open")
    summary: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_by: Mapped[str] = mapped_column(String(64))
