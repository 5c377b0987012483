"""argon2id password hashing at OWASP parameters (tests may pass a cheaper hasher)."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from core import limits


def owasp_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=limits.ARGON2_TIME_COST, memory_cost=limits.ARGON2_MEMORY_KIB,
                          parallelism=limits.ARGON2_PARALLELISM, hash_len=32, salt_len=16,
                          type=Type.ID)


# The process-wide default; services take `hasher=` to override it for one call.
DEFAULT_HASHER: PasswordHasher = owasp_hasher()


def pick(hasher: PasswordHasher | None) -> PasswordHasher:
    return hasher or DEFAULT_HASHER


def hash_password(password: str, hasher: PasswordHasher | None = None) -> str:
    return pick(hasher).hash(password)


def verify(stored_hash: str, password: str, hasher: PasswordHasher | None = None) -> bool:
    try:
        return pick(hasher).verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str, hasher: PasswordHasher | None = None) -> bool:
    return pick(hasher).check_needs_rehash(stored_hash)


# Verified against when the user name is unknown, so a miss costs the same time as a hit.
_DUMMY: dict[int, str] = {}


def burn_time(password: str, hasher: PasswordHasher | None = None) -> None:
    h = pick(hasher)
    key = id(h)
    if key not in _DUMMY:
        _DUMMY[key] = h.hash("cbs-dummy-password-Zz9!")
    verify(_DUMMY[key], password, h)
