"""All models, imported so that Base.metadata knows every table (alembic reads it)."""

from core.models.audit import AuditChain, AuditEvent
from core.models.customers import Customer
from core.models.fx import FxBranchSettings, FxDeal, FxRate, FxRevaluationLine, FxRevaluationRun
from core.models.identity import (
    PasswordHistory,
    Permission,
    Role,
    RolePermission,
    User,
    UserSession,
)
from core.models.ledger import Account, BalanceShard, BusinessDay, Hold, JournalEntry, Posting
from core.models.makerchecker import ApprovalRequest, ApprovalRule
from core.models.org import BankCalendar, Branch
from core.models.sanctions import (
    ComplianceCase,
    SanctionsEntry,
    SanctionsList,
    SanctionsListVersion,
    SanctionsName,
    ScreeningHit,
    ScreeningRun,
)

__all__ = [
    "Account",
    "ApprovalRequest",
    "ApprovalRule",
    "AuditChain",
    "AuditEvent",
    "BalanceShard",
    "BankCalendar",
    "Branch",
    "BusinessDay",
    "ComplianceCase",
    "Customer",
    "FxBranchSettings",
    "FxDeal",
    "FxRate",
    "FxRevaluationLine",
    "FxRevaluationRun",
    "Hold",
    "JournalEntry",
    "PasswordHistory",
    "Permission",
    "Posting",
    "SanctionsEntry",
    "SanctionsList",
    "SanctionsListVersion",
    "SanctionsName",
    "ScreeningHit",
    "ScreeningRun",
    "Role",
    "RolePermission",
    "User",
    "UserSession",
]

from core.db import Base as _Base  # noqa: E402
from core.guards import attach as _attach_guards  # noqa: E402

_attach_guards(_Base.metadata.tables)
