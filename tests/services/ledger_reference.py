"""The in-memory reference ledger the model test holds the database to: plain Python, no SQL."""

from __future__ import annotations

from dataclasses import dataclass, field

from core import errors


@dataclass
class Acc:
    """The reference's view of one account."""

    id: int
    currency: str
    sign: int
    floor: bool
    overdraft: int = 0
    status: str = "active"
    balance: int = 0
    held: int = 0


@dataclass
class Entry:
    lines: list[tuple[int, int, str]]
    reversal: bool = False
    reversed_by_key: str | None = None
    reason: str = ""  # of its reversal


@dataclass
class Reference:
    """The in-memory ledger the database must agree with."""

    accs: dict[int, Acc] = field(default_factory=dict)
    entries: dict[int, Entry] = field(default_factory=dict)
    keys: dict[str, tuple[tuple, int]] = field(default_factory=dict)  # key -> (request, entry)
    holds: dict[int, tuple[int, int]] = field(default_factory=dict)  # hold -> (account, amount)

    def refusal(self, lines: list[tuple[int, int, str]]) -> type[errors.DomainError] | None:
        """The error ledger.post_entry must give (accounts checked in id order), or None."""
        net: dict[int, int] = {}
        for acc_id, amount, _ in lines:
            net[acc_id] = net.get(acc_id, 0) + amount
        if len(net) != len({(a, c) for a, _, c in lines}):  # one account, two currencies
            return errors.CurrencyMismatch
        if any(v == 0 for v in net.values()):
            return errors.InvalidEntry
        for acc_id in sorted(net):
            a = self.accs[acc_id]
            if any(c != a.currency for i, _, c in lines if i == acc_id):
                return errors.CurrencyMismatch
            delta = net[acc_id] * a.sign
            if a.status == "closed":
                return errors.AccountClosed
            if a.status == "frozen":
                return errors.AccountFrozen
            if a.status == "dormant" and delta <= 0:
                return errors.AccountDormant
            if a.floor and delta < 0 and a.balance + delta - a.held < -a.overdraft:
                return errors.InsufficientFunds
        return None

    def apply(self, entry_id: int, lines: list[tuple[int, int, str]], reversal: bool) -> None:
        for acc_id, amount, _ in lines:
            self.accs[acc_id].balance += amount * self.accs[acc_id].sign
        self.entries[entry_id] = Entry(lines, reversal)
