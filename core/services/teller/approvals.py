"""The checker-inbox route of a teller override: a withdrawal above the teller's limit waits
for a head teller, and posts on approval in the maker's open session.

The request is validated when made (the teller's rights, an open session of their own, the
account, the amount above the limit); the posting is checked again on approval, where a
refusal (funds gone, till closed) leaves the request pending.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from core import errors, money
from core.rules import ledger as ledger_rules
from core.rules import teller as rules
from core.services import authz
from core.services.teller import common, transactions
from core.unit_of_work import UnitOfWork

if TYPE_CHECKING:  # makerchecker_actions registers this module's functions
    from core.services.makerchecker_actions import Prepared

ACTION = "teller.withdrawal_override"


def prepare_withdrawal(uow: UnitOfWork, p: dict[str, Any]) -> Prepared:
    from core.services.makerchecker_actions import Prepared

    missing = [n for n in ("session_id", "account_id", "amount_minor", "currency") if n not in p]
    if missing:
        raise errors.InvalidInput(field=missing[0], reason="missing")
    session_id, account_id, amount, currency = (p["session_id"], p["account_id"],
                                                p["amount_minor"], p["currency"])
    authz.require(uow, transactions.PERMISSION["withdrawal"])
    key = p.get("idempotency_key") or f"approval-{secrets.token_hex(12)}"
    ledger_rules.check_idempotency_key(key)
    money.check_amount_minor(amount, currency)
    _sess, till = common.require_open_session(uow, session_id)
    acc = transactions.customer_account(uow, account_id, currency, debit=True)
    if not rules.needs_override(uow.actor.role, "withdrawal", amount, currency):
        raise errors.ApprovalNotRequired(action=ACTION)
    stored = {"session_id": session_id, "account_id": account_id, "amount_minor": amount,
              "currency": currency, "idempotency_key": key, "maker": uow.actor.username}
    text = (f"Cash withdrawal of {money.format_minor(amount, currency)} {currency} from "
            f"{acc.number} at till {till.code}")
    return Prepared(stored, text, "account", account_id, till.branch_id, amount, currency)


def execute_withdrawal(uow: UnitOfWork, p: dict[str, Any]) -> dict[str, Any]:
    authz.require(uow, common.OVERRIDE)  # the checker approves above a teller's limit
    req = transactions.Request("withdrawal", p["idempotency_key"], p["session_id"],
                               p["account_id"], None, p["amount_minor"], p["currency"])
    override = transactions.Override(maker=p["maker"], approved_by=uow.actor.username)
    tx = transactions.execute(uow, req, override)
    return {"transaction_id": tx.transaction_id, "reference": tx.reference}


def needed(_uow: UnitOfWork, _prepared: Prepared) -> bool:
    """prepare() already refused a withdrawal within the teller's limit."""
    return True
