"""Posting money: balanced, append-only journal entries with their audit event, idempotent.

Every function that moves money takes an idempotency key: the same key with the same request
returns the first result (replayed=True); the same key with another request is refused.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from sqlalchemy import select

from core import errors, limits, money
from core.dto import EntryDTO, PostingDTO
from core.models.ledger import Account, JournalEntry, Posting
from core.rules import ledger as rules
from core.rules.ledger import Line
from core.services import audit, authz, posting_sql
from core.unit_of_work import Retryable, UnitOfWork


def post_entry(
    uow: UnitOfWork,
    *,
    idempotency_key: str,
    kind: str,
    lines: list[Line],
    memo: str = "",
    branch_id: int | None = None,
    reverses_entry_id: int | None = None,
    permission: str = "ledger.post",
) -> EntryDTO:
    """Post one balanced entry (or replay the one this key already posted)."""
    authz.require(uow, permission)
    authz.require_branch(uow, branch_id)  # the entry originates in the actor's own branch
    rules.check_idempotency_key(idempotency_key)
    rules.validate_lines(lines)
    if len(memo) > limits.MAX_MEMO_CHARS:
        raise errors.InvalidInput(field="memo", reason=f"longer than {limits.MAX_MEMO_CHARS}")
    extra = {"branch_id": branch_id, "reverses": reverses_entry_id}
    request_hash = rules.request_hash(kind, lines, memo, extra)
    net = rules.net_by_account(lines)
    currency_of = {ln.account_id: ln.currency for ln in lines}
    if len(currency_of) != len({(ln.account_id, ln.currency) for ln in lines}):
        _refuse_mixed_currencies(uow, lines)
    moved = {acc: (amt, currency_of[acc]) for acc, amt in net.items()}
    if any(amt == 0 for amt in net.values()):
        raise errors.InvalidEntry(reason="the lines on one account cancel out")
    reference = rules.new_reference()
    now = uow.clock.now()
    entry_row = {
        "reference": reference, "idempotency_key": idempotency_key,
        "request_hash": request_hash, "kind": kind, "memo": memo, "posted_at": now,
        "branch_id": branch_id, "actor": uow.actor.username,
        "reverses_entry_id": reverses_entry_id,
    }
    line_tuples = [(ln.account_id, ln.amount_minor, ln.currency) for ln in lines]
    event, digest = audit.event_row(
        uow, action=f"ledger.{kind}", entity_type="journal_entry", entity_id=reference,
        payload={"key": idempotency_key, "kind": kind, "memo": memo, "lines": line_tuples,
                 "reverses": reverses_entry_id},
    )
    if uow.is_postgres:
        found = _post_pg(uow, entry_row, moved, line_tuples, event, digest)
    else:
        found = _post_sqlite(uow, entry_row, moved, line_tuples, event, digest)
    if found is None:
        return _replay(uow, idempotency_key, request_hash)
    entry_id, business_date, moved_ids = found
    if moved_ids != set(moved):
        diagnose(uow, {a: m for a, m in moved.items() if a not in moved_ids})
    postings = tuple(PostingDTO(a, c, m, i + 1) for i, (a, m, c) in enumerate(line_tuples))
    return EntryDTO(entry_id, reference, kind, memo, business_date, now, uow.actor.username,
                    postings, reverses_entry_id)


def _post_pg(uow: UnitOfWork, entry_row: dict[str, Any], moved: dict[int, tuple[int, str]],
             lines: list[tuple[int, int, str]], event: dict[str, Any], digest: bytes
             ) -> tuple[int, Any, set[int]] | None:
    base = dict(entry_row)
    base.update({f"a_{k}": v for k, v in event.items()})
    base["a_digest"] = digest
    base["shard_no"] = random.randrange(limits.HOT_ACCOUNT_SHARDS)
    sql = posting_sql.pg_post_sql(len(moved), len(lines))
    rows = posting_sql.driver_execute(uow, sql, posting_sql.pg_params(base, moved, lines)
                                      ).fetchall()
    # rows: (k, id, business_date); k = 'e' entry, 'u' plain account moved, 'h' hot shard moved
    entry = [r for r in rows if r[0] == "e"]
    if not entry:
        return None
    return entry[0][1], entry[0][2], {r[1] for r in rows if r[0] != "e"}


def _post_sqlite(uow: UnitOfWork, entry_row: dict[str, Any], moved: dict[int, tuple[int, str]],
                 lines: list[tuple[int, int, str]], event: dict[str, Any], digest: bytes
                 ) -> tuple[int, Any, set[int]] | None:
    run = posting_sql.driver_execute
    # everything bound before the first statement: BEGIN IMMEDIATE holds the database's lock
    audit_row = posting_sql.sqlite_params(event)
    entry = run(uow, posting_sql.SQLITE_INSERT_ENTRY, posting_sql.sqlite_params(entry_row)
                ).fetchone()
    if entry is None:
        return None
    entry_id, business_date = entry[0], date.fromisoformat(entry[1])
    moved_ids: set[int] = set()
    for account_id, (amount, currency) in moved.items():
        params = {"account_id": account_id, "amount": amount, "currency": currency}
        if run(uow, posting_sql.SQLITE_MOVE_PLAIN, params).fetchone() is not None:
            moved_ids.add(account_id)
            continue
        # SQLite has one writer at a time: shard 0 is enough, the layout stays the same.
        params["shard_no"] = 0
        if run(uow, posting_sql.SQLITE_MOVE_HOT, params).fetchone() is not None:
            moved_ids.add(account_id)
    if moved_ids != set(moved):
        return entry_id, business_date, moved_ids  # refused below; the caller rolls back
    run(uow, posting_sql.SQLITE_INSERT_POSTING, [
        {"entry_id": entry_id, "account_id": a, "currency": c, "amount_minor": m, "line_no": i + 1}
        for i, (a, m, c) in enumerate(lines)
    ], many=True)
    head = run(uow, posting_sql.SQLITE_BUMP_CHAIN,
               {"digest": digest, "chain_id": event["chain_id"]}).fetchone()
    audit_row["seq"], audit_row["hash"] = head[0], bytes(head[1])
    run(uow, posting_sql.SQLITE_INSERT_AUDIT, audit_row)
    return entry_id, business_date, moved_ids


def diagnose(uow: UnitOfWork, refused: dict[int, tuple[int, str]]) -> None:
    """Name the reason an account did not move; if none holds any more, the check raced: retry."""
    for account_id, (amount, currency) in sorted(refused.items()):
        acc = uow.session.get(Account, account_id)
        if acc is None:
            raise errors.UnknownAccount(account=account_id)
        if acc.currency != currency:
            raise errors.CurrencyMismatch(account=acc.number, account_currency=acc.currency,
                                          currency=currency)
        delta = rules.natural_delta(amount, acc.normal_sign)
        if acc.status == "closed":
            raise errors.AccountClosed(account=acc.number)
        if acc.status == "frozen":
            raise errors.AccountFrozen(account=acc.number)
        if acc.status == "dormant" and delta <= 0:
            raise errors.AccountDormant(account=acc.number)
        if acc.enforce_floor and delta < 0:
            available = acc.balance_minor - acc.held_minor + acc.overdraft_limit_minor
            if available + delta < 0:
                raise errors.InsufficientFunds(
                    account=acc.number, currency=acc.currency,
                    available=money.format_minor(available, acc.currency),
                    requested=money.format_minor(-delta, acc.currency))
    raise Retryable("an account changed between the posting and its check")


def _refuse_mixed_currencies(uow: UnitOfWork, lines: list[Line]) -> None:
    """An account with lines in two currencies: the net per account would add them up."""
    seen: dict[int, str] = {}
    for ln in lines:
        if seen.setdefault(ln.account_id, ln.currency) == ln.currency:
            continue
        acc = uow.session.get(Account, ln.account_id)
        if acc is None:
            raise errors.UnknownAccount(account=ln.account_id)
        wrong = ln.currency if ln.currency != acc.currency else seen[ln.account_id]
        raise errors.CurrencyMismatch(account=acc.number, account_currency=acc.currency,
                                      currency=wrong)


def _replay(uow: UnitOfWork, key: str, request_hash: bytes) -> EntryDTO:
    entry = uow.session.execute(
        select(JournalEntry).where(JournalEntry.idempotency_key == key)
    ).scalar_one_or_none()
    if entry is None:  # the first request with this key rolled back meanwhile: post again
        raise Retryable("idempotency key vanished")
    if bytes(entry.request_hash) != request_hash:
        raise errors.IdempotencyConflict(key=key)
    dto = entry_dto(uow, entry)
    return EntryDTO(**{**_as_dict(dto), "replayed": True})


def _as_dict(dto: EntryDTO) -> dict[str, Any]:
    return {f: getattr(dto, f) for f in EntryDTO.__slots__}


def entry_dto(uow: UnitOfWork, entry: JournalEntry) -> EntryDTO:
    postings = uow.session.execute(
        select(Posting).where(Posting.entry_id == entry.id).order_by(Posting.line_no)
    ).scalars()
    return EntryDTO(
        entry.id, entry.reference, entry.kind, entry.memo, entry.business_date, entry.posted_at,
        entry.actor,
        tuple(PostingDTO(p.account_id, p.currency, p.amount_minor, p.line_no) for p in postings),
        entry.reverses_entry_id,
    )


def transfer(
    uow: UnitOfWork,
    *,
    idempotency_key: str,
    from_account_id: int,
    to_account_id: int,
    amount_minor: int,
    currency: str,
    memo: str = "",
    branch_id: int | None = None,
) -> EntryDTO:
    """Move money between two accounts of the same currency (debit source, credit target).

    Both accounts are customer-facing liabilities in the usual case: debiting a liability
    lowers its balance, crediting raises it.
    """
    money.check_amount_minor(amount_minor, currency)
    if from_account_id == to_account_id:
        raise errors.SameAccountTransfer(account=from_account_id)
    lines = [Line(from_account_id, amount_minor, currency),
             Line(to_account_id, -amount_minor, currency)]
    return post_entry(uow, idempotency_key=idempotency_key, kind="transfer", lines=lines,
                      memo=memo, branch_id=branch_id, permission="ledger.transfer")


def reverse_entry(uow: UnitOfWork, *, idempotency_key: str, entry_id: int,
                  reason: str, permission: str = "ledger.reverse") -> EntryDTO:
    """Undo an entry with its exact mirror; the original stays untouched.

    `permission` lets a desk use case (teller.reverse) reverse its own entries.
    """
    authz.require(uow, permission)
    if not reason.strip():
        raise errors.InvalidInput(field="reason", reason="a reversal needs a reason")
    # Locked (a row lock is no UPDATE: the append-only trigger allows it) so that two clerks
    # reversing one entry queue here and the second sees the first's reversal.
    original = uow.session.get(JournalEntry, entry_id, with_for_update=True)
    if original is None:
        raise errors.UnknownEntry(entry=entry_id)
    if original.reverses_entry_id is not None:
        raise errors.CannotReverseReversal(entry=original.reference)
    already = uow.session.execute(
        select(JournalEntry).where(JournalEntry.reverses_entry_id == entry_id)
    ).scalar_one_or_none()
    if already is not None:
        if already.idempotency_key == idempotency_key:
            if already.memo != reason[: limits.MAX_MEMO_CHARS]:  # same key, another request
                raise errors.IdempotencyConflict(key=idempotency_key)
            return EntryDTO(**{**_as_dict(entry_dto(uow, already)), "replayed": True})
        raise errors.AlreadyReversed(entry=original.reference)
    dto = entry_dto(uow, original)
    lines = rules.reversal_lines([Line(p.account_id, p.amount_minor, p.currency)
                                  for p in dto.postings])
    # A reversal must always go through: it restores money, so floors do not apply to it
    # except on the accounts it debits, which the original credited.
    return post_entry(uow, idempotency_key=idempotency_key, kind="reversal", lines=lines,
                      memo=reason[: limits.MAX_MEMO_CHARS], branch_id=original.branch_id,
                      reverses_entry_id=entry_id, permission=permission)


def get_entry(uow: UnitOfWork, *, entry_id: int) -> EntryDTO:
    entry = uow.session.get(JournalEntry, entry_id)
    if entry is None:
        raise errors.UnknownEntry(entry=entry_id)
    return entry_dto(uow, entry)
