"""Hit review: true match (freeze the customer's accounts, open a case) or false positive.

Clearing a strong hit (score above limits.SANCTIONS_STRONG_HIT_SCORE) is maker-checker: the
reviewer's decision puts it in pending_clear and a different user with sanctions.approve
executes it (approve_clear) or sends it back (reject_clear).
"""

from __future__ import annotations

import json

from sqlalchemy import select

from core import errors, limits
from core.models.customers import Customer
from core.models.ledger import Account
from core.models.sanctions import (
    ComplianceCase,
    SanctionsEntry,
    SanctionsList,
    SanctionsListVersion,
    SanctionsName,
    ScreeningHit,
)
from core.sanctions.dto import EntryDTO, HitDetailDTO, HitDTO
from core.services import audit, authz
from core.services.sanctions import hit_dto
from core.unit_of_work import UnitOfWork

DECISIONS = ("true_match", "false_positive")
FREEZABLE = ("active", "dormant")


def _hit(uow: UnitOfWork, hit_id: int) -> ScreeningHit:
    hit = uow.session.get(ScreeningHit, hit_id, with_for_update=True)
    if hit is None:
        raise errors.UnknownHit(hit=hit_id)
    return hit


def _reason(reason: str) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise errors.InvalidInput(field="reason", reason="a decision needs a reason")
    if len(text) > limits.MAX_HIT_REASON_CHARS:
        raise errors.InvalidInput(field="reason",
                                  reason=f"at most {limits.MAX_HIT_REASON_CHARS} characters")
    return text


def _dto(uow: UnitOfWork, hit: ScreeningHit) -> HitDTO:
    c = uow.session.get(Customer, hit.customer_id)
    return hit_dto(hit, c.full_name if c else "")


def _freeze_accounts(uow: UnitOfWork, customer_id: int, hit_id: int) -> list[int]:
    accs = uow.session.execute(select(Account).where(Account.customer_id == customer_id,
                                                     Account.status.in_(FREEZABLE))
                               .order_by(Account.id).with_for_update()).scalars().all()
    for acc in accs:
        before, acc.status = acc.status, "frozen"
        audit.append(uow, action="accounts.status", entity_type="account", entity_id=acc.id,
                     payload={"before": before, "after": "frozen",
                              "reason": f"sanctions true match, hit {hit_id}"})
    return [a.id for a in accs]


def decide_hit(uow: UnitOfWork, *, hit_id: int, decision: str, reason: str) -> HitDTO:
    authz.require(uow, "sanctions.review")
    if decision not in DECISIONS:
        raise errors.InvalidInput(field="decision", reason="true_match or false_positive")
    text = _reason(reason)
    hit = _hit(uow, hit_id)
    if hit.status != "open":
        raise errors.HitNotOpen(hit=hit_id, status=hit.status, expected="open")
    now, user = uow.clock.now(), uow.actor.username
    payload: dict[str, object] = {"decision": decision, "reason": text, "score": hit.score,
                                  "list": hit.list_code, "external_id": hit.external_id}
    if decision == "true_match":
        hit.status, hit.decided_by, hit.decided_at, hit.reason = "true_match", user, now, text
        frozen = _freeze_accounts(uow, hit.customer_id, hit.id)
        case = ComplianceCase(customer_id=hit.customer_id, hit_id=hit.id, status="open",
                              summary=f"{hit.list_code.upper()} {hit.external_id} "
                                      f"'{hit.matched_name}' confirmed: {text}",
                              opened_at=now, opened_by=user)
        uow.session.add(case)
        uow.session.flush()
        payload |= {"frozen_accounts": frozen, "case_id": case.id}
    elif hit.score > limits.SANCTIONS_STRONG_HIT_SCORE:
        hit.status, hit.requested_by, hit.requested_at, hit.reason = ("pending_clear", user,
                                                                      now, text)
        payload["needs_second_person"] = True
    else:
        hit.status, hit.decided_by, hit.decided_at, hit.reason = "false_positive", user, now, text
    uow.session.flush()
    audit.append(uow, action="sanctions.decide_hit", entity_type="screening_hit",
                 entity_id=hit.id, payload=payload)
    return _dto(uow, hit)


def _pending(uow: UnitOfWork, hit_id: int) -> ScreeningHit:
    authz.require(uow, "sanctions.approve")
    hit = _hit(uow, hit_id)
    if hit.status != "pending_clear":
        raise errors.HitNotOpen(hit=hit_id, status=hit.status, expected="pending_clear")
    if hit.requested_by == uow.actor.username:
        raise errors.SelfApproval(user=uow.actor.username, hit=hit_id)
    return hit


def approve_clear(uow: UnitOfWork, *, hit_id: int) -> HitDTO:
    hit = _pending(uow, hit_id)
    hit.status, hit.decided_by, hit.decided_at = ("false_positive", uow.actor.username,
                                                  uow.clock.now())
    uow.session.flush()
    audit.append(uow, action="sanctions.approve_clear", entity_type="screening_hit",
                 entity_id=hit.id, payload={"maker": hit.requested_by, "reason": hit.reason})
    return _dto(uow, hit)


def reject_clear(uow: UnitOfWork, *, hit_id: int, reason: str) -> HitDTO:
    text = _reason(reason)
    hit = _pending(uow, hit_id)
    maker = hit.requested_by
    hit.status, hit.requested_by, hit.requested_at = "open", None, None
    uow.session.flush()
    audit.append(uow, action="sanctions.reject_clear", entity_type="screening_hit",
                 entity_id=hit.id, payload={"maker": maker, "reason": text})
    return _dto(uow, hit)


def list_hits(uow: UnitOfWork, *, status: str | None = "open", after_id: int = 0,
              limit: int = 100) -> list[HitDTO]:
    authz.require(uow, "sanctions.review")
    limit = max(1, min(limit, limits.MAX_PAGE_ROWS))
    q = (select(ScreeningHit, Customer.full_name)
         .join(Customer, Customer.id == ScreeningHit.customer_id)
         .where(ScreeningHit.id > after_id).order_by(ScreeningHit.id).limit(limit))
    if status:
        q = q.where(ScreeningHit.status == status)
    return [hit_dto(h, name) for h, name in uow.session.execute(q)]


def get_hit(uow: UnitOfWork, *, hit_id: int) -> HitDetailDTO:
    authz.require(uow, "sanctions.review")
    hit = uow.session.get(ScreeningHit, hit_id)
    if hit is None:
        raise errors.UnknownHit(hit=hit_id)
    c = uow.session.get(Customer, hit.customer_id)
    assert c is not None  # foreign key
    e = uow.session.get(SanctionsEntry, hit.entry_id)
    assert e is not None
    names = uow.session.execute(select(SanctionsName.name).where(SanctionsName.entry_id == e.id)
                                .order_by(SanctionsName.id)).scalars().all()
    code, version_status = uow.session.execute(
        select(SanctionsList.code, SanctionsListVersion.status).join(
            SanctionsListVersion, SanctionsListVersion.list_id == SanctionsList.id)
        .where(SanctionsListVersion.id == e.version_id)).one()
    entry = EntryDTO(e.id, code, e.external_id, e.entry_type, e.primary_name, tuple(names),
                     tuple(json.loads(e.programs)), tuple(json.loads(e.birth_dates)),
                     tuple(json.loads(e.countries)), tuple(json.loads(e.identifiers)), e.remarks)
    return HitDetailDTO(hit_dto(hit, c.full_name), c.customer_no, c.kind, c.born_on, c.country,
                        entry, c.national_id, e.version_id, version_status)
