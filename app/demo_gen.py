"""Demo bank generation: customers, accounts and their history, one chunk of customers at a time.

Everything is computed in memory for one chunk (customers, accounts, balanced entries in time
order, postings) and balances are kept alongside, so the rows are written once with their final
balances and memory stays bounded by the chunk size. Money moves only inside a chunk (transfers
pick a counterparty among the chunk's accounts); GL movements accumulate across chunks as deltas.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from anyascii import anyascii

from app import demo_names as names
from app.demo_writer import BulkWriter, Row
from core import limits, money
from core.rules.chart import luhn_digit

# Units of a currency per USD as exact fractions: demo amounts are drawn in USD cents.
PER_USD: dict[str, tuple[int, int]] = {
    "USD": (1, 1), "EUR": (92, 100), "GBP": (79, 100), "JPY": (150, 1), "BHD": (377, 1000),
    "CHF": (88, 100),
}
CURRENCIES = tuple(PER_USD)
_CURRENCY_CW = (50, 70, 80, 88, 95, 100)  # cumulative: USD 50%, EUR 20%, GBP 10%, JPY 8%...

OPEN, DEPOSIT, WITHDRAWAL, TRANSFER, FEE, PAY_IN, PAY_OUT = range(7)
_KIND_CW = (24, 46, 72, 80, 92, 100)  # cumulative weights of DEPOSIT..PAY_OUT
EVENTS_PER_ACCOUNT_DAY = (17, 100)  # about one movement a week per account
DAY_OPEN_S = 8 * 3600
DAY_CLOSE_S = 18 * 3600
ACTOR = "system"

ENTRY_COLUMNS = ("id", "reference", "idempotency_key", "request_hash", "kind", "memo",
                 "business_date", "posted_at", "branch_id", "actor", "reverses_entry_id")
POSTING_COLUMNS = ("id", "entry_id", "account_id", "currency", "amount_minor", "line_no")
CUSTOMER_COLUMNS = ("id", "customer_no", "kind", "full_name", "born_on", "national_id", "phone",
                    "email", "country", "branch_id", "created_at")
ACCOUNT_COLUMNS = ("id", "number", "name", "kind", "gl_type", "gl_code", "normal_sign",
                   "currency", "branch_id", "customer_id", "product_code", "status",
                   "enforce_floor", "overdraft_limit_minor", "is_hot", "balance_minor",
                   "held_minor", "opened_at", "closed_at")

_CULTURE_CW = tuple(sum(names.CULTURE_WEIGHTS[: i + 1]) for i in range(len(names.CULTURES)))
_MAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example")


@dataclass(frozen=True, slots=True)
class BranchGl:
    """The GL accounts a demo movement touches in one branch and currency."""

    vault: int  # 1000, hot
    nostro: int  # 1200
    capital: int  # 3000
    fees: int  # 4000, hot


@dataclass
class Chunk:
    customers: list[Row] = field(default_factory=list)
    accounts: list[Row] = field(default_factory=list)
    entries: list[Row] = field(default_factory=list)
    postings: list[Row] = field(default_factory=list)


@dataclass(slots=True)
class _Acc:
    id: int
    customer_id: int
    name: str
    currency: str
    branch_id: int
    org: bool
    overdraft: int
    status: str
    open_day: int
    open_s: int
    balance: int = 0


def minor_of(usd_cents: int, currency: str) -> int:
    """A demo amount drawn in USD cents, in the currency's minor units (rounded down, >= 1)."""
    num, den = PER_USD[currency]
    return max(1, usd_cents * num * 10 ** money.exponent(currency) // (den * 100))


class Generator:
    def __init__(self, writer: BulkWriter, rng: random.Random, days: Sequence[date],
                 last_day_limit_s: int, gl: dict[tuple[int, str], BranchGl],
                 gl_signs: dict[int, int], hot: set[int]) -> None:
        self.w, self.rng, self.days = writer, rng, list(days)
        self.day_text = [d.isoformat() for d in self.days]
        self.day_cw = _day_weights(self.days)
        self.day_limit_s = [DAY_CLOSE_S + 2 * 3600] * (len(days) - 1) + [last_day_limit_s]
        self.gl, self.gl_signs, self.hot = gl, gl_signs, hot
        self.branch_ids = sorted({b for b, _ in gl})
        self.next_customer = writer.next_id("customers")
        self.next_account = writer.next_id("accounts")
        self.next_entry = writer.next_id("journal_entries")
        self.next_posting = writer.next_id("postings")
        self.gl_plain: dict[int, int] = {}
        self.gl_shards: dict[tuple[int, int], int] = {}
        self._chunk = Chunk()
        self._base = 0
        self._accs: list[_Acc] = []

    def _ts(self, day: int, seconds: int) -> str:
        h, rest = divmod(seconds, 3600)
        m, s = divmod(rest, 60)
        return f"{self.day_text[day]} {h:02d}:{m:02d}:{s:02d}.000000{self.w.ts_suffix}"

    # -- posting -----------------------------------------------------------------------
    def _post(self, day: int, sec: int, kind: str, memo: str, branch_id: int, currency: str,
              lines: list[tuple[int, int]]) -> None:
        eid = self.next_entry
        self.next_entry += 1
        digest = fast_request_hash(kind, lines, memo, currency, branch_id)
        self._chunk.entries.append((
            eid, f"D{eid:015d}", f"demo-{eid:012d}", digest, kind, memo, self.day_text[day],
            self._ts(day, sec), branch_id, ACTOR, None))
        postings = self._chunk.postings
        for n, (account_id, amount) in enumerate(lines, start=1):
            postings.append((self.next_posting, eid, account_id, currency, amount, n))
            self.next_posting += 1
            if account_id >= self._base:  # a customer account of this chunk: a liability
                self._accs[account_id - self._base].balance -= amount
            elif account_id in self.hot:
                key = (account_id, self.rng.randrange(limits.HOT_ACCOUNT_SHARDS))
                self.gl_shards[key] = (self.gl_shards.get(key, 0)
                                       + amount * self.gl_signs[account_id])
            else:
                self.gl_plain[account_id] = (self.gl_plain.get(account_id, 0)
                                             + amount * self.gl_signs[account_id])

    def take_chunk(self) -> Chunk:
        chunk, self._chunk = self._chunk, Chunk()
        return chunk

    def take_gl_deltas(self) -> tuple[dict[int, int], dict[tuple[int, int], int]]:
        deltas = (self.gl_plain, self.gl_shards)
        self.gl_plain, self.gl_shards = {}, {}
        return deltas

    # -- the bank's own money ------------------------------------------------------------
    def capital(self, usd_cents: int) -> None:
        """Paid-up capital on day one: cash in each vault and money at the correspondent."""
        self._base = 1 << 62  # no customer account in these entries
        sec = 7 * 3600
        for (branch_id, currency), g in sorted(self.gl.items()):
            amount = minor_of(usd_cents, currency)
            self._post(0, sec, "capital", "Paid-up capital: vault cash", branch_id, currency,
                       [(g.vault, amount), (g.capital, -amount)])
            self._post(0, sec + 1, "capital", "Paid-up capital: correspondent", branch_id,
                       currency, [(g.nostro, amount * 4), (g.capital, -amount * 4)])
            sec += 2

    # -- customers and accounts ----------------------------------------------------------
    def customers(self, count: int) -> Chunk:
        """`count` customers with their accounts and history; rows ready to write."""
        self._base = self.next_account
        self._accs = []
        for _ in range(count):
            self._customer()
        self._history()
        chunk = self.take_chunk()
        chunk.accounts = [self._account_row(a) for a in self._accs]
        self._accs = []
        return chunk

    def _customer(self) -> None:
        rng = self.rng
        cid = self.next_customer
        self.next_customer += 1
        culture = rng.choices(names.CULTURES, cum_weights=_CULTURE_CW)[0]
        org = rng.random() < 0.15
        branch_id = rng.choice(self.branch_ids)
        last = len(self.days) - 1  # nobody opens today: today's movements stop at `now`
        open_day = 0 if rng.random() < 0.65 else rng.randrange(last)
        open_s = DAY_OPEN_S + rng.randrange(9 * 3600)
        full_name, email = _org_name(rng, culture, cid) if org else _person_name(rng, culture, cid)
        today = self.days[-1]
        years = rng.randrange(1, 60) if org else rng.randrange(18, 86)
        born = today - timedelta(days=365 * years + rng.randrange(365))
        self._chunk.customers.append((
            cid, "C" + f"{(cid * 618_033_989 + 314_159_265) % 10**9:09d}",  # a bijection
            "organisation" if org else "person", full_name, born.isoformat(),
            names.national_id(culture.country, cid), names.phone(culture, cid), email,
            culture.country, branch_id, self._ts(open_day, open_s - 300)))
        n_accounts = rng.choices((2, 3, 4), (40, 40, 20))[0] if org else \
            rng.choices((1, 2, 3, 4), (40, 35, 20, 5))[0]
        for k in range(n_accounts):
            currency = culture.currency if k == 0 and rng.random() < 0.7 else \
                rng.choices(CURRENCIES, cum_weights=_CURRENCY_CW)[0]
            day, sec = open_day, open_s + 60 * k
            if k and rng.random() < 0.4:
                day = rng.randrange(open_day, last)
            self._open_account(cid, full_name, org, currency, branch_id, day, sec)

    def _open_account(self, cid: int, full_name: str, org: bool, currency: str, branch_id: int,
                      day: int, sec: int) -> None:
        rng = self.rng
        aid = self.next_account
        self.next_account += 1
        roll = rng.random()
        status = "dormant" if roll < 0.02 else "frozen" if roll < 0.03 else "active"
        overdraft = 0
        if currency != "JPY" and rng.random() < (0.3 if org else 0.15):
            overdraft = minor_of(rng.choice((500, 1000, 2000, 5000)) * 100 * (10 if org else 1),
                                 currency)
        self._accs.append(_Acc(aid, cid, full_name, currency, branch_id, org, overdraft, status,
                               day, sec))

    def _account_row(self, a: _Acc) -> Row:
        body = str(10**9 + (a.id * 5_562_305_531 + 1_234_567) % (9 * 10**9))  # a bijection
        product = "BUSINESS" if a.org else ("CURRENT" if a.overdraft or a.id % 2 else "SAVINGS")
        return (a.id, body + luhn_digit(body), f"{a.name} {a.currency}"[:120], "customer",
                "liability", "2000", -1, a.currency, a.branch_id, a.customer_id, product, a.status,
                True, a.overdraft, False, a.balance, 0, self._ts(a.open_day, a.open_s),
                None)

    # -- history -------------------------------------------------------------------------
    def _history(self) -> None:
        """Opening deposits, then random movements in time order, each checked against floors."""
        rng, accs, n_days = self.rng, self._accs, len(self.days)
        events: list[tuple[int, int, int, int, int]] = [
            (a.open_day, a.open_s + 30, -1, i, OPEN) for i, a in enumerate(accs)]
        weights = [rng.choice((1, 2, 4, 8)) for _ in accs]
        acc_cw = [0] * len(accs)
        total = 0
        for i, w in enumerate(weights):
            total += w
            acc_cw[i] = total
        num, den = EVENTS_PER_ACCOUNT_DAY
        n = len(accs) * n_days * num // den
        picks = rng.choices(range(len(accs)), cum_weights=acc_cw, k=n)
        days = rng.choices(range(n_days), cum_weights=self.day_cw, k=n)
        kinds = rng.choices(range(DEPOSIT, PAY_OUT + 1), cum_weights=_KIND_CW, k=n)
        for seq, (i, d, kind) in enumerate(zip(picks, days, kinds, strict=True)):
            a = accs[i]
            if a.status == "dormant":
                continue
            if d < a.open_day:
                d = a.open_day + d % (n_days - a.open_day)
            sec = rng.randrange(DAY_OPEN_S, DAY_CLOSE_S)
            if d == a.open_day and sec <= a.open_s + 30:
                sec = a.open_s + 31 + rng.randrange(3600)
            if sec < self.day_limit_s[d]:
                events.append((d, sec, seq, i, kind))
        events.sort()
        by_currency: dict[str, list[int]] = {}
        for i, a in enumerate(accs):
            if a.status != "dormant":
                by_currency.setdefault(a.currency, []).append(i)
        for d, sec, _seq, i, kind in events:
            self._movement(d, sec, accs[i], kind, by_currency[accs[i].currency])

    def _movement(self, d: int, sec: int, a: _Acc, kind: int, peers: list[int]) -> None:
        rng, g = self.rng, self.gl[(a.branch_id, a.currency)]
        big = 10 if a.org else 1
        if kind == OPEN:
            m = minor_of(rng.choice((100, 250, 500, 1000, 2500, 5000, 10000)) * 100 * big * 2,
                         a.currency)
            self._post(d, sec, "deposit", "Opening deposit", a.branch_id, a.currency,
                       [(g.vault, m), (a.id, -m)])
        elif kind == DEPOSIT:
            m = minor_of(rng.choice((20, 50, 100, 150, 200, 300, 500, 1000)) * 100 * big,
                         a.currency)
            self._post(d, sec, "deposit", "Cash deposit", a.branch_id, a.currency,
                       [(g.vault, m), (a.id, -m)])
        elif kind == PAY_IN:
            m = minor_of((rng.choice((500, 1200, 2500, 3500, 5000)) * 100
                          + rng.randrange(100)) * big, a.currency)
            memo = rng.choice(("Salary", "Incoming transfer", "Refund", "Dividend"))
            self._post(d, sec, "payment_in", memo, a.branch_id, a.currency,
                       [(g.nostro, m), (a.id, -m)])
        else:
            self._debit(d, sec, a, kind, peers, g, big)

    def _debit(self, d: int, sec: int, a: _Acc, kind: int, peers: list[int], g: BranchGl,
               big: int) -> None:
        """A movement that takes money from the account: only within balance plus overdraft."""
        rng, cur = self.rng, a.currency
        room = a.balance + a.overdraft
        if kind == WITHDRAWAL:
            m = minor_of(rng.choice((20, 40, 60, 100, 200, 300, 500)) * 100 * big, cur)
            if m <= room:
                self._post(d, sec, "withdrawal", "Cash withdrawal", a.branch_id, cur,
                           [(a.id, m), (g.vault, -m)])
        elif kind == PAY_OUT:
            m = minor_of((rng.choice((30, 60, 120, 250, 600)) * 100 + rng.randrange(100)) * big,
                         cur)
            memo = rng.choice(("Electricity bill", "Telecom bill", "Card payment", "Rent",
                               "Insurance premium", "School fees"))
            if m <= room:
                self._post(d, sec, "payment_out", memo, a.branch_id, cur,
                           [(a.id, m), (g.nostro, -m)])
        elif kind == FEE:
            m = minor_of(rng.choice((250, 500, 1000)), cur)
            memo = rng.choice(("Monthly maintenance fee", "SMS alerts fee", "Card fee"))
            if m <= room:
                self._post(d, sec, "fee", memo, a.branch_id, cur, [(a.id, m), (g.fees, -m)])
        else:
            if len(peers) < 2:
                return
            target = self._accs[peers[rng.randrange(len(peers))]]
            m = minor_of((rng.choice((10, 25, 50, 100, 250, 500, 1000)) * 100
                          + rng.randrange(100)) * big, cur)
            fee = minor_of(rng.choice((0, 50, 100)), cur) if rng.random() < 0.5 else 0
            if target.id == a.id or m + fee > room or (target.open_day, target.open_s) >= (d, sec):
                return  # no transfer to itself, beyond the floor or to an account not yet open
            lines = [(a.id, m + fee), (target.id, -m)] + ([(g.fees, -fee)] if fee else [])
            self._post(d, sec, "transfer", "Transfer", a.branch_id, cur, lines)


def fast_request_hash(kind: str, lines: list[tuple[int, int]], memo: str, currency: str,
                      branch_id: int) -> bytes:
    """core.rules.ledger.request_hash for a demo entry (one currency, plain ASCII memo) without
    json.dumps, a tenth of the load's time; a test holds the two equal."""
    parts = ", ".join(f'[{a}, {m}, "{currency}"]' for a, m in sorted(lines))
    body = (f'{{"extra": {{"branch_id": {branch_id}, "reverses": null}}, "kind": "{kind}", '
            f'"lines": [{parts}], "memo": "{memo}"}}')
    return hashlib.sha256(body.encode()).digest()


def _day_weights(days: Sequence[date]) -> list[int]:
    """Cumulative weights: weekends see a third of a weekday's traffic."""
    out, total = [], 0
    for d in days:
        total += 1 if d.weekday() >= 5 else 3
        out.append(total)
    return out


def _person_name(rng: random.Random, c: names.Culture, cid: int) -> tuple[str, str]:
    pool = c.male if rng.random() < 0.5 else c.female
    given = rng.choice(pool)
    if not c.family_first and rng.random() < 0.35:  # a middle name: fewer exact namesakes
        given = f"{given} {rng.choice(pool)}"
    if c.double_surname:
        family = " ".join(rng.sample(c.surnames, 2))
    else:
        family = rng.choice(c.surnames)
    full = f"{family} {given}" if c.family_first else f"{given} {family}"
    local = anyascii(f"{given.split()[0]}.{family.split()[0]}").lower().replace("'", "")
    return full, f"{local}{cid % 1000}@{_MAIL_DOMAINS[cid % len(_MAIL_DOMAINS)]}"


def _org_name(rng: random.Random, c: names.Culture, cid: int) -> tuple[str, str]:
    word, trade = rng.choice(names.ORG_WORDS), rng.choice(names.ORG_TRADES)
    full = f"{word} {trade} {names.ORG_SUFFIX[c.country]}"
    return full, f"accounts{cid % 1000}@{word.lower()}-{trade.lower()}.example"
