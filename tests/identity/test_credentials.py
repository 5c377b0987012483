"""The workstation's database password lives in the keyring (an in-memory backend here)."""

from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from app import credentials
from tests import pg


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


URL = "postgresql://teller@db.branch.local:5432/cbs"


def test_store_load_delete_keyed_by_url_without_password(memory_keyring):
    credentials.store_password(URL, "s3cret-pw")
    assert credentials.load_password(URL) == "s3cret-pw"
    assert credentials.load_password("postgres://teller:other@db.branch.local:5432/cbs") \
        == "s3cret-pw"  # same database, the URL's own password is not part of the key
    key = next(iter(memory_keyring.entries))
    assert key == ("cbs-python", "postgresql+psycopg://teller@db.branch.local:5432/cbs")
    assert "s3cret-pw" in credentials.url_with_password(URL)
    assert credentials.delete_password(URL) and not credentials.delete_password(URL)
    assert credentials.load_password(URL) is None
    with pytest.raises(ValueError):
        credentials.store_password(URL, "")


def test_connection_test_reports_success_and_failure(memory_keyring, tmp_path):
    ok = credentials.test_connection(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert ok.ok and ok.message.startswith("SQLite")
    bad = credentials.test_connection("postgresql://nobody@127.0.0.1:1/cbs", password="pw-x")
    assert not bad.ok and "pw-x" not in bad.message


@pytest.mark.skipif(not pg.reachable(), reason="PostgreSQL unreachable")
def test_connection_test_against_postgresql(memory_keyring):
    credentials.store_password(pg.ADMIN_URL, "unused-with-trust-auth")
    result = credentials.test_connection(pg.ADMIN_URL)
    assert result.ok and result.message.startswith("PostgreSQL"), result.message
