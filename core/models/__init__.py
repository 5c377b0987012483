"""All models, imported so that Base.metadata knows every table (alembic reads it)."""

from core.models.audit import AuditChain, AuditEvent
from core.models.customers import Customer
from core.models.ledger import Account, BalanceShard, BusinessDay, Hold, JournalEntry, Posting
from core.models.org import BankCalendar, Branch
from core.models.teller import (
    CashMovement,
    CustomerMedia,
    Receipt,
    TellerTransaction,
    Till,
    TillCount,
    TillCurrency,
    TillSession,
    TillSessionBalance,
    Vault,
)

__all__ = [
    "Account",
    "AuditChain",
    "AuditEvent",
    "BalanceShard",
    "BankCalendar",
    "Branch",
    "BusinessDay",
    "CashMovement",
    "Customer",
    "CustomerMedia",
    "Hold",
    "JournalEntry",
    "Posting",
    "Receipt",
    "TellerTransaction",
    "Till",
    "TillCount",
    "TillCurrency",
    "TillSession",
    "TillSessionBalance",
    "Vault",
]

from core.db import Base as _Base  # noqa: E402
from core.guards import attach as _attach_guards  # noqa: E402
from core.search_index import attach as _attach_search  # noqa: E402

_attach_guards(_Base.metadata.tables)
_attach_search(_Base.metadata.tables)
