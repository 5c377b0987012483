"""One use case = one transaction, retried as a whole on serialization failure or deadlock.

Services are plain functions `verb_noun(uow, *, keyword primitives) -> DTO`; they never commit.
`CoreContext.run(service, actor, **kw)` opens the transaction, calls the service, commits, and
retries with bounded backoff when the database says the transaction lost a race.
"""

from __future__ import annotations

import contextvars
import logging
import os
import random
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import Connection
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from core import errors, limits
from core.clock import Clock
from core.db import READ_ONLY

log = logging.getLogger("cbs.core")

correlation_id: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="-")

P = ParamSpec("P")
R = TypeVar("R")

_RETRY_SQLSTATES = {"40001", "40P01", "55P03"}  # serialization, deadlock, lock not available


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a user at a workstation (or a batch job), in a branch."""

    username: str
    role: str = "system"
    branch_id: int | None = None
    user_id: int | None = None
    permissions: frozenset[str] = field(default_factory=frozenset)


class Retryable(Exception):
    """Raised inside a service when a check raced with another writer: run it again."""


class UnitOfWork:
    """The transaction a service runs in: Core connection, ORM session (made on first use), who
    acts and when. The posting fast path never touches the session, so it never pays for one."""

    __slots__ = ("conn", "actor", "clock", "workstation", "dialect", "correlation_id",
                 "read_only", "_session")

    def __init__(self, conn: Connection, actor: Actor, clock: Clock, workstation: str,
                 dialect: str, correlation_id: str, read_only: bool = False) -> None:
        self.conn = conn
        self.actor = actor
        self.clock = clock
        self.workstation = workstation
        self.dialect = dialect
        self.correlation_id = correlation_id
        self.read_only = read_only
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            self.begin()  # the session joins our transaction; it never owns one
            self._session = Session(bind=self.conn, autoflush=True)
        return self._session

    def begin(self) -> None:
        """Open the transaction if no statement has yet (SQLAlchemy statements autobegin).

        Deferred to the first statement so that a service's checks and hashing run before it:
        on SQLite, BEGIN IMMEDIATE takes the database's write lock."""
        if not self.conn.in_transaction():
            self.conn.begin()

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    def _flush(self) -> None:
        if self._session is not None:
            self._session.flush()

    def _close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, Retryable):
        return True
    if isinstance(exc, DBAPIError):
        orig = exc.orig
        state = getattr(orig, "sqlstate", None)
        if state in _RETRY_SQLSTATES:
            return True
        if isinstance(orig, sqlite3.OperationalError) and "locked" in str(orig):
            return True
        if exc.connection_invalidated:
            return True
    return False


@dataclass
class CoreContext:
    """What every use case needs: the engine, the clock and the workstation's name."""

    engine: Engine
    clock: Clock
    workstation: str
    max_attempts: int = limits.MAX_TX_ATTEMPTS
    _chain_ready: bool = False
    # One checked-out connection per thread, kept between use cases: a pool checkout (and its
    # pre-ping round trip) per transaction costs as much as the posting itself. A connection
    # that broke is dropped and the use case retried on a fresh one (is_transient).
    _local: threading.local = field(default_factory=threading.local, repr=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def run(
        self,
        service: Callable[Concatenate[UnitOfWork, P], R],
        actor: Actor,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        return self._run(service, actor, False, *args, **kwargs)

    def read(
        self,
        service: Callable[Concatenate[UnitOfWork, P], R],
        actor: Actor,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> R:
        """A read-only use case: on SQLite it does not queue behind writers."""
        return self._run(service, actor, True, *args, **kwargs)

    def _run(
        self, service: Callable[..., R], actor: Actor, read_only: bool, *args: Any, **kwargs: Any
    ) -> R:
        if not read_only and not self._chain_ready:
            from core.services.audit import ensure_chain

            ensure_chain(self.engine, self.workstation, self.clock)
            self._chain_ready = True
        cid = str(uuid.uuid4())
        token = correlation_id.set(cid)
        name = getattr(service, "__name__", "service")
        started = time.perf_counter()
        try:
            for attempt in range(1, self.max_attempts + 1):
                try:
                    result = self._attempt(service, actor, read_only, cid, args, kwargs)
                    log.debug("use_case=%s outcome=ok attempts=%d ms=%.1f", name, attempt,
                              (time.perf_counter() - started) * 1000)
                    return result
                except errors.DomainError as exc:
                    log.info("use_case=%s outcome=refused code=%s", name, exc.code)
                    self._follow_up(exc, actor)
                    raise
                except Exception as exc:
                    if not is_transient(exc) or attempt == self.max_attempts:
                        if is_transient(exc):
                            log.warning("use_case=%s outcome=gave_up attempts=%d", name, attempt)
                            raise errors.TransactionConflict(attempts=attempt) from exc
                        log.exception("use_case=%s outcome=error", name)
                        raise
                    backoff = min(limits.RETRY_BACKOFF_MAX_S,
                                  limits.RETRY_BACKOFF_BASE_S * 2 ** (attempt - 1))
                    time.sleep(backoff * (0.5 + random.random()))
            raise AssertionError("unreachable")
        finally:
            correlation_id.reset(token)

    def _follow_up(self, exc: errors.DomainError, actor: Actor) -> None:
        """Record a refusal (audit event, failed-login counter) in its own transaction.

        The refused use case rolled back as a whole; what must survive the refusal is a separate
        small use case the error names as `followup = (service, kwargs)`.
        """
        followup = getattr(exc, "followup", None)
        if followup is None:
            return
        service, kwargs = followup
        exc.followup = None  # type: ignore[attr-defined]  # once, even if re-raised through run()
        try:
            self.run(service, actor, **kwargs)
        except Exception:
            log.exception("use_case=%s outcome=followup_failed", getattr(service, "__name__", "?"))

    def _attempt(
        self, service: Callable[..., R], actor: Actor, read_only: bool, cid: str,
        args: tuple[Any, ...], kwargs: dict[str, Any],
    ) -> R:
        conn = self._connection()
        if conn.get_execution_options().get(READ_ONLY) is not read_only:
            conn.execution_options(**{READ_ONLY: read_only})  # in place; read by the begin hook
        uow = UnitOfWork(conn, actor, self.clock, self.workstation, self.dialect, cid, read_only)
        try:
            try:
                result = service(uow, *args, **kwargs)
                if not read_only:
                    uow._flush()
            finally:
                uow._close()
            if conn.in_transaction():
                if read_only:
                    conn.rollback()
                else:
                    conn.commit()
            return result
        except BaseException:
            if conn.in_transaction() and not conn.invalidated:
                try:
                    conn.rollback()
                except Exception:  # noqa: BLE001 - keep the first error; the connection is dropped
                    log.debug("rollback failed", exc_info=True)
            self._drop_connection_if_broken()
            raise

    def _connection(self) -> Connection:
        held: _HeldConnection | None = getattr(self._local, "held", None)
        if held is None or not held.usable():
            held = self._local.held = _HeldConnection(self.engine.connect())
        return held.conn

    def _drop_connection_if_broken(self) -> None:
        held: _HeldConnection | None = getattr(self._local, "held", None)
        if held is not None and not held.usable():
            self._local.held = None
            held.close()

    def release(self) -> None:
        """Give this thread's connection back to the pool (before engine.dispose, say)."""
        held: _HeldConnection | None = getattr(self._local, "held", None)
        self._local.held = None
        if held is not None:
            held.close()


class _HeldConnection:
    """A connection kept by one thread between use cases, returned to the pool when the thread
    (or the context) goes away. After a fork it belongs to the parent: the child leaves it."""

    __slots__ = ("conn", "pid")

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pid = os.getpid()

    def usable(self) -> bool:
        c = self.conn
        return (self.pid == os.getpid() and not c.closed and not c.invalidated
                and not c.in_transaction())

    def close(self) -> None:
        if self.pid != os.getpid() or self.conn.closed:
            return
        try:
            self.conn.close()
        except Exception:  # noqa: BLE001 - a broken connection may fail to close; drop it
            log.debug("closing a held connection failed", exc_info=True)

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - at interpreter exit the logging module may be gone
            pass
