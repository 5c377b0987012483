"""Real users for the credential routes: a teller and a head teller with passwords.

Import the fixtures into a test module (`from tests.services.teller.staff import staff`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher, Type

from core.services import authentication, identity, passwords
from core.services.authz import ANONYMOUS, SYSTEM
from core.unit_of_work import Actor

PASSWORD = "Desk-Passw0rd!2026"


@dataclass
class Staff:
    teller: Actor  # "tina.t", role teller
    head: Actor  # "hana.h", role head_teller
    head_password: str = PASSWORD


@pytest.fixture
def staff(bank, monkeypatch) -> Staff:
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "DEFAULT_HASHER", cheap)
    bank.ctx.run(identity.seed_roles, SYSTEM)
    actors = {}
    for username, role in (("tina.t", "teller"), ("hana.h", "head_teller")):
        bank.ctx.run(identity.create_user, SYSTEM, username=username,
                     full_name=username.title(), role=role, branch_id=bank.branch_id,
                     password=PASSWORD, temporary=False)
        actors[role] = bank.ctx.run(authentication.authenticate, ANONYMOUS, username=username,
                                    password=PASSWORD).actor
    return Staff(actors["teller"], actors["head_teller"])
