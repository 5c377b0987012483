"""Bank set-up: the calendar, branches and their GL chart. Administrator work."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select

from core import errors, limits, money
from core.dto import BranchDTO
from core.models.ledger import Account, BalanceShard, BusinessDay
from core.models.org import BankCalendar, Branch
from core.rules import chart
from core.rules.ledger import normal_sign_for
from core.services import audit, authz, identity
from core.unit_of_work import UnitOfWork


def init_bank(uow: UnitOfWork, *, bank_name: str, base_currency: str,
              business_date: date) -> None:
    """Create the calendar row once: the bank's name, base currency and first business date."""
    authz.require(uow, "admin.setup")
    money.check_currency(base_currency)
    if uow.session.get(BankCalendar, 1) is not None:
        raise errors.InvalidInput(field="bank", reason="the bank is already set up")
    now = uow.clock.now()
    uow.session.add(BankCalendar(id=1, business_date=business_date, base_currency=base_currency,
                                 bank_name=bank_name, updated_at=now))
    uow.session.add(BusinessDay(business_date=business_date, opened_at=now, sequence_no=1))
    uow.session.flush()
    audit.append(uow, action="setup.init_bank", entity_type="bank", entity_id=1,
                 payload={"after": {"bank_name": bank_name, "base_currency": base_currency,
                                    "business_date": business_date.isoformat()}})
    identity.seed_roles(uow)  # the five default roles come with the bank


def create_branch(uow: UnitOfWork, *, code: str, name: str, city: str = "",
                  currencies: tuple[str, ...] = ()) -> BranchDTO:
    """A branch with the standard GL chart in each currency it handles."""
    authz.require(uow, "admin.branches")
    code = code.strip().upper()
    if not code.isalnum() or not 2 <= len(code) <= 16:
        raise errors.InvalidInput(field="code", reason="2-16 letters or digits")
    if not name.strip():
        raise errors.InvalidInput(field="name", reason="a branch needs a name")
    if uow.session.execute(select(Branch.id).where(Branch.code == code)).first():
        raise errors.InvalidInput(field="code", reason=f"branch {code} exists")
    branch = Branch(code=code, name=name.strip(), city=city, created_at=uow.clock.now())
    uow.session.add(branch)
    uow.session.flush()
    for currency in currencies:
        ensure_gl_chart(uow, branch_id=branch.id, currency=currency)
    audit.append(uow, action="setup.create_branch", entity_type="branch", entity_id=branch.id,
                 payload={"after": {"code": code, "name": name, "currencies": list(currencies)}})
    return BranchDTO(branch.id, branch.code, branch.name)


def ensure_gl_chart(uow: UnitOfWork, *, branch_id: int, currency: str) -> dict[str, int]:
    """The branch's GL accounts in one currency, created where missing; code -> account id."""
    money.check_currency(currency)
    branch = uow.session.get(Branch, branch_id)
    if branch is None:
        raise errors.UnknownBranch(branch=branch_id)
    ids: dict[str, int] = {}
    for t in chart.STANDARD_CHART:
        number = chart.gl_number(branch.code, t.code, currency)
        found = uow.session.execute(select(Account.id).where(Account.number == number)).first()
        if found:
            ids[t.code] = found[0]
            continue
        acc = Account(number=number, name=f"{t.name} {currency}", kind="gl", gl_type=t.gl_type,
                      gl_code=t.code, normal_sign=normal_sign_for(t.gl_type), currency=currency,
                      branch_id=branch_id, status="active", enforce_floor=t.enforce_floor,
                      overdraft_limit_minor=0, is_hot=t.is_hot, balance_minor=0, held_minor=0,
                      opened_at=uow.clock.now())
        uow.session.add(acc)
        uow.session.flush()
        if t.is_hot:
            uow.conn.execute(insert(BalanceShard), [
                {"account_id": acc.id, "shard_no": n, "balance_minor": 0}
                for n in range(limits.HOT_ACCOUNT_SHARDS)])
        ids[t.code] = acc.id
    return ids


def gl_account_id(uow: UnitOfWork, *, branch_id: int, gl_code: str, currency: str) -> int:
    branch = uow.session.get(Branch, branch_id)
    if branch is None:
        raise errors.UnknownBranch(branch=branch_id)
    number = chart.gl_number(branch.code, gl_code, currency)
    found = uow.session.execute(select(Account.id).where(Account.number == number)).first()
    if found is None:
        raise errors.UnknownAccount(account=number)
    return int(found[0])


def list_branches(uow: UnitOfWork) -> list[BranchDTO]:
    rows = uow.session.execute(select(Branch).order_by(Branch.code)).scalars()
    return [BranchDTO(b.id, b.code, b.name) for b in rows]
