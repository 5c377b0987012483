"""The teller's journal (blotter) of a session and the head teller's view of the branch."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from core import errors, limits
from core.models.teller import TellerTransaction, Till, TillSession
from core.services import authz
from core.services.teller import common
from core.services.teller.dto import BlotterDTO, BlotterTotalDTO, TillPositionDTO
from core.unit_of_work import UnitOfWork


def session_journal(uow: UnitOfWork, *, session_id: int) -> BlotterDTO:
    """Every transaction of the session, with totals per currency and kind (reversals out)."""
    sess = uow.session.get(TillSession, session_id)
    if sess is None:
        raise errors.UnknownTillSession(session=session_id)
    if sess.teller != uow.actor.username:
        authz.require(uow, "teller.view_branch")
    else:
        authz.require(uow, "teller.session")
    rows = list(uow.session.execute(
        select(TellerTransaction).where(TellerTransaction.session_id == session_id)
        .order_by(TellerTransaction.id).limit(limits.MAX_SESSION_JOURNAL_ROWS + 1)).scalars())
    truncated = len(rows) > limits.MAX_SESSION_JOURNAL_ROWS
    rows = rows[: limits.MAX_SESSION_JOURNAL_ROWS]
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    reversed_count = 0
    for tx in rows:
        if tx.reversal_entry_id is not None:
            reversed_count += 1
            continue
        acc = sums[(tx.currency, tx.kind)]
        acc[0] += 1
        acc[1] += tx.amount_minor
        acc[2] += tx.fee_minor
    totals = tuple(BlotterTotalDTO(cur, kind, n, amount, fee)
                   for (cur, kind), (n, amount, fee) in sorted(sums.items()))
    return BlotterDTO(common.session_dto(uow, sess), tuple(common.tx_dto(t) for t in rows),
                      totals, reversed_count, truncated)


def branch_positions(uow: UnitOfWork, *, branch_id: int) -> list[TillPositionDTO]:
    """All open tills of a branch with their cash per currency against the cash limits."""
    authz.require(uow, "teller.view_branch")
    common.branch_of(uow, branch_id)
    found = uow.session.execute(
        select(TillSession, Till).join(Till, Till.id == TillSession.till_id)
        .where(Till.branch_id == branch_id, TillSession.status == "open")
        .order_by(Till.code).limit(limits.MAX_BRANCH_TILLS)).all()
    out = []
    for sess, till in found:
        positions = tuple(common.position(uow, tc) for tc in common.till_currencies(uow, till.id))
        out.append(TillPositionDTO(till.id, till.code, till.name, sess.id, sess.teller,
                                   sess.opened_at, positions,
                                   common.pending_movements(uow, till.id)))
    return out
