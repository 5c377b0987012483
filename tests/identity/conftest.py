"""Fixtures for identity, maker-checker and audit tests: a bank on a settable clock with users."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from argon2 import PasswordHasher, Type
from sqlalchemy import func, select

from core.clock import FixedClock
from core.db import make_engine
from core.models.audit import AuditEvent
from core.rules.permissions import ROLES
from core.services import authentication, identity, passwords, setup
from core.services.authz import ANONYMOUS, SYSTEM
from core.unit_of_work import Actor, CoreContext

START = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
PASSWORD = "Initial-Passw0rd!"  # the initial password of every fixture user
NEW_PASSWORD = "Changed-Passw0rd!"


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch: pytest.MonkeyPatch) -> PasswordHasher:
    """argon2id at minimal cost so the tests stay fast; production keeps the OWASP default."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "DEFAULT_HASHER", cheap)
    return cheap


@dataclass
class IdBank:
    ctx: CoreContext
    clock: FixedClock
    hq: int
    b2: int
    users: dict[str, str] = field(default_factory=dict)  # role -> username

    def advance(self, minutes: float) -> None:
        self.clock.at += timedelta(minutes=minutes)

    def login(self, username: str, password: str = NEW_PASSWORD, **kw: object):
        return self.ctx.run(authentication.authenticate, ANONYMOUS, username=username,
                            password=password, **kw)

    def actor(self, role: str) -> Actor:
        """The logged-in actor of the fixture user holding this role."""
        return self.login(self.users[role]).actor

    def add_user(self, username: str, role: str, branch_id: int | None = None,
                 *, activate: bool = True) -> str:
        identity_actor = SYSTEM
        self.ctx.run(identity.create_user, identity_actor, username=username,
                     full_name=username.title(), role=role,
                     branch_id=self.hq if branch_id is None else branch_id, password=PASSWORD)
        if activate:
            self.ctx.run(authentication.change_password, ANONYMOUS, username=username,
                         current_password=PASSWORD, new_password=NEW_PASSWORD)
        return username

    def audit_count(self, action: str, outcome: str | None = None) -> int:
        q = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        if outcome:
            q = q.where(AuditEvent.outcome == outcome)
        with self.ctx.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())


@pytest.fixture
def fctx(db_url: str) -> Iterator[CoreContext]:
    engine = make_engine(db_url)
    yield CoreContext(engine=engine, clock=FixedClock(START), workstation="test-ws")
    engine.dispose()


@pytest.fixture
def idbank(fctx: CoreContext) -> IdBank:
    fctx.run(setup.init_bank, SYSTEM, bank_name="Test Bank", base_currency="USD",
             business_date=date(2026, 12, 4))
    hq = fctx.run(setup.create_branch, SYSTEM, code="HQ", name="Head office", currencies=("USD",))
    b2 = fctx.run(setup.create_branch, SYSTEM, code="B2", name="Harbour", currencies=("USD",))
    assert isinstance(fctx.clock, FixedClock)
    bank = IdBank(fctx, fctx.clock, hq.branch_id, b2.branch_id)
    for role in ROLES:
        bank.users[role] = bank.add_user(role.replace("_", "."), role)
    return bank
