"""Customer accounts: opening, status, holds, balances and lists for screens."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select, update

from core import errors, limits, money
from core.dto import AccountDTO, HoldDTO
from core.models.customers import Customer
from core.models.ledger import ACCOUNT_STATUSES, Account, BalanceShard, Hold
from core.rules.chart import luhn_digit
from core.services import audit, authz
from core.unit_of_work import UnitOfWork


def _balance(uow: UnitOfWork, acc: Account) -> int:
    if not acc.is_hot:
        return acc.balance_minor
    shards = uow.session.execute(
        select(func.coalesce(func.sum(BalanceShard.balance_minor), 0))
        .where(BalanceShard.account_id == acc.id)
    ).scalar_one()
    return acc.balance_minor + int(shards)


def to_dto(uow: UnitOfWork, acc: Account) -> AccountDTO:
    ledger_minor = _balance(uow, acc)
    available = ledger_minor - acc.held_minor + (acc.overdraft_limit_minor if acc.enforce_floor else 0)
    return AccountDTO(acc.id, acc.number, acc.name, acc.kind, acc.gl_type, acc.currency,
                      acc.status, acc.branch_id, acc.customer_id, ledger_minor, acc.held_minor,
                      available, acc.overdraft_limit_minor, acc.is_hot)


def new_account_number(uow: UnitOfWork) -> str:
    """Ten random digits and a Luhn check digit, unique."""
    for _ in range(20):
        body = str(secrets.randbelow(9 * 10**9) + 10**9)
        number = body + luhn_digit(body)
        if uow.session.execute(select(Account.id).where(Account.number == number)).first() is None:
            return number
    raise errors.InvalidInput(field="number", reason="could not allocate an account number")


def open_account(uow: UnitOfWork, *, customer_id: int, currency: str,
                 product_code: str = "CURRENT", overdraft_limit_minor: int = 0,
                 name: str | None = None) -> AccountDTO:
    authz.require(uow, "accounts.open")
    money.check_currency(currency)
    if overdraft_limit_minor < 0 or overdraft_limit_minor > limits.MAX_AMOUNT_MINOR:
        raise errors.InvalidInput(field="overdraft_limit", reason="between zero and the maximum")
    customer = uow.session.get(Customer, customer_id)
    if customer is None:
        raise errors.UnknownCustomer(customer=customer_id)
    authz.require_branch(uow, customer.branch_id)
    acc = Account(number=new_account_number(uow), name=name or f"{customer.full_name} {currency}",
                  kind="customer", gl_type="liability", gl_code="2000", normal_sign=-1,
                  currency=currency, branch_id=customer.branch_id, customer_id=customer_id,
                  product_code=product_code, status="active", enforce_floor=True,
                  overdraft_limit_minor=overdraft_limit_minor, is_hot=False, balance_minor=0,
                  held_minor=0, opened_at=uow.clock.now())
    uow.session.add(acc)
    uow.session.flush()
    audit.append(uow, action="accounts.open", entity_type="account", entity_id=acc.id,
                 payload={"after": {"number": acc.number, "currency": currency,
                                    "customer_id": customer_id, "product": product_code,
                                    "overdraft_limit_minor": overdraft_limit_minor}})
    return to_dto(uow, acc)


def set_status(uow: UnitOfWork, *, account_id: int, status: str, reason: str) -> AccountDTO:
    authz.require(uow, "accounts.status")
    if status not in ACCOUNT_STATUSES:
        raise errors.InvalidInput(field="status", reason=f"one of {', '.join(ACCOUNT_STATUSES)}")
    if not reason.strip():
        raise errors.InvalidInput(field="reason", reason="a status change needs a reason")
    acc = uow.session.get(Account, account_id, with_for_update=True)
    if acc is None:
        raise errors.UnknownAccount(account=account_id)
    authz.require_branch(uow, acc.branch_id)
    if acc.status == "closed":
        raise errors.AccountClosed(account=acc.number)
    if status == "closed" and _balance(uow, acc) != 0:
        raise errors.InvalidInput(field="status", reason="only an account at zero can be closed")
    before = acc.status
    acc.status = status
    if status == "closed":
        acc.closed_at = uow.clock.now()
    uow.session.flush()
    audit.append(uow, action="accounts.status", entity_type="account", entity_id=acc.id,
                 payload={"before": before, "after": status, "reason": reason})
    return to_dto(uow, acc)


def place_hold(uow: UnitOfWork, *, account_id: int, amount_minor: int, reason: str) -> HoldDTO:
    """Reserve money: the available balance drops, the ledger balance does not."""
    authz.require(uow, "accounts.hold")
    acc = uow.session.get(Account, account_id, with_for_update=True)
    if acc is None:
        raise errors.UnknownAccount(account=account_id)
    authz.require_branch(uow, acc.branch_id)
    money.check_amount_minor(amount_minor, acc.currency)
    if not reason.strip():
        raise errors.InvalidInput(field="reason", reason="a hold needs a reason")
    dto = to_dto(uow, acc)
    if acc.enforce_floor and dto.available_minor < amount_minor:
        raise errors.InsufficientFunds(
            account=acc.number, currency=acc.currency,
            available=money.format_minor(dto.available_minor, acc.currency),
            requested=money.format_minor(amount_minor, acc.currency))
    hold = Hold(account_id=acc.id, amount_minor=amount_minor, reason=reason,
                placed_at=uow.clock.now())
    uow.session.add(hold)
    acc.held_minor += amount_minor
    uow.session.flush()
    audit.append(uow, action="accounts.hold", entity_type="account", entity_id=acc.id,
                 payload={"hold_id": hold.id, "amount_minor": amount_minor, "reason": reason})
    return HoldDTO(hold.id, acc.id, amount_minor, reason, hold.placed_at, None)


def release_hold(uow: UnitOfWork, *, hold_id: int) -> HoldDTO:
    authz.require(uow, "accounts.hold")
    hold = uow.session.get(Hold, hold_id, with_for_update=True)
    if hold is None or hold.released_at is not None:
        raise errors.InvalidInput(field="hold", reason=f"no active hold {hold_id}")
    hold.released_at = uow.clock.now()
    uow.session.execute(update(Account).where(Account.id == hold.account_id)
                        .values(held_minor=Account.held_minor - hold.amount_minor))
    uow.session.flush()
    audit.append(uow, action="accounts.release_hold", entity_type="account",
                 entity_id=hold.account_id, payload={"hold_id": hold.id,
                                                     "amount_minor": hold.amount_minor})
    return HoldDTO(hold.id, hold.account_id, hold.amount_minor, hold.reason, hold.placed_at,
                   hold.released_at)


def get_account(uow: UnitOfWork, *, account_id: int) -> AccountDTO:
    acc = uow.session.get(Account, account_id)
    if acc is None:
        raise errors.UnknownAccount(account=account_id)
    return to_dto(uow, acc)


def find_account(uow: UnitOfWork, *, number: str) -> AccountDTO:
    acc = uow.session.execute(select(Account).where(Account.number == number.strip())
                              ).scalar_one_or_none()
    if acc is None:
        raise errors.UnknownAccount(account=number)
    return to_dto(uow, acc)


def list_accounts(uow: UnitOfWork, *, after_id: int = 0, limit: int = 100,
                  kind: str | None = None) -> list[AccountDTO]:
    """Keyset page of accounts in id order."""
    limit = max(1, min(limit, limits.MAX_PAGE_ROWS))
    q = select(Account).where(Account.id > after_id).order_by(Account.id).limit(limit)
    if kind:
        q = q.where(Account.kind == kind)
    return [to_dto(uow, a) for a in uow.session.execute(q).scalars()]


def search_accounts(uow: UnitOfWork, *, query: str = "", kind: str | None = None,
                    after_id: int = 0, limit: int = 100) -> list[AccountDTO]:
    """Keyset page (id order) of accounts whose number, name or a word of the name starts
    with `query` (case-insensitive); all accounts when it is empty; of one kind if given."""
    authz.require(uow, "accounts.view")
    text = " ".join(query.split())
    if len(text) > limits.MAX_SEARCH_CHARS:
        raise errors.InvalidInput(field="search",
                                  reason=f"at most {limits.MAX_SEARCH_CHARS} characters")
    limit = max(1, min(limit, limits.MAX_PAGE_ROWS))
    q = select(Account).where(Account.id > after_id).order_by(Account.id).limit(limit)
    if kind:
        q = q.where(Account.kind == kind)
    if text:
        q = q.where(Account.number.istartswith(text, autoescape=True)
                    | Account.name.istartswith(text, autoescape=True)
                    | Account.name.icontains(" " + text, autoescape=True))
    return [to_dto(uow, a) for a in uow.session.execute(q).scalars()]
