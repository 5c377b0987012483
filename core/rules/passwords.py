"""Password policy (pure): length, character classes, not containing the user name."""

from __future__ import annotations

from core import errors, limits


def character_classes(password: str) -> int:
    return sum((
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ))


def check_policy(password: str, username: str) -> None:
    """Raise PasswordPolicy naming the first rule the password breaks."""
    if len(password) < limits.PASSWORD_MIN_CHARS:
        raise errors.PasswordPolicy(reason=f"at least {limits.PASSWORD_MIN_CHARS} characters")
    if len(password) > limits.PASSWORD_MAX_CHARS:
        raise errors.PasswordPolicy(reason=f"at most {limits.PASSWORD_MAX_CHARS} characters")
    if character_classes(password) < limits.PASSWORD_MIN_CLASSES:
        raise errors.PasswordPolicy(
            reason=f"at least {limits.PASSWORD_MIN_CLASSES} of lower case, upper case, "
                   "digits and symbols")
    if username and username.casefold() in password.casefold():
        raise errors.PasswordPolicy(reason="it must not contain the user name")
