"""Screening parties and customers against the active sanctions lists; hits are stored per
customer and suppressed after a false-positive decision until the customer or the entry changes.

Permissions: sanctions.screen (screen a party or customer), sanctions.review (decide a hit),
sanctions.approve (second person clearing a strong hit).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from sqlalchemy import select

from core import errors, limits
from core.models.customers import Customer
from core.models.sanctions import ScreeningHit
from core.sanctions.dto import CustomerScreeningDTO, HitDTO, MatchDTO
from core.sanctions.index import Match
from core.sanctions.names import normalise
from core.services import audit, authz
from core.services.sanctions_index import current_index
from core.unit_of_work import UnitOfWork

CUSTOMER_KIND = {"person": "person", "organisation": "organisation"}


def _threshold(value: float | None) -> float:
    if value is None:
        return limits.SANCTIONS_MATCH_THRESHOLD
    if not 0.5 <= value <= 1.0:
        raise errors.InvalidInput(field="threshold", reason="between 0.5 and 1.0")
    return value


def _country(country: str | None) -> str | None:
    if country is None or not country.strip():
        return None
    c = country.strip().upper()
    if len(c) != 2 or not c.isalpha():
        raise errors.InvalidInput(field="country", reason="an ISO 3166 alpha-2 code like IR")
    return c


def _search(uow: UnitOfWork, name: str, birth_date: date | None, country: str | None,
            kind: str | None, threshold: float | None) -> list[Match]:
    if kind is not None and kind not in ("person", "organisation"):
        raise errors.InvalidInput(field="kind", reason="person or organisation")
    key, index = current_index(uow)
    if not key:
        raise errors.NoActiveLists()
    return index.search(name, birth_date=birth_date, country=_country(country), kind=kind,
                        threshold=_threshold(threshold))


def to_match_dto(m: Match) -> MatchDTO:
    e = m.entry
    return MatchDTO(e.list_code, e.external_id, e.entry_id, e.entry_type, e.primary_name,
                    m.matched_name, m.score, m.explanation)


def screen_party(uow: UnitOfWork, *, name: str, birth_date: date | None = None,
                 country: str | None = None, kind: str | None = None,
                 threshold: float | None = None) -> list[MatchDTO]:
    """Screen a name (e.g. a payee or a prospect) without storing hits."""
    authz.require(uow, "sanctions.screen")
    matches = [to_match_dto(m) for m in _search(uow, name, birth_date, country, kind, threshold)]
    if not uow.read_only:
        audit.append(uow, action="sanctions.screen", entity_type="party", entity_id="-",
                     payload={"name": name, "birth_date": birth_date, "country": country,
                              "kind": kind, "hits": [[m.list_code, m.external_id, m.score]
                                                     for m in matches]})
    return matches


def customer_fingerprint(c: Customer) -> str:
    doc = [normalise(c.full_name), c.born_on.isoformat() if c.born_on else "", c.country or "",
           c.kind]
    return hashlib.sha256(json.dumps(doc).encode()).hexdigest()


def hit_dto(h: ScreeningHit, customer_name: str) -> HitDTO:
    return HitDTO(h.id, h.customer_id, customer_name, h.list_code, h.external_id, h.entry_id,
                  h.matched_name, h.score, json.loads(h.explanation), h.status, h.created_at,
                  h.requested_by, h.decided_by, h.decided_at, h.reason)


def _latest_hits(uow: UnitOfWork, customer_id: int) -> dict[tuple[str, str], ScreeningHit]:
    rows = uow.session.execute(select(ScreeningHit).where(ScreeningHit.customer_id == customer_id)
                               .order_by(ScreeningHit.id)).scalars()
    return {(h.list_code, h.external_id): h for h in rows}


def store_customer_hits(uow: UnitOfWork, c: Customer, matches: list[Match],
                        run_id: int | None) -> CustomerScreeningDTO:
    """Insert new hits; a pair already decided false positive with unchanged fingerprints is
    suppressed, a pair still under review is not duplicated."""
    fp = customer_fingerprint(c)
    latest = _latest_hits(uow, c.id)
    new, still_open, suppressed = [], 0, 0
    for m in matches:
        prev = latest.get((m.entry.list_code, m.entry.external_id))
        same = (prev is not None and prev.customer_fingerprint == fp
                and prev.entry_fingerprint == m.entry.content_hash)
        if same and prev is not None and prev.status == "false_positive":
            suppressed += 1
            continue
        if same and prev is not None and prev.status in ("open", "pending_clear", "true_match"):
            still_open += 1
            continue
        hit = ScreeningHit(customer_id=c.id, run_id=run_id, entry_id=m.entry.entry_id,
                           list_code=m.entry.list_code, external_id=m.entry.external_id,
                           matched_name=m.matched_name[:500], score=m.score,
                           explanation=json.dumps(m.explanation, ensure_ascii=False),
                           status="open", customer_fingerprint=fp,
                           entry_fingerprint=m.entry.content_hash, created_at=uow.clock.now())
        uow.session.add(hit)
        new.append(hit)
    uow.session.flush()
    return CustomerScreeningDTO(c.id, tuple(hit_dto(h, c.full_name) for h in new), still_open,
                                suppressed)


def screen_new_customer(uow: UnitOfWork, customer: Customer) -> CustomerScreeningDTO | None:
    """The screening point at creation, in the creating transaction (no permission of its own:
    it is part of creating a customer). None when no list is active yet: the re-screen that
    follows each list activation covers such customers."""
    key, index = current_index(uow)
    if not key:
        return None
    matches = index.search(customer.full_name, birth_date=customer.born_on,
                           country=customer.country, kind=CUSTOMER_KIND.get(customer.kind),
                           threshold=limits.SANCTIONS_MATCH_THRESHOLD)
    result = store_customer_hits(uow, customer, matches, None)
    if result.new_hits:
        audit.append(uow, action="sanctions.screen_customer", entity_type="customer",
                     entity_id=customer.id,
                     payload={"at": "creation",
                              "new_hits": [[h.hit_id, h.list_code, h.external_id, h.score]
                                           for h in result.new_hits]})
    return result


def screen_customer(uow: UnitOfWork, *, customer_id: int,
                    run_id: int | None = None) -> CustomerScreeningDTO:
    authz.require(uow, "sanctions.screen")
    c = uow.session.get(Customer, customer_id)
    if c is None:
        raise errors.UnknownCustomer(customer=customer_id)
    matches = _search(uow, c.full_name, c.born_on, c.country, CUSTOMER_KIND.get(c.kind), None)
    result = store_customer_hits(uow, c, matches, run_id)
    audit.append(uow, action="sanctions.screen_customer", entity_type="customer",
                 entity_id=c.id,
                 payload={"new_hits": [[h.hit_id, h.list_code, h.external_id, h.score]
                                       for h in result.new_hits],
                          "still_open": result.still_open, "suppressed": result.suppressed,
                          "run_id": run_id})
    return result
