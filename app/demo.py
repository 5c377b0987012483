"""The demo bank: `cbs demo` and the database `cbs desk --demo` opens on first run.

The calendar, branches and GL chart go through the set-up services (their own audit events);
customers, accounts and history are computed in memory per chunk (app/demo_gen) and written in
bulk (app/demo_writer), one audit event for the whole load. Every ledger invariant holds at each
commit: balanced entries, stored balances (with shards) equal to the postings, no account below
its floor; tests/integration/test_demo.py checks them on both databases.
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, MetaData, func, insert, inspect, select, update
from sqlalchemy.engine import make_url

from app import migrate
from app.demo_gen import (
    ACCOUNT_COLUMNS,
    CURRENCIES,
    CUSTOMER_COLUMNS,
    ENTRY_COLUMNS,
    EVENTS_PER_ACCOUNT_DAY,
    POSTING_COLUMNS,
    BranchGl,
    Chunk,
    Generator,
)
from app.demo_writer import BulkWriter
from core import errors, limits
from core.clock import Clock
from core.db import make_engine, normalize_url
from core.models.ledger import Account, BusinessDay
from core.models.org import BankCalendar, Branch
from core.services import audit, setup
from core.services.authz import SYSTEM
from core.unit_of_work import UnitOfWork

BANK_NAME = "CBS Demo Bank"
BASE_CURRENCY = "USD"
BRANCHES = (("HQ", "Head office", "Manama"), ("DOWNTOWN", "Downtown", "Manama"),
            ("AIRPORT", "Airport", "Muharraq"))
DEFAULT_CUSTOMERS = 1_000
DEFAULT_DAYS = 90
DEFAULT_SEED = 20_261_204
CAPITAL_USD_CENTS_PER_CUSTOMER = 2_000_00  # paid-up capital per branch and currency
EOD_CLOSE_S = 19 * 3600

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class DemoResult:
    customers: int
    accounts: int
    entries: int
    postings: int
    days: int
    seconds: float
    peak_rss_mib: float


def default_days(customers: int) -> int:
    """90 days of history up to the full-history size, then fewer so 1M customers take minutes."""
    if customers <= limits.DEMO_FULL_HISTORY_CUSTOMERS:
        return DEFAULT_DAYS
    return max(limits.DEMO_MIN_DAYS,
               DEFAULT_DAYS * limits.DEMO_FULL_HISTORY_CUSTOMERS // customers)


def peak_rss_mib() -> float:
    try:
        import resource
    except ImportError:  # Windows
        import psutil

        info = psutil.Process().memory_info()
        return getattr(info, "peak_wset", info.rss) / 2**20
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def has_bank(url: str) -> bool:
    engine = make_engine(url)
    try:
        if not inspect(engine).has_table(BankCalendar.__tablename__):
            return False
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(BankCalendar)).scalar_one() > 0
    finally:
        engine.dispose()


def reset_database(url: str) -> None:
    """Remove every table (a SQLite file is deleted): the append-only ledger cannot be emptied."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            for suffix in ("", "-wal", "-shm"):
                Path(parsed.database + suffix).unlink(missing_ok=True)
        return
    engine = make_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.begin() as conn:
            meta.drop_all(conn)
    finally:
        engine.dispose()


def ensure_demo_database(url: str) -> bool:
    """Migrate and build the default demo bank when the database has none; True if it built."""
    if has_bank(url):
        return False
    migrate.upgrade(url)
    build_demo(url)
    return True


def build_demo(url: str, *, customers: int = DEFAULT_CUSTOMERS, days: int | None = None,
               seed: int = DEFAULT_SEED, now: datetime | None = None,
               workstation: str = "demo", progress: Progress | None = None) -> DemoResult:
    """Build the demo bank in a migrated database that has no bank yet."""
    days = default_days(customers) if days is None else days
    check_size(customers, days)
    started = time.perf_counter()
    now = now or datetime.now(UTC)
    engine = make_engine(url)
    clock = Clock()
    audit.ensure_chain(engine, workstation, clock)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                # Outside any transaction, for this connection only: a demo can be rebuilt, so
                # the load trades the per-commit fsync and small checkpoints for speed.
                raw = conn.connection.driver_connection
                for pragma in ("cache_size=-131072", "synchronous=NORMAL",
                               "wal_autocheckpoint=16384"):
                    raw.execute(f"PRAGMA {pragma}")
            load = _Load(conn, clock, workstation, seed, progress or _quiet)
            counts = load.run(customers, days, now)
    finally:
        engine.dispose()
    return DemoResult(customers, counts["accounts"], counts["entries"], counts["postings"], days,
                      time.perf_counter() - started, peak_rss_mib())


def check_size(customers: int, days: int) -> None:
    if not 1 <= customers <= limits.DEMO_MAX_CUSTOMERS:
        raise errors.InvalidInput(field="customers",
                                  reason=f"between 1 and {limits.DEMO_MAX_CUSTOMERS:,}")
    if not limits.DEMO_MIN_DAYS <= days <= limits.DEMO_MAX_DAYS:
        raise errors.InvalidInput(
            field="days", reason=f"between {limits.DEMO_MIN_DAYS} and {limits.DEMO_MAX_DAYS}")


def _quiet(_line: str) -> None:
    return None


class _Load:
    """One demo load on one connection: set-up, chunks of customers, the closing audit event."""

    def __init__(self, conn: Connection, clock: Clock, workstation: str, seed: int,
                 progress: Progress) -> None:
        self.conn, self.clock, self.workstation = conn, clock, workstation
        self.seed, self.rng = seed, random.Random(seed)
        self.progress = progress
        self.writer = BulkWriter(conn)
        self.counts = {"customers": 0, "accounts": 0, "entries": 0, "postings": 0}
        self.started = time.perf_counter()

    def _uow(self) -> UnitOfWork:
        """Services run inside the load's own transaction (the uow's session joins it)."""
        return UnitOfWork(self.conn, SYSTEM, self.clock, self.workstation,
                          self.conn.dialect.name, str(uuid.uuid4()))

    def run(self, customers: int, days: int, now: datetime) -> dict[str, int]:
        today = now.astimezone(UTC).date()
        dates = [today - timedelta(days=days - 1 - i) for i in range(days)]
        tx = self.conn.begin()
        gen = self._set_up(dates, now)
        gen.capital(CAPITAL_USD_CENTS_PER_CUSTOMER * max(1, customers // len(BRANCHES)))
        self._write(gen, gen.take_chunk())
        num, den = EVENTS_PER_ACCOUNT_DAY  # entries per customer: ~2 accounts, opening + moves
        per_customer = (2 * (den + days * num) + den - 1) // den
        chunk_size = max(100, limits.DEMO_CHUNK_ENTRIES // per_customer)
        done = 0
        while done < customers:
            n = min(chunk_size, customers - done)
            self._write(gen, gen.customers(n))
            done += n
            self.counts["customers"] = done
            if customers > chunk_size:  # a big load commits per chunk; a small one is atomic
                tx.commit()
                tx = self.conn.begin()
            self._report(customers)
        self._finish(days)
        tx.commit()
        return self.counts

    def _set_up(self, dates: list[date], now: datetime) -> Generator:
        """Calendar, branches and GL charts through the services; business-day history."""
        uow = self._uow()
        setup.init_bank(uow, bank_name=BANK_NAME, base_currency=BASE_CURRENCY,
                        business_date=dates[0])
        for code, name, city in BRANCHES:
            setup.create_branch(uow, code=code, name=name, city=city, currencies=CURRENCIES)
        uow._flush()
        uow._close()
        self._history_of_days(dates, now)
        gl: dict[tuple[int, str], dict[str, int]] = {}
        signs: dict[int, int] = {}
        hot: set[int] = set()
        rows = self.conn.execute(select(Account.id, Account.branch_id, Account.currency,
                                        Account.gl_code, Account.normal_sign, Account.is_hot)
                                 .where(Account.kind == "gl"))
        for r in rows:
            gl.setdefault((r.branch_id, r.currency), {})[r.gl_code] = r.id
            signs[r.id] = r.normal_sign
            if r.is_hot:
                hot.add(r.id)
        branch_gl = {k: BranchGl(v["1000"], v["1200"], v["3000"], v["4000"])
                     for k, v in gl.items()}
        utc = now.astimezone(UTC)
        last_limit_s = utc.hour * 3600 + utc.minute * 60 + utc.second  # no movement after now
        return Generator(self.writer, self.rng, dates, last_limit_s, branch_gl, signs, hot)

    def _history_of_days(self, dates: list[date], now: datetime) -> None:
        """Every business day so far, closed at end of day; today open. The bank starts on day 1."""
        def at(d: date, seconds: int) -> datetime:
            return datetime.combine(d, dtime(), UTC) + timedelta(seconds=seconds)

        first = dates[0]
        self.conn.execute(update(BusinessDay).where(BusinessDay.business_date == first).values(
            opened_at=at(first, 6 * 3600), closed_at=at(first, EOD_CLOSE_S), closed_by="eod"))
        self.conn.execute(insert(BusinessDay), [
            {"business_date": d, "opened_at": at(d, 6 * 3600),
             "closed_at": None if d == dates[-1] else at(d, EOD_CLOSE_S),
             "closed_by": None if d == dates[-1] else "eod", "sequence_no": i + 1}
            for i, d in enumerate(dates) if i > 0])
        self.conn.execute(update(BankCalendar).where(BankCalendar.id == 1).values(
            business_date=dates[-1], updated_at=now))
        self.conn.execute(update(Branch).values(created_at=at(first, 6 * 3600)))
        self.conn.execute(update(Account).where(Account.kind == "gl")
                          .values(opened_at=at(first, 6 * 3600)))

    def _write(self, gen: Generator, chunk: Chunk) -> None:
        w = self.writer
        w.insert("customers", CUSTOMER_COLUMNS, chunk.customers)
        self.counts["accounts"] += w.insert("accounts", ACCOUNT_COLUMNS, chunk.accounts)
        self.counts["entries"] += w.insert("journal_entries", ENTRY_COLUMNS, chunk.entries)
        self.counts["postings"] += w.insert("postings", POSTING_COLUMNS, chunk.postings)
        w.add_to_balances(*gen.take_gl_deltas())

    def _report(self, total: int) -> None:
        c = self.counts
        self.progress(f"  {c['customers']:>10,}/{total:,} customers  {c['accounts']:>10,} accounts"
                      f"  {c['entries']:>11,} entries  {c['postings']:>11,} postings"
                      f"  {time.perf_counter() - self.started:7.1f} s"
                      f"  peak RSS {peak_rss_mib():6.0f} MiB")

    def _finish(self, days: int) -> None:
        self.writer.sync_sequences(("customers", "accounts", "journal_entries", "postings"))
        audit.append(self._uow(), action="demo.load", entity_type="bank",
                     entity_id=1, payload={"after": {**self.counts, "days": days,
                                                     "seed": self.seed}})
        for extra in DEMO_EXTRAS:
            extra(self.conn, self.rng, self.workstation)


DEMO_PASSWORD = "Demo-Passw0rd-2026"  # printed by `cbs demo`; a demo bank holds no real money
# (username, full name, role): a user per role, and a second teller and compliance officer so
# that maker-checker and two-person clearing can be tried.
DEMO_USERS = (
    ("teller", "Tomas Teller", "teller"),
    ("teller2", "Tara Second", "teller"),
    ("head.teller", "Hana Head", "head_teller"),
    ("compliance", "Carla Compliance", "compliance_officer"),
    ("compliance2", "Cyrus Checker", "compliance_officer"),
    ("manager", "Mona Manager", "manager"),
    ("admin", "Adam Admin", "administrator"),
)


def _demo_users(conn: Connection, rng: random.Random, workstation: str) -> None:
    """A user per role in the HQ branch, with the demo password (no forced change)."""
    from core.services import identity

    hq = conn.execute(select(Branch.id).where(Branch.code == "HQ")).scalar_one()
    uow = UnitOfWork(conn, SYSTEM, Clock(), workstation, conn.dialect.name, str(uuid.uuid4()))
    for username, full_name, role in DEMO_USERS:
        identity.create_user(uow, username=username, full_name=full_name, role=role,
                             branch_id=hq, password=DEMO_PASSWORD, temporary=False)
    uow._flush()
    uow._close()


# Tills per branch, each handed a float from the vault so a teller can pay out on day one.
DEMO_TILL_FLOATS_MINOR = {"USD": 5_000_00, "EUR": 2_000_00, "GBP": 1_000_00}
DEMO_TILL_LIMITS_MINOR = {"USD": 50_000_00, "EUR": 20_000_00, "GBP": 20_000_00}
DEMO_TILLS_PER_BRANCH = 3


def _demo_tills(conn: Connection, rng: random.Random, workstation: str) -> None:
    from core.rules.ledger import Line
    from core.services import ledger
    from core.services.teller import tills

    uow = UnitOfWork(conn, SYSTEM, Clock(), workstation, conn.dialect.name, str(uuid.uuid4()))
    for branch_id, code in conn.execute(select(Branch.id, Branch.code).order_by(Branch.id)):
        for n in range(1, DEMO_TILLS_PER_BRANCH + 1):
            till = tills.create_till(uow, branch_id=branch_id, code=f"T{n}",
                                     name=f"Counter {n}", cash_limits_minor=DEMO_TILL_LIMITS_MINOR)
            for c in till.currencies:
                amount = DEMO_TILL_FLOATS_MINOR[c.currency]
                vault = setup.gl_account_id(uow, branch_id=branch_id, gl_code="1000",
                                            currency=c.currency)
                ledger.post_entry(uow, idempotency_key=f"demo-float-{code}-T{n}-{c.currency}",
                                  kind="till_float", memo=f"Opening float for till T{n}",
                                  lines=[Line(c.account_id, amount, c.currency),
                                         Line(vault, -amount, c.currency)], branch_id=branch_id)
    uow._flush()
    uow._close()


# Mid rates in USD per unit; 30 days of history, a daily random walk, 1% either side.
DEMO_FX_MIDS = {"EUR": "1.0850", "GBP": "1.2700", "CHF": "1.1300", "JPY": "0.006700",
                "BHD": "2.659600"}
DEMO_FX_DAYS = 30
DEMO_FX_SPREAD = Decimal("0.01")


def _demo_rates(conn: Connection, rng: random.Random, workstation: str) -> None:
    """Rate history entered by the manager and approved by the administrator (maker-checker)."""
    from core.services import fx
    from core.unit_of_work import Actor

    clock = Clock()
    maker = UnitOfWork(conn, Actor("manager", role="manager", permissions=frozenset({"*"})),
                       clock, workstation, conn.dialect.name, str(uuid.uuid4()))
    checker = UnitOfWork(conn, Actor("admin", role="administrator", permissions=frozenset({"*"})),
                         clock, workstation, conn.dialect.name, str(uuid.uuid4()))
    latest = clock.now() - timedelta(hours=1)  # in force and fresh when the demo opens
    for currency, start in DEMO_FX_MIDS.items():
        mid = Decimal(start)
        for day in range(DEMO_FX_DAYS - 1, -1, -1):
            mid *= 1 + Decimal(rng.randint(-60, 60)) / 10_000  # +-0.6% a day
            q = Decimal(1).scaleb(mid.adjusted() - 5)  # six significant digits
            buy, sell = (mid * (1 - DEMO_FX_SPREAD)).quantize(q), (mid * (1 + DEMO_FX_SPREAD)).quantize(q)
            rate = fx.enter_rate(maker, currency=currency, buy=str(buy), sell=str(sell),
                                 mid=str(mid.quantize(q)), effective_at=latest - timedelta(days=day))
            maker._flush()
            fx.approve_rate(checker, rate_id=rate.rate_id)
            checker._flush()
    maker._close()
    checker._close()


# More demo material (tills, rates...): callables run inside the load's last transaction,
# given its connection, its seeded rng and the workstation (audit chain) it writes as.
DEMO_EXTRAS: list[Callable[[Connection, random.Random, str], None]] = [_demo_users,
                                                                     _demo_tills, _demo_rates]
