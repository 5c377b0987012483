"""Receipts: the data of a printed receipt; each print after the first is a DUPLICATE."""

from __future__ import annotations

from core import errors, limits
from core.models.ledger import Account
from core.models.org import BankCalendar
from core.models.teller import Receipt, TellerTransaction, Till, TillSession
from core.rules.teller import mask_account
from core.services import audit, authz
from core.services.teller import common
from core.services.teller.dto import ReceiptDTO
from core.unit_of_work import UnitOfWork


def print_receipt(uow: UnitOfWork, *, transaction_id: int) -> ReceiptDTO:
    """Count a print of the transaction's receipt and return what goes on it."""
    tx = uow.session.get(TellerTransaction, transaction_id)
    if tx is None:
        raise errors.UnknownTellerTransaction(transaction=transaction_id)
    if tx.teller != uow.actor.username:
        authz.require(uow, "teller.view_branch")
    else:
        authz.require(uow, "teller.session")
    now = uow.clock.now()
    rec = uow.session.get(Receipt, tx.id, with_for_update=True)
    if rec is None:
        rec = Receipt(teller_transaction_id=tx.id, printed_count=0, first_printed_at=now,
                      last_printed_at=now, last_printed_by=uow.actor.username)
        uow.session.add(rec)
    if rec.printed_count >= limits.RECEIPT_MAX_PRINTS:
        raise errors.InvalidInput(field="receipt",
                                  reason=f"printed {rec.printed_count} times already")
    rec.printed_count += 1
    rec.last_printed_at = now
    rec.last_printed_by = uow.actor.username
    uow.session.flush()
    audit.append(uow, action="teller.print_receipt", entity_type="teller_transaction",
                 entity_id=tx.id, payload={"reference": tx.reference, "copy": rec.printed_count})
    sess = uow.session.get(TillSession, tx.session_id)
    assert sess is not None
    till = uow.session.get(Till, sess.till_id)
    assert till is not None
    branch = common.branch_of(uow, till.branch_id)
    cal = uow.session.get(BankCalendar, 1)
    acc = uow.session.get(Account, tx.account_id)
    assert acc is not None
    counter = uow.session.get(Account, tx.counter_account_id) if tx.counter_account_id else None
    return ReceiptDTO(
        tx.id, tx.reference, tx.kind, cal.bank_name if cal else "", branch.name, tx.teller, now,
        tx.business_date, tx.created_at, mask_account(acc.number),
        mask_account(counter.number) if counter else None, tx.currency, tx.amount_minor,
        tx.fee_minor, rec.printed_count, tx.reversal_entry_id is not None)
