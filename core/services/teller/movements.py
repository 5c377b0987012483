"""Cash between a till and the vault or another till, confirmed by both sides.

The sender's request posts source -> GL 1010 (teller cash in transit) at once, so the cash
leaves the sender's books when it leaves the drawer; the receiver's confirmation posts
GL 1010 -> destination. Until then the movement is pending and blocks both tills' close.
"""

from __future__ import annotations

from sqlalchemy import select

from core import errors, limits, money
from core.models.ledger import JournalEntry
from core.models.teller import CashMovement, Till
from core.rules import ledger as ledger_rules
from core.rules.ledger import Line
from core.services import audit, authz, ledger, setup
from core.services.teller import common
from core.services.teller.dto import CashMovementDTO
from core.unit_of_work import UnitOfWork


def _dto(m: CashMovement, replayed: bool = False) -> CashMovementDTO:
    return CashMovementDTO(m.id, m.branch_id, m.from_till_id, m.to_till_id, m.currency,
                           m.amount_minor, m.status, m.sent_by, m.sent_at, m.send_entry_id,
                           m.confirmed_by, m.confirm_entry_id, replayed)


def _side_account(uow: UnitOfWork, branch_id: int, till: Till | None, currency: str) -> int:
    """The cash account of one side, after checking the actor may act for it."""
    if till is None:
        authz.require(uow, "teller.vault")
        return setup.gl_account_id(uow, branch_id=branch_id, gl_code="1000", currency=currency)
    authz.require(uow, "teller.session")
    common.require_own_till(uow, till)
    return common.till_currency(uow, till, currency).account_id


def send_cash(uow: UnitOfWork, *, idempotency_key: str, currency: str, amount_minor: int,
              from_till_id: int | None = None, to_till_id: int | None = None) -> CashMovementDTO:
    """Send cash; a till id of None is the branch vault. The receiver confirms it later."""
    ledger_rules.check_idempotency_key(idempotency_key)
    found = uow.session.execute(select(CashMovement).where(
        CashMovement.idempotency_key == idempotency_key)).scalar_one_or_none()
    if found is not None:
        same = (found.from_till_id, found.to_till_id, found.currency, found.amount_minor) == (
            from_till_id, to_till_id, currency, amount_minor)
        if not same or found.sent_by != uow.actor.username:
            raise errors.IdempotencyConflict(key=idempotency_key)
        return _dto(found, replayed=True)
    money.check_amount_minor(amount_minor, currency)
    if from_till_id is None and to_till_id is None:
        raise errors.InvalidInput(field="till", reason="one side must be a till")
    if from_till_id == to_till_id:
        raise errors.InvalidInput(field="till", reason="the two sides are the same till")
    src = common.get_till(uow, from_till_id) if from_till_id is not None else None
    dst = common.get_till(uow, to_till_id) if to_till_id is not None else None
    branches = {t.branch_id for t in (src, dst) if t is not None}
    if len(branches) != 1:
        raise errors.InvalidInput(field="till", reason="both tills must be in one branch")
    branch_id = branches.pop()
    if dst is not None:
        common.till_currency(uow, dst, currency)
    source = _side_account(uow, branch_id, src, currency)
    if src is not None:
        held = common.cash_balance(uow, source)
        if held < amount_minor:
            raise errors.TillCashShort(till=src.code, currency=currency,
                                       available=money.format_minor(held, currency),
                                       requested=money.format_minor(amount_minor, currency))
    transit = setup.gl_account_id(uow, branch_id=branch_id, gl_code="1010", currency=currency)
    entry = ledger.post_entry(
        uow, idempotency_key=idempotency_key, kind="cash_out",
        lines=[Line(transit, amount_minor, currency), Line(source, -amount_minor, currency)],
        memo=f"cash to {dst.code if dst else 'vault'}", branch_id=branch_id,
        permission="teller.vault" if src is None else "teller.session")
    m = CashMovement(branch_id=branch_id, from_till_id=from_till_id, to_till_id=to_till_id,
                     currency=currency, amount_minor=amount_minor, status="pending",
                     idempotency_key=idempotency_key, sent_by=uow.actor.username,
                     sent_at=uow.clock.now(), send_entry_id=entry.entry_id)
    uow.session.add(m)
    uow.session.flush()
    audit.append(uow, action="teller.send_cash", entity_type="cash_movement", entity_id=m.id,
                 payload={"from": from_till_id, "to": to_till_id, "currency": currency,
                          "amount_minor": amount_minor, "entry": entry.reference})
    return _dto(m)


def _pending(uow: UnitOfWork, movement_id: int, key: str) -> CashMovement | CashMovementDTO:
    """The movement to finish, or the first result when this key already finished it."""
    m = uow.session.get(CashMovement, movement_id, with_for_update=True)
    if m is None:
        raise errors.UnknownCashMovement(movement=movement_id)
    if m.status == "pending":
        return m
    done_key = uow.session.execute(select(JournalEntry.idempotency_key).where(
        JournalEntry.id == m.confirm_entry_id)).scalar_one_or_none()
    if done_key == key and m.confirmed_by == uow.actor.username:
        return _dto(m, replayed=True)
    raise errors.CashMovementNotPending(movement=movement_id, status=m.status)


def confirm_cash(uow: UnitOfWork, *, idempotency_key: str, movement_id: int) -> CashMovementDTO:
    """The receiving side confirms the cash arrived: GL 1010 -> the receiver's cash."""
    ledger_rules.check_idempotency_key(idempotency_key)
    m = _pending(uow, movement_id, idempotency_key)
    if isinstance(m, CashMovementDTO):
        return m
    if m.sent_by == uow.actor.username:
        raise errors.SelfConfirmation(user=uow.actor.username, movement=m.id)
    dst = common.get_till(uow, m.to_till_id) if m.to_till_id is not None else None
    target = _side_account(uow, m.branch_id, dst, m.currency)
    return _finish(uow, m, idempotency_key, target, "confirmed", vault_side=dst is None)


def cancel_cash(uow: UnitOfWork, *, idempotency_key: str, movement_id: int) -> CashMovementDTO:
    """The sender takes back a movement nobody confirmed: GL 1010 -> back to the source."""
    ledger_rules.check_idempotency_key(idempotency_key)
    m = _pending(uow, movement_id, idempotency_key)
    if isinstance(m, CashMovementDTO):
        return m
    if m.sent_by != uow.actor.username:
        raise errors.PermissionDenied(user=uow.actor.username, action="cancel this movement")
    src = common.get_till(uow, m.from_till_id) if m.from_till_id is not None else None
    source = _side_account(uow, m.branch_id, src, m.currency)
    return _finish(uow, m, idempotency_key, source, "cancelled", vault_side=src is None)


def _finish(uow: UnitOfWork, m: CashMovement, key: str, target: int, status: str, *,
            vault_side: bool) -> CashMovementDTO:
    transit = setup.gl_account_id(uow, branch_id=m.branch_id, gl_code="1010", currency=m.currency)
    entry = ledger.post_entry(
        uow, idempotency_key=key, kind="cash_in" if status == "confirmed" else "cash_return",
        lines=[Line(target, m.amount_minor, m.currency),
               Line(transit, -m.amount_minor, m.currency)],
        memo=f"cash movement {m.id} {status}", branch_id=m.branch_id,
        permission="teller.vault" if vault_side else "teller.session")
    m.status = status
    m.confirmed_by = uow.actor.username
    m.confirmed_at = uow.clock.now()
    m.confirm_entry_id = entry.entry_id
    uow.session.flush()
    audit.append(uow, action=f"teller.{status}_cash", entity_type="cash_movement",
                 entity_id=m.id, payload={"entry": entry.reference})
    return _dto(m)


def list_pending(uow: UnitOfWork, *, branch_id: int) -> list[CashMovementDTO]:
    """What waits for confirmation in a branch (the head teller's and the tellers' inbox)."""
    authz.require(uow, "teller.session")
    rows = uow.session.execute(select(CashMovement).where(
        CashMovement.branch_id == branch_id, CashMovement.status == "pending")
        .order_by(CashMovement.id).limit(limits.MAX_PAGE_ROWS)).scalars()
    return [_dto(m) for m in rows]
