"""Random posting sequences against a small in-memory reference ledger, on both databases.

Hypothesis drives transfers (some refused: funds, status, currency), two-currency entries, fees to
hot accounts, reversals, idempotent retries, holds and status changes. After every step the
database must show the reference's balances, and the ledger's invariants must hold (every entry
balanced per currency, every reversal an exact mirror, every entry audited, chains intact).
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import text

from core import errors, limits
from core.dto import EntryDTO
from core.rules.ledger import Line
from core.services import accounts, customers, ledger, setup
from core.services.authz import SYSTEM
from core.unit_of_work import UnitOfWork
from tests import ledger_invariants as inv
from tests.conftest import Bank
from tests.services.ledger_reference import Acc, Reference

AMOUNTS = st.one_of(st.integers(1, 12_000), st.integers(1, 12_000),
                    st.sampled_from([0, -3, limits.MAX_AMOUNT_MINOR + 1]))


class LedgerMachine(RuleBasedStateMachine):
    """Each example opens its own customer accounts in the test's bank (set by the test).

    The bank (GL chart in USD and EUR) is built once per test by the `bank` fixture; building a
    database per example would spend most of the minute on DDL. Shared GL accounts carry their
    balance over from earlier examples: the reference starts from what the database shows.
    """

    bank: Bank
    gls: dict[str, dict[str, int]]  # currency -> GL code -> account id

    def __init__(self) -> None:
        super().__init__()
        self.ctx = self.bank.ctx
        self.engine = self.ctx.engine
        self.ref = Reference()
        self.refused: list[tuple[str, dict]] = []  # refused transfers, to retry verbatim
        self.done: list[tuple[str, dict]] = []  # applied transfers (key, kwargs)
        self._open_accounts()

    # --- set-up ---------------------------------------------------------------------------
    def _open_accounts(self) -> None:
        bank = self.bank
        with self.engine.connect() as conn:
            stored = inv.stored_balances(conn)
            self.first_entry = 1 + conn.execute(
                text("SELECT COALESCE(MAX(id), 0) FROM journal_entries")).scalar_one()
            self.entries_before = conn.execute(
                text("SELECT COUNT(*) FROM journal_entries")).scalar_one()
        for cur in ("USD", "EUR"):
            gl = self.gls[cur]
            for code, sign in (("1000", 1), ("4000", -1), ("2100", -1)):
                self.ref.accs[gl[code]] = Acc(gl[code], cur, sign, False,
                                              balance=stored[gl[code]][0])
            setattr(self, f"vault_{cur}", gl["1000"])
            setattr(self, f"fee_{cur}", gl["4000"])
        plan = [("USD", 10_000, 0), ("USD", 5_000, 2_000), ("USD", 0, 0), ("USD", 0, 0),
                ("EUR", 8_000, 0), ("EUR", 0, 1_000)]
        opened = self.ctx.run(_open_customers, SYSTEM, branch_id=bank.branch_id,
                              vaults={c: self.gls[c]["1000"] for c in ("USD", "EUR")},
                              plan=plan)
        self.customers: list[int] = []
        for (cur, _deposit, overdraft), (acc, seed) in zip(plan, opened, strict=True):
            self.ref.accs[acc] = Acc(acc, cur, -1, True, overdraft)
            self.customers.append(acc)
            if seed is not None:
                self.ref.apply(seed.entry_id, [(p.account_id, p.amount_minor, p.currency)
                                               for p in seed.postings], reversal=False)
        self.ref.accs[self.customers[3]].status = "closed"  # at zero, closed for good
        self.all_accounts = sorted(self.ref.accs)

    def teardown(self) -> None:
        with self.engine.connect() as conn:
            assert inv.check_all(conn) == {}  # the whole database, audit chains included

    # --- helpers --------------------------------------------------------------------------
    def _post(self, key: str, kind: str, lines: list[tuple[int, int, str]]) -> None:
        """post_entry with the reference's prediction checked."""
        expected = self.ref.refusal(lines)
        call = dict(idempotency_key=key, kind=kind,
                    lines=[Line(a, m, c) for a, m, c in lines])
        if expected is not None:
            self._refused(expected, ledger.post_entry, **call)
            return
        dto = self.ctx.run(ledger.post_entry, SYSTEM, **call)
        assert not dto.replayed
        assert [(p.account_id, p.amount_minor, p.currency) for p in dto.postings] == lines
        self.ref.apply(dto.entry_id, lines, reversal=False)
        self.ref.keys[key] = ((kind, tuple(lines)), dto.entry_id)

    def _refused(self, error: type[errors.DomainError], service, **call) -> None:
        """The service refuses with exactly this error and writes nothing, not even audit."""
        before = self._row_counts()
        with pytest.raises(error) as info:
            self.ctx.run(service, SYSTEM, **call)
        assert type(info.value) is error
        assert self._row_counts() == before

    def _row_counts(self) -> tuple[int, ...]:
        with self.engine.connect() as conn:
            return tuple(conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()
                         for t in ("journal_entries", "postings", "audit_events", "holds"))

    @staticmethod
    def _key() -> str:
        return "m-" + uuid.uuid4().hex[:20]

    def _transfer_expectation(self, kw: dict) -> type[errors.DomainError] | None:
        amount = kw["amount_minor"]
        if amount <= 0:
            return errors.NonPositiveAmount
        if amount > limits.MAX_AMOUNT_MINOR:
            return errors.AmountTooLarge
        if kw["from_account_id"] == kw["to_account_id"]:
            return errors.SameAccountTransfer
        known = self.ref.keys.get(kw["idempotency_key"])
        if known is not None:
            return None if known[0] == ("transfer", _transfer_lines(kw)) else \
                errors.IdempotencyConflict
        return self.ref.refusal(_transfer_lines(kw))

    def _do_transfer(self, kw: dict) -> None:
        expected = self._transfer_expectation(kw)
        known = self.ref.keys.get(kw["idempotency_key"])
        if expected is not None:
            self._refused(expected, ledger.transfer, **kw)
            if amount_ok(kw["amount_minor"]) and kw not in [k for _, k in self.refused]:
                self.refused.append((kw["idempotency_key"], kw))
            return
        dto = self.ctx.run(ledger.transfer, SYSTEM, **kw)
        if known is not None:  # an idempotent retry: the first result, nothing moves
            assert dto.replayed and dto.entry_id == known[1]
            return
        assert not dto.replayed
        lines = _transfer_lines(kw)
        self.ref.apply(dto.entry_id, lines, reversal=False)
        self.ref.keys[kw["idempotency_key"]] = (("transfer", lines), dto.entry_id)
        self.done.append((kw["idempotency_key"], kw))

    # --- rules ----------------------------------------------------------------------------
    @rule(data=st.data(), amount=AMOUNTS)
    def transfer_any(self, data: st.DataObject, amount: int) -> None:
        src = data.draw(st.sampled_from(self.all_accounts), label="from")
        dst = data.draw(st.sampled_from(self.all_accounts), label="to")
        cur = self.ref.accs[src].currency
        self._do_transfer(dict(idempotency_key=self._key(), from_account_id=src,
                               to_account_id=dst, amount_minor=amount, currency=cur))

    @rule(data=st.data(), amount=st.integers(1, 15_000))
    def transfer_customers(self, data: st.DataObject, amount: int) -> None:
        src, dst = data.draw(st.permutations(self.customers), label="pair")[:2]
        cur = self.ref.accs[src].currency
        self._do_transfer(dict(idempotency_key=self._key(), from_account_id=src,
                               to_account_id=dst, amount_minor=amount, currency=cur))

    @rule(data=st.data())
    def retry_same_request(self, data: st.DataObject) -> None:
        if not self.done:
            return
        _, kw = data.draw(st.sampled_from(self.done), label="retry")
        self._do_transfer(dict(kw))

    @rule(data=st.data(), bump=st.integers(1, 500))
    def retry_other_request(self, data: st.DataObject, bump: int) -> None:
        if not self.done:
            return
        _, kw = data.draw(st.sampled_from(self.done), label="retry")
        self._do_transfer({**kw, "amount_minor": kw["amount_minor"] + bump})

    @rule(data=st.data())
    def retry_refused_request(self, data: st.DataObject) -> None:
        if not self.refused:
            return
        _, kw = data.draw(st.sampled_from(self.refused), label="again")
        self._do_transfer(dict(kw))

    @rule(data=st.data())
    def two_currency_entry(self, data: st.DataObject) -> None:
        lines: list[tuple[int, int, str]] = []
        for cur in ("USD", "EUR"):
            pool = [a for a in self.all_accounts if self.ref.accs[a].currency == cur]
            picked = data.draw(st.lists(st.sampled_from(pool), min_size=2, max_size=3,
                                        unique=True), label=cur)
            amounts = [data.draw(st.integers(-6_000, 6_000).filter(bool)) for _ in picked[1:]]
            if sum(amounts) == 0:
                amounts[0] += 1
            lines += [(picked[0], -sum(amounts), cur)] + \
                [(a, m, cur) for a, m in zip(picked[1:], amounts, strict=True)]
        self._post(self._key(), "adjust", data.draw(st.permutations(lines), label="order"))

    @rule(data=st.data())
    def line_in_wrong_currency(self, data: st.DataObject) -> None:
        """A balanced entry with one line in another currency than its account's: refused."""
        usd = [a for a in self.customers if self.ref.accs[a].currency == "USD"]
        eur = [a for a in self.customers if self.ref.accs[a].currency == "EUR"]
        a, b = data.draw(st.permutations(usd), label="usd")[:2]
        c = data.draw(st.sampled_from(eur), label="eur")
        amt, other = data.draw(st.integers(1, 500)), data.draw(st.integers(1, 500))
        lines = [(a, amt, "USD"), (b, -amt, "USD"), (a, -other, "EUR"), (c, other, "EUR")]
        self._post(self._key(), "adjust", data.draw(st.permutations(lines), label="order"))

    @rule(data=st.data(), amount=st.integers(1, 3_000))
    def fee(self, data: st.DataObject, amount: int) -> None:
        acc = data.draw(st.sampled_from(self.customers), label="payer")
        cur = self.ref.accs[acc].currency
        self._post(self._key(), "fee", [(acc, amount, cur), (getattr(self, f"fee_{cur}"),
                                                             -amount, cur)])

    @rule(data=st.data(), same_key=st.booleans(),
          reason=st.sampled_from(["model reversal", "model reversal", "other reason"]))
    def reverse(self, data: st.DataObject, same_key: bool, reason: str) -> None:
        if not self.ref.entries:
            return
        entry_id = data.draw(st.sampled_from(sorted(self.ref.entries)), label="entry")
        entry = self.ref.entries[entry_id]
        key = entry.reversed_by_key if same_key and entry.reversed_by_key else self._key()
        call = dict(idempotency_key=key, entry_id=entry_id, reason=reason)
        mirror = [(a, -m, c) for a, m, c in entry.lines]
        if entry.reversal:
            expected = errors.CannotReverseReversal
        elif entry.reversed_by_key is not None:
            if key != entry.reversed_by_key:
                expected = errors.AlreadyReversed
            else:  # a retry: served only when it asks the same (the reason is part of it)
                expected = None if reason == entry.reason else errors.IdempotencyConflict
        else:
            expected = self.ref.refusal(mirror)
        if expected is not None:
            self._refused(expected, ledger.reverse_entry, **call)
            return
        dto = self.ctx.run(ledger.reverse_entry, SYSTEM, **call)
        assert dto.reverses_entry_id == entry_id
        assert [(p.account_id, p.amount_minor, p.currency) for p in dto.postings] == mirror
        if entry.reversed_by_key is not None:
            assert dto.replayed
            return
        self.ref.apply(dto.entry_id, mirror, reversal=True)
        entry.reversed_by_key, entry.reason = key, reason
        self.ref.keys[key] = (("reversal", entry_id), dto.entry_id)

    @rule(data=st.data(), amount=AMOUNTS)
    def place_hold(self, data: st.DataObject, amount: int) -> None:
        acc = self.ref.accs[data.draw(st.sampled_from(self.customers), label="account")]
        call = dict(account_id=acc.id, amount_minor=amount, reason="card authorisation")
        expected = None
        if amount <= 0:
            expected = errors.NonPositiveAmount
        elif amount > limits.MAX_AMOUNT_MINOR:
            expected = errors.AmountTooLarge
        elif acc.balance - acc.held + acc.overdraft < amount:
            expected = errors.InsufficientFunds
        if expected is not None:
            self._refused(expected, accounts.place_hold, **call)
            return
        hold = self.ctx.run(accounts.place_hold, SYSTEM, **call)
        acc.held += amount
        self.ref.holds[hold.hold_id] = (acc.id, amount)

    @rule(data=st.data())
    def release_hold(self, data: st.DataObject) -> None:
        if not self.ref.holds:
            return
        hold_id = data.draw(st.sampled_from(sorted(self.ref.holds)), label="hold")
        self.ctx.run(accounts.release_hold, SYSTEM, hold_id=hold_id)
        acc_id, amount = self.ref.holds.pop(hold_id)
        self.ref.accs[acc_id].held -= amount
        # released once only
        self._refused(errors.InvalidInput, accounts.release_hold, hold_id=hold_id)

    @rule(data=st.data(), status=st.sampled_from(["active", "active", "frozen", "dormant",
                                                  "closed"]))
    def set_status(self, data: st.DataObject, status: str) -> None:
        acc = self.ref.accs[data.draw(st.sampled_from(self.customers), label="account")]
        call = dict(account_id=acc.id, status=status, reason="model")
        expected = None
        if acc.status == "closed":
            expected = errors.AccountClosed
        elif status == "closed" and acc.balance != 0:
            expected = errors.InvalidInput
        if expected is not None:
            self._refused(expected, accounts.set_status, **call)
            return
        self.ctx.run(accounts.set_status, SYSTEM, **call)
        acc.status = status

    # --- after every step -----------------------------------------------------------------
    @invariant()
    def database_agrees_with_reference(self) -> None:
        with self.engine.connect() as conn:
            stored = inv.stored_balances(conn)
            assert {k: stored[k] for k in self.ref.accs} == \
                {a.id: (a.balance, a.held) for a in self.ref.accs.values()}
            n_entries = conn.execute(text("SELECT COUNT(*) FROM journal_entries")).scalar_one()
            assert n_entries == self.entries_before + len(self.ref.entries)
            assert inv.unbalanced_entries(conn, self.first_entry) == []
            assert inv.inexact_reversals(conn, self.first_entry) == []
            assert inv.foreign_currency_postings(conn) == []
            assert inv.balances_not_matching_postings(conn) == []


def _open_customers(uow: UnitOfWork, *, branch_id: int, vaults: dict[str, int],
                    plan: list[tuple[str, int, int]]) -> list[tuple[int, EntryDTO | None]]:
    """The example's customer accounts (and seed deposits) in one transaction; the fourth is
    closed at zero."""
    out: list[tuple[int, EntryDTO | None]] = []
    for i, (cur, deposit, overdraft) in enumerate(plan):
        cust = customers.create_customer(uow, kind="person", full_name=f"Customer {i}",
                                         branch_id=branch_id, born_on=date(1980, 5, 17))
        acc = accounts.open_account(uow, customer_id=cust.customer_id, currency=cur,
                                    overdraft_limit_minor=overdraft).account_id
        seed = None
        if deposit:
            seed = ledger.post_entry(uow, idempotency_key="seed-" + uuid.uuid4().hex[:20],
                                     kind="deposit", lines=[Line(vaults[cur], deposit, cur),
                                                            Line(acc, -deposit, cur)])
        out.append((acc, seed))
    accounts.set_status(uow, account_id=out[3][0], status="closed", reason="left")
    return out


def _transfer_lines(kw: dict) -> list[tuple[int, int, str]]:
    return [(kw["from_account_id"], kw["amount_minor"], kw["currency"]),
            (kw["to_account_id"], -kw["amount_minor"], kw["currency"])]


def amount_ok(amount: int) -> bool:
    return 0 < amount <= limits.MAX_AMOUNT_MINOR


SETTINGS = settings(max_examples=30, stateful_step_count=20, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def test_random_postings_match_reference_ledger(bank):
    gls = {cur: bank.ctx.run(setup.ensure_gl_chart, SYSTEM, branch_id=bank.branch_id,
                             currency=cur) for cur in ("USD", "EUR")}
    machine = type("Machine", (LedgerMachine,), {"bank": bank, "gls": gls})
    run_state_machine_as_test(machine, settings=SETTINGS)


@pytest.mark.parametrize("order", [(0, 1, 2, 3), (2, 3, 0, 1), (0, 2, 1, 3)])
def test_line_in_other_currency_than_its_account_is_refused(bank, order):
    """Found by the model: a USD account with a USD and an EUR line was netted and posted."""
    a = bank.customer_account("USD", deposit_minor=1_000)
    b = bank.customer_account("USD")
    eur = bank.customer_account("EUR")
    lines = [Line(a, 100, "USD"), Line(b, -100, "USD"), Line(a, -30, "EUR"), Line(eur, 30, "EUR")]
    with bank.ctx.engine.connect() as conn:
        before = inv.stored_balances(conn)
    with pytest.raises(errors.CurrencyMismatch) as info:
        bank.ctx.run(ledger.post_entry, SYSTEM, idempotency_key="mixed-cur-1", kind="adjust",
                     lines=[lines[i] for i in order])
    assert info.value.params["currency"] == "EUR"
    with bank.ctx.engine.connect() as conn:
        assert inv.stored_balances(conn) == before
        assert inv.foreign_currency_postings(conn) == []
