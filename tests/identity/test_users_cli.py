"""`cbs users`: the first administrator and unlocking from the shell, both audited."""

from __future__ import annotations

import getpass

import pytest

from app.cli import main
from core import errors, limits
from tests.identity.conftest import NEW_PASSWORD


def test_create_admin_then_unlock(idbank, db_url, monkeypatch, capsys):
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "First-Admin-Passw0rd")
    assert main(["users", "create-admin", "root.admin", "--full-name", "Root Admin",
                 "--url", db_url]) == 0
    assert idbank.login("root.admin", "First-Admin-Passw0rd").must_change_password
    for _ in range(limits.MAX_FAILED_LOGINS):
        with pytest.raises(errors.AuthenticationFailed):
            idbank.login("administrator", "Wrong-Passw0rd!")
    with pytest.raises(errors.AccountLocked):
        idbank.login("administrator")
    assert main(["users", "unlock", "administrator", "--url", db_url]) == 0
    assert idbank.login("administrator", NEW_PASSWORD).user.username == "administrator"
    assert main(["users", "list", "--url", db_url]) == 0
    out = capsys.readouterr().out
    assert "root.admin\tadministrator" in out and "teller\tteller" in out
    assert idbank.audit_count("users.unlock") == 1


def test_create_admin_refuses_a_weak_password(idbank, db_url, monkeypatch, capsys):
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "weak")
    assert main(["users", "create-admin", "root.admin", "--full-name", "Root Admin",
                 "--url", db_url]) == 2
    assert "not acceptable" in capsys.readouterr().err
