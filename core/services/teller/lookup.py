"""Customer and account lookup for the teller: search as you type and the account view.

A query of digits looks up account numbers, phones and ID numbers by prefix; a query with
letters looks up names by word prefix ("ada lov") and ID numbers. Every field is answered by
an index (core/search_index.py) in index order with LIMIT, so a keystroke costs a few index
pages however many customers there are. Paging is keyset: the cursor carries, per field, the
last key returned.
"""

from __future__ import annotations

import json
import re
from typing import Any

from anyascii import anyascii
from sqlalchemy import select, text

from core import errors, limits
from core.dto import AccountDTO, HoldDTO
from core.models.customers import Customer
from core.models.ledger import Account, Hold
from core.models.teller import CustomerMedia
from core.search_index import FTS_TABLE, PG_NAME_KEY, binary, id_key_sql, phone_key_sql
from core.services import accounts, audit, authz, calendar, customers
from core.services.teller.dto import AccountViewDTO, CustomerHitDTO, SearchResultDTO
from core.unit_of_work import UnitOfWork

_WORD_RE = re.compile(r"[a-z0-9]+")
_SEPARATORS_RE = re.compile(r"[\s\-+()./]")
_ID_RE = re.compile(r"^[A-Z0-9]+$")


def _require_lookup(uow: UnitOfWork) -> None:
    if not (authz.allowed(uow.actor, "teller.session")
            or authz.allowed(uow.actor, "teller.view_branch")):
        raise errors.PermissionDenied(user=uow.actor.username, action="teller.session")


def name_words(query: str) -> list[str]:
    """Lower-case ASCII words: 'José  Ñúñez' -> ['jose', 'nunez'] (the index folds accents)."""
    return _WORD_RE.findall(anyascii(query).lower())[:6]


def _upper_bound(prefix: str) -> str:
    """The smallest string above every string starting with the prefix (ASCII keys)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _name_ids(uow: UnitOfWork, words: list[str], after: int, n: int
              ) -> tuple[list[int], int | None]:
    """Customer ids whose name has every word, in id order; and the cursor to go on from."""
    if not uow.is_postgres:
        sql = (f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q AND rowid > :after "
               "ORDER BY rowid LIMIT :n")
        q = " ".join(f'"{w}"*' for w in words)
        ids = [r[0] for r in uow.conn.execute(text(sql), {"q": q, "after": after, "n": n})]
        return ids, (ids[-1] if len(ids) == n else None)
    return _name_ids_pg(uow, words, after, n)


def _walk(uow: UnitOfWork, cond: str, indexable: str, params: dict[str, Any], after: int,
          rows: int, n: int) -> tuple[list[int], int | None, int]:
    """Among the next `rows` customers in id order: the matches, the last id looked at, and
    how many match the indexable (3+ letter) words alone (what the index would fetch)."""
    p = {**params, "after": after, "window": rows, "n": n}
    found = uow.conn.execute(text(f"""
        WITH w AS (SELECT id, name_key FROM customers WHERE id > :after ORDER BY id
                   LIMIT :window),
             s AS (SELECT max(id) AS edge, count(*) FILTER (WHERE {indexable}) AS c FROM w)
        SELECT s.edge, s.c, m.id FROM s LEFT JOIN LATERAL (
            SELECT id FROM w WHERE {cond} ORDER BY id LIMIT :n) m ON true ORDER BY m.id"""),
        p).all()
    return [r.id for r in found if r.id is not None], found[0].edge, int(found[0].c)


def _name_ids_pg(uow: UnitOfWork, words: list[str], after: int, n: int
                 ) -> tuple[list[int], int | None]:
    """Walk the customers in id order, or use the trigram index when it has few candidates.

    A first window of customers in id order, filtered, fills the page for a common word and
    tells how many rows the trigram index would fetch for the rest. Few: the index answers
    exactly. Many (or only words under three letters, which have no trigram): walk a bounded
    window and hand back a cursor, so a keystroke never costs a heap fetch of thousands of rows.
    """
    # words are [a-z0-9]+: no LIKE wildcard can come from the user
    params: dict[str, Any] = {f"w{i}": f"%{w}%" for i, w in enumerate(words)}
    cond = " AND ".join(f"{PG_NAME_KEY} LIKE :w{i}" for i in range(len(words)))
    indexable = " AND ".join(f"{PG_NAME_KEY} LIKE :w{i}" for i, w in enumerate(words)
                             if len(w) >= 3) or "false"
    first = limits.SEARCH_SCAN_WINDOW_ROWS
    ids, edge, candidates = _walk(uow, cond, indexable, params, after, first, n)
    if len(ids) == n:
        return ids, ids[-1]
    if edge is None:  # no customer after the cursor
        return ids, None
    top = int(uow.conn.execute(text("SELECT max(id) FROM customers")).scalar_one())
    if edge >= top:
        return ids, None
    # estimated index matches in the rest of the table (a row count, integer arithmetic)
    index_rows = (candidates * (top - edge) // first if indexable != "false"
                  else limits.SEARCH_INDEX_MAX_ROWS + 1)
    if index_rows > limits.SEARCH_INDEX_MAX_ROWS:
        need = int((n - len(ids)) * first / len(ids) * 1.5) + 1 if ids else first * 30
        more, walked_to, _ = _walk(uow, cond, indexable, params, edge,
                                   min(need, limits.SEARCH_WALK_MAX_ROWS), n - len(ids))
        ids += more
        if len(ids) == n:
            return ids, ids[-1]
        return ids, (None if walked_to is None or walked_to >= top else int(walked_to))
    params.update(after=edge, n=n - len(ids))
    # "id + 0": sort the index's few matches rather than walk the primary key and filter
    more = uow.conn.execute(text(
        f"SELECT id FROM customers WHERE {cond} AND id > :after ORDER BY id + 0 LIMIT :n"),
        params).scalars().all()
    ids += list(more)
    return ids, (ids[-1] if len(ids) == n else None)


# field -> (table, key expression, extra condition, the customer id column)
_PREFIX_FIELDS = {
    "account": ("accounts", "number", "AND customer_id IS NOT NULL", "customer_id"),
    "phone": ("customers", phone_key_sql(), "", "id"),
    "id": ("customers", id_key_sql(), "", "id"),
}


def _prefix_rows(uow: UnitOfWork, fields: list[str], prefix: str, state: dict[str, Any],
                 n: int) -> dict[str, list[Any]]:
    """Per field, rows whose key starts with the prefix in (key, id) order after the field's
    cursor [key, id]; all fields in one statement (one round trip per keystroke)."""
    parts, params = [], {"lo": prefix, "hi": _upper_bound(prefix), "n": n}
    for f in fields:
        table, key, where, owner = _PREFIX_FIELDS[f]
        expr = binary(key, uow.dialect)
        page = ""
        if state.get(f):
            page = f"AND ({expr} > :k_{f} OR ({expr} = :k_{f} AND id > :i_{f}))"
            params.update({f"k_{f}": str(state[f][0]), f"i_{f}": int(state[f][1])})
        parts.append(
            f"SELECT * FROM (SELECT '{f}' AS f, id, {key} AS k, {owner} AS owner FROM {table} "
            f"WHERE {expr} >= :lo AND {expr} < :hi {page} {where} "
            f"ORDER BY {expr}, id LIMIT :n) AS q_{f}")
    out: dict[str, list[Any]] = {f: [] for f in fields}
    if parts:
        for row in uow.conn.execute(text(" UNION ALL ".join(parts)), params):
            out[row.f].append(row)
    return out


def _hits(uow: UnitOfWork, matches: list[tuple[int, str, str | None]]
          ) -> tuple[CustomerHitDTO, ...]:
    """One round trip for all the customers found: (customer id, field, account number)."""
    first: dict[int, tuple[str, str | None]] = {}
    for customer_id, field, number in matches:  # found by two fields: listed once, by the first
        first.setdefault(customer_id, (field, number))
    if not first:
        return ()
    found = {c.id: c for c in uow.session.execute(
        select(Customer).where(Customer.id.in_(list(first)))).scalars()}
    return tuple(CustomerHitDTO(c.id, c.customer_no, c.full_name, c.phone, c.national_id,
                                field, number)
                 for cid, (field, number) in first.items() if (c := found.get(cid)) is not None)


def search_customers(uow: UnitOfWork, *, query: str, limit: int = 20,
                     cursor: str | None = None) -> SearchResultDTO:
    """Customers matching what the teller typed so far, a page at a time (keyset)."""
    _require_lookup(uow)
    n = max(1, min(int(limit), limits.MAX_SEARCH_ROWS))
    raw = (query or "").strip()[: limits.MAX_NAME_CHARS]
    if len(raw) < limits.MIN_SEARCH_CHARS:
        return SearchResultDTO((), None)
    state: dict[str, Any] = json.loads(cursor) if cursor else {}
    compact = _SEPARATORS_RE.sub("", raw).upper()
    hits: list[tuple[int, str, str | None]] = []
    nxt: dict[str, Any] = {}
    fields = []
    if compact.isdigit():
        fields += [f for f in ("account", "phone") if f in state or not state]
    elif "name" in state or not state:
        words = name_words(raw)
        if words:
            ids, name_cursor = _name_ids(uow, words, int(state.get("name", 0)), n)
            hits += [(i, "name", None) for i in ids]
            if name_cursor is not None:
                nxt["name"] = name_cursor
    if _ID_RE.match(compact) and ("id" in state or not state):
        fields.append("id")
    for f, rows in _prefix_rows(uow, fields, compact, state, n).items():
        hits += [(r.owner, f, r.k if f == "account" else None) for r in rows]
        if len(rows) == n:
            nxt[f] = [rows[-1].k, rows[-1].id]
    return SearchResultDTO(_hits(uow, hits), json.dumps(nxt, sort_keys=True) if nxt else None)


def account_view(uow: UnitOfWork, *, account_id: int) -> AccountViewDTO:
    """What the teller sees before paying out: balances, holds, photo, signature, warnings."""
    _require_lookup(uow)
    acc = accounts.get_account(uow, account_id=account_id)
    cust = customers.get_customer(uow, customer_id=acc.customer_id) if acc.customer_id else None
    holds = tuple(
        HoldDTO(h.id, h.account_id, h.amount_minor, h.reason, h.placed_at,
                         h.released_at)
        for h in uow.session.execute(select(Hold).where(
            Hold.account_id == account_id, Hold.released_at.is_(None))
            .order_by(Hold.id).limit(limits.MAX_PAGE_ROWS)).scalars())
    warnings = [acc.status] if acc.status in ("frozen", "dormant", "closed") else []
    kyc = media = None
    if acc.customer_id:
        kyc = uow.session.execute(select(Customer.kyc_expires_on).where(
            Customer.id == acc.customer_id)).scalar_one()
        media = uow.session.get(CustomerMedia, acc.customer_id)
        if kyc is None:
            warnings.append("kyc_missing")
        elif kyc < calendar.business_date(uow):
            warnings.append("kyc_expired")
    return AccountViewDTO(acc, cust, holds, tuple(warnings), kyc,
                          media.photo if media else None, media.photo_mime if media else None,
                          media.signature if media else None,
                          media.signature_mime if media else None)


def customer_accounts(uow: UnitOfWork, *, customer_id: int) -> list[AccountDTO]:
    """The customer's accounts (a name hit carries no account number), oldest first."""
    _require_lookup(uow)
    rows = uow.session.execute(
        select(Account).where(Account.customer_id == customer_id).order_by(Account.id)
        .limit(limits.MAX_PAGE_ROWS)).scalars()
    return [accounts.to_dto(uow, a) for a in rows]


def account_by_number(uow: UnitOfWork, *, number: str) -> AccountDTO:
    """A customer account typed by its number (the other side of a transfer)."""
    _require_lookup(uow)
    dto = accounts.find_account(uow, number=" ".join(number.split())[: limits.MAX_SEARCH_CHARS])
    if dto.kind != "customer":
        raise errors.UnknownAccount(account=number)
    return dto


def set_customer_media(uow: UnitOfWork, *, customer_id: int, photo: bytes | None = None,
                       photo_mime: str | None = None, signature: bytes | None = None,
                       signature_mime: str | None = None) -> None:
    """Store the customer's photo and/or specimen signature (KYC officers, onboarding)."""
    authz.require(uow, "customers.create")
    customers.get_customer(uow, customer_id=customer_id)
    for blob in (photo, signature):
        if blob is not None and len(blob) > limits.MAX_MEDIA_BYTES:
            raise errors.InvalidInput(field="image",
                                      reason=f"larger than {limits.MAX_MEDIA_BYTES} bytes")
    media = uow.session.get(CustomerMedia, customer_id)
    if media is None:
        media = CustomerMedia(customer_id=customer_id, updated_at=uow.clock.now())
        uow.session.add(media)
    if photo is not None:
        media.photo, media.photo_mime = photo, photo_mime or "image/png"
    if signature is not None:
        media.signature, media.signature_mime = signature, signature_mime or "image/png"
    media.updated_at = uow.clock.now()
    uow.session.flush()
    audit.append(uow, action="customers.media", entity_type="customer", entity_id=customer_id,
                 payload={"photo_bytes": len(photo or b""),
                          "signature_bytes": len(signature or b"")})
