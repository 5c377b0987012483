"""All models, imported so that Base.metadata knows every table (alembic reads it)."""

from core.models.audit import AuditChain, AuditEvent
from core.models.customers import Customer
from core.models.fx import FxBranchSettings, FxDeal, FxRate, FxRevaluationLine, FxRevaluationRun
from core.models.ledger import Account, BalanceShard, BusinessDay, Hold, JournalEntry, Posting
from core.models.org import BankCalendar, Branch

__all__ = [
    "Account",
    "AuditChain",
    "AuditEvent",
    "BalanceShard",
    "BankCalendar",
    "Branch",
    "BusinessDay",
    "Customer",
    "FxBranchSettings",
    "FxDeal",
    "FxRate",
    "FxRevaluationLine",
    "FxRevaluationRun",
    "Hold",
    "JournalEntry",
    "Posting",
]

from core.db import Base as _Base  # noqa: E402
from core.guards import attach as _attach_guards  # noqa: E402

_attach_guards(_Base.metadata.tables)
