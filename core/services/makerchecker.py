"""Maker-checker: a sensitive action waits for a second person's approval.

A rule (action, optional threshold in one currency) says what needs approval. The maker's
request is validated when made and stored with its parameters; a checker (never the maker)
approves it, which executes the action through the registry in makerchecker_actions, or refuses
it with a reason. The guarded services call gate() so the action cannot bypass the rule.
"""

from __future__ import annotations

import contextvars
import json
from typing import Any

from sqlalchemy import select

from core import errors, limits, money
from core.dto import ApprovalRequestDTO, ApprovalRuleDTO
from core.models.makerchecker import ApprovalRequest, ApprovalRule
from core.services import audit, authz
from core.unit_of_work import UnitOfWork

# True while an approved request executes: the gate lets that one execution through.
_executing: contextvars.ContextVar[bool] = contextvars.ContextVar("cbs_mc_executing",
                                                                 default=False)


def _rule(uow: UnitOfWork, action: str) -> ApprovalRule | None:
    return uow.session.execute(
        select(ApprovalRule).where(ApprovalRule.action == action, ApprovalRule.enabled)
    ).scalar_one_or_none()


def applies(rule: ApprovalRule | None, amount_minor: int | None, currency: str | None) -> bool:
    """A rule without threshold covers every request; with one, amounts at or above it in its
    currency (an amount in another currency is not covered by that rule)."""
    if rule is None:
        return False
    if rule.threshold_minor is None:
        return True
    return amount_minor is not None and currency == rule.currency \
        and amount_minor >= rule.threshold_minor


def gate(uow: UnitOfWork, action: str, *, amount_minor: int | None = None,
         currency: str | None = None) -> None:
    """Refuse a direct call that a rule sends through maker-checker."""
    if _executing.get():
        return
    if applies(_rule(uow, action), amount_minor, currency):
        raise errors.ApprovalRequired(action=action)


# --- rules ---------------------------------------------------------------------------------------
def rule_dto(r: ApprovalRule) -> ApprovalRuleDTO:
    return ApprovalRuleDTO(r.id, r.action, r.threshold_minor, r.currency, r.enabled)


def set_rule(uow: UnitOfWork, *, action: str, enabled: bool = True,
             threshold_minor: int | None = None, currency: str | None = None) -> ApprovalRuleDTO:
    from core.services.makerchecker_actions import ACTIONS

    authz.require(uow, "makerchecker.rules")
    if action not in ACTIONS:
        raise errors.UnknownApprovalAction(action=action)
    if (threshold_minor is None) != (currency is None):
        raise errors.InvalidInput(field="threshold", reason="an amount threshold needs a currency")
    if threshold_minor is not None and currency is not None:
        money.check_currency(currency)
        money.check_amount_minor(threshold_minor, currency)
    rule = uow.session.execute(select(ApprovalRule).where(ApprovalRule.action == action)
                               ).scalar_one_or_none()
    before = None if rule is None else rule_dto(rule)
    if rule is None:
        rule = ApprovalRule(action=action)
        uow.session.add(rule)
    rule.enabled, rule.threshold_minor, rule.currency = enabled, threshold_minor, currency
    rule.updated_at, rule.updated_by = uow.clock.now(), uow.actor.username
    uow.session.flush()
    after = rule_dto(rule)
    audit.append(uow, action="makerchecker.set_rule", entity_type="approval_rule",
                 entity_id=rule.id, payload={"before": before, "after": after})
    return after


def list_rules(uow: UnitOfWork) -> list[ApprovalRuleDTO]:
    authz.require(uow, "makerchecker.view")
    rows = uow.session.execute(select(ApprovalRule).order_by(ApprovalRule.action)).scalars()
    return [rule_dto(r) for r in rows]


# --- requests ------------------------------------------------------------------------------------
def request_dto(r: ApprovalRequest) -> ApprovalRequestDTO:
    return ApprovalRequestDTO(
        r.id, r.action, r.summary, _public(json.loads(r.params)), r.entity_type, r.entity_id,
        r.status, r.maker, r.made_at, r.checker, r.decided_at, r.reason,
        json.loads(r.result) if r.result else None)


def _public(params: dict[str, Any]) -> dict[str, Any]:
    """What screens may show: never a password hash."""
    return {k: v for k, v in params.items() if "password" not in k}


def request_approval(uow: UnitOfWork, *, action: str, params: dict[str, Any]
                     ) -> ApprovalRequestDTO:
    """The maker asks: validated now, stored as pending, shown on the record and in the inbox."""
    from core.services.makerchecker_actions import ACTIONS

    authz.require(uow, "makerchecker.request")
    spec = ACTIONS.get(action)
    if spec is None:
        raise errors.UnknownApprovalAction(action=action)
    authz.require(uow, spec.permission)
    prepared = spec.prepare(uow, dict(params))
    authz.require_branch(uow, prepared.branch_id)
    if spec.needed is not None:
        required = spec.needed(uow, prepared)
    else:
        required = applies(_rule(uow, action), prepared.amount_minor, prepared.currency)
    if not required:
        raise errors.ApprovalNotRequired(action=action)
    req = ApprovalRequest(
        action=action, params=audit.canonical_json(prepared.params),
        summary=prepared.summary[:300], entity_type=prepared.entity_type,
        entity_id=str(prepared.entity_id), branch_id=prepared.branch_id, status="pending",
        maker=uow.actor.username, made_at=uow.clock.now())
    uow.session.add(req)
    uow.session.flush()
    audit.append(uow, action="makerchecker.request", entity_type=req.entity_type,
                 entity_id=req.entity_id, payload={"request_id": req.id, "action": action,
                                                   "params": _public(prepared.params)})
    return request_dto(req)


def _load_for_decision(uow: UnitOfWork, request_id: int, verb: str) -> ApprovalRequest:
    authz.require(uow, "makerchecker.approve")
    req = uow.session.get(ApprovalRequest, request_id, with_for_update=True)
    if req is None:
        raise errors.UnknownApprovalRequest(request=request_id)
    action = f"makerchecker.{verb}"
    if req.status != "pending":
        raise authz.audited(errors.ApprovalAlreadyDecided(
            request=request_id, status=req.status, checker=req.checker), action=action,
            entity_type="approval_request", entity_id=request_id)
    if req.maker == uow.actor.username:
        raise authz.audited(errors.MakerCannotDecide(user=req.maker, request=request_id),
                            action=action, entity_type="approval_request", entity_id=request_id)
    authz.require_branch(uow, req.branch_id)
    return req


def approve(uow: UnitOfWork, *, request_id: int) -> ApprovalRequestDTO:
    """A checker approves: the action runs now, in this transaction, with the checker's rights."""
    from core.services.makerchecker_actions import ACTIONS

    req = _load_for_decision(uow, request_id, "approve")
    spec = ACTIONS[req.action]
    authz.require(uow, spec.permission)
    token = _executing.set(True)
    try:
        result = spec.execute(uow, json.loads(req.params))
    finally:
        _executing.reset(token)
    req.status, req.checker, req.decided_at = "approved", uow.actor.username, uow.clock.now()
    req.result = audit.canonical_json(result)
    uow.session.flush()
    audit.append(uow, action="makerchecker.approve", entity_type=req.entity_type,
                 entity_id=req.entity_id, payload={"request_id": req.id, "action": req.action,
                                                   "maker": req.maker, "result": result})
    return request_dto(req)


def refuse(uow: UnitOfWork, *, request_id: int, reason: str) -> ApprovalRequestDTO:
    if not reason.strip():
        raise errors.InvalidInput(field="reason", reason="a refusal needs a reason")
    req = _load_for_decision(uow, request_id, "refuse")
    req.status, req.checker, req.decided_at = "refused", uow.actor.username, uow.clock.now()
    req.reason = reason.strip()[: limits.MAX_REASON_CHARS]
    uow.session.flush()
    audit.append(uow, action="makerchecker.refuse", entity_type=req.entity_type,
                 entity_id=req.entity_id, payload={"request_id": req.id, "action": req.action,
                                                   "maker": req.maker, "reason": req.reason})
    return request_dto(req)


def list_pending(uow: UnitOfWork, *, after_id: int = 0,
                 limit: int = limits.MAX_PAGE_ROWS) -> list[ApprovalRequestDTO]:
    """The checker inbox, oldest first (keyset on id); branch-scoped checkers see their branch."""
    authz.require(uow, "makerchecker.view")
    limit = max(1, min(limit, limits.MAX_PAGE_ROWS))
    q = (select(ApprovalRequest).where(ApprovalRequest.status == "pending",
                                       ApprovalRequest.id > after_id)
         .order_by(ApprovalRequest.id).limit(limit))
    if not authz.allowed(uow.actor, authz.ALL_BRANCHES):
        q = q.where((ApprovalRequest.branch_id == uow.actor.branch_id)
                    | ApprovalRequest.branch_id.is_(None))
    return [request_dto(r) for r in uow.session.execute(q).scalars()]


def pending_for(uow: UnitOfWork, *, entity_type: str, entity_id: str | int
                ) -> list[ApprovalRequestDTO]:
    """Pending requests on one record (shown on that record's screen)."""
    if not authz.allowed(uow.actor, "makerchecker.view"):
        authz.require(uow, "makerchecker.request")
    q = (select(ApprovalRequest)
         .where(ApprovalRequest.entity_type == entity_type,
                ApprovalRequest.entity_id == str(entity_id), ApprovalRequest.status == "pending")
         .order_by(ApprovalRequest.id).limit(limits.MAX_PAGE_ROWS))
    return [request_dto(r) for r in uow.session.execute(q).scalars()]


def get_request(uow: UnitOfWork, *, request_id: int) -> ApprovalRequestDTO:
    if not authz.allowed(uow.actor, "makerchecker.view"):
        authz.require(uow, "makerchecker.request")
    req = uow.session.get(ApprovalRequest, request_id)
    if req is None:
        raise errors.UnknownApprovalRequest(request=request_id)
    return request_dto(req)
