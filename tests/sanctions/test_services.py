"""Sanctions services on SQLite and PostgreSQL: import, versions and diff, atomic rejection,
screening, suppression, two-person clearing, true match freezing accounts, batch re-screen."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core import errors, limits
from core.models.audit import AuditEvent
from core.models.customers import Customer
from core.models.ledger import Account
from core.models.sanctions import ComplianceCase, SanctionsEntry, ScreeningHit
from core.sanctions.dto import HitDTO
from core.services import (
    customers,
    sanctions,
    sanctions_batch,
    sanctions_import,
    sanctions_review,
)
from core.services.authz import SYSTEM
from core.unit_of_work import Actor
from tests.sanctions.conftest import EU_SAMPLE, WATCHLIST

HEADER = "external_id,type,name,aliases,birth_dates,countries,identifiers,programs,remarks\n"
MAKER = Actor("maker", "compliance", permissions=frozenset({"sanctions.review",
                                                            "sanctions.approve"}))
CHECKER = Actor("checker", "compliance", permissions=frozenset({"sanctions.approve"}))
TELLER = Actor("teller", "teller", permissions=frozenset({"sanctions.screen"}))


def count(ctx, model, *where) -> int:
    with ctx.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def watchlist(tmp_path: Path, body: str, name: str = "watch.csv") -> str:
    p = tmp_path / name
    p.write_text(HEADER + body, encoding="utf-8")
    return str(p)


def load(ctx, *files: str | Path, code: str | None = None):
    return ctx.run(sanctions_import.import_list, SYSTEM, files=[str(f) for f in files],
                   list_code=code, rescreen=False)


def customer(bank, name: str, born: date | None = None, country: str | None = None) -> int:
    c = bank.ctx.run(customers.create_customer, SYSTEM, kind="person", full_name=name,
                     branch_id=bank.branch_id, born_on=born, country=country)
    return c.customer_id


def hits_of(ctx, customer_id: int) -> list[HitDTO]:
    return [h for h in ctx.read(sanctions_review.list_hits, SYSTEM, status=None)
            if h.customer_id == customer_id]


def created_with_hit(bank, name: str, born: date | None = None) -> tuple[int, HitDTO]:
    """A customer created while a list is active, matching one entry: the screening at creation
    stores the hit and counts it on the customer DTO, before any screen_customer call."""
    c = bank.ctx.run(customers.create_customer, SYSTEM, kind="person", full_name=name,
                     branch_id=bank.branch_id, born_on=born)
    assert c.sanctions_hits == 1
    (hit,) = hits_of(bank.ctx, c.customer_id)
    assert hit.status == "open"
    return c.customer_id, hit


def test_import_real_lists_counts_and_reimport(ctx, real_data):
    seen: list[str] = []
    r = ctx.run(sanctions_import.import_list, SYSTEM, files=[str(real_data / "ofac/sdn.csv")],
                progress=lambda stage, done, total: seen.append(stage), rescreen=False)
    assert (r.list_code, r.entry_count, r.added, r.removed) == ("ofac", 8976, 8976, 0)
    assert "store entries" in seen
    u = load(ctx, real_data / "un/UN_consolidated.xml")
    assert (u.list_code, u.entry_count) == ("un", 1003)
    again = load(ctx, real_data / "ofac/sdn.csv", real_data / "ofac/alt.csv",
                 real_data / "ofac/add.csv")
    assert (again.added, again.removed, again.changed, again.unchanged) == (0, 0, 0, 8976)
    versions = {v.version_id: v.status for v in ctx.read(sanctions_import.list_versions, SYSTEM)}
    assert versions == {r.version_id: "superseded", u.version_id: "active",
                        again.version_id: "active"}
    hits = ctx.read(sanctions.screen_party, SYSTEM, name="Ayman al Zawahiri",
                    birth_date=date(1951, 6, 19))
    assert {h.list_code for h in hits} == {"ofac", "un"} and hits[0].score == 1.0


def test_eu_sample_import_and_screen(ctx):
    r = load(ctx, EU_SAMPLE)
    assert (r.list_code, r.entry_count) == ("eu", 3)
    hits = ctx.read(sanctions.screen_party, SYSTEM, name="Иван Тестовский", kind="person")
    assert hits and hits[0].external_id == "9001"


def test_version_diff(ctx, tmp_path):
    v1 = load(ctx, watchlist(tmp_path, "A,person,Alpha Person,,,,,,\nB,person,Beta Person,,,,,,\n"
                             "C,entity,Gamma Corp,,,,,,\n", "v1.csv"))
    v2 = load(ctx, watchlist(tmp_path, "A,person,Alpha Person,,,,,,\nB,person,Beta Persson,,,,,,"
                             "\nD,entity,Delta Corp,,,,,,\n", "v2.csv"))
    assert (v2.added, v2.removed, v2.changed, v2.unchanged) == (1, 1, 1, 1)
    diff = ctx.read(sanctions_import.version_diff, SYSTEM, version_id=v2.version_id)
    assert (diff.previous_version_id, diff.added, diff.removed, diff.changed) == (
        v1.version_id, ("D",), ("C",), ("B",))
    assert diff.names == {"D": "Delta Corp", "C": "Gamma Corp", "B": "Beta Persson"}


@pytest.mark.parametrize("bad", ["empty", "truncated", "encoding", "wrong_type", "bad_row"])
def test_rejected_file_keeps_previous_version(ctx, tmp_path, bad):
    good = load(ctx, WATCHLIST)
    entries, audits = count(ctx, SanctionsEntry), count(ctx, AuditEvent)
    p = tmp_path / "bad.csv"
    text = WATCHLIST.read_text(encoding="utf-8")
    p.write_bytes({"empty": b"", "truncated": text[:-30].encode() + b'"unterminated',
                   "encoding": text.replace("Gregor", "Grégor").encode("latin-1"),
                   "wrong_type": EU_SAMPLE.read_bytes(),
                   "bad_row": (text + "W-9,person,,,,,,,\n").encode()}[bad])
    with pytest.raises(errors.DomainError) as info:
        ctx.run(sanctions_import.import_list, SYSTEM, files=[str(p)], list_code="internal")
    assert bad == "empty" or "line" in str(info.value)
    assert (count(ctx, SanctionsEntry), count(ctx, AuditEvent)) == (entries, audits)
    active = [v for v in ctx.read(sanctions_import.list_versions, SYSTEM) if v.status == "active"]
    assert [v.version_id for v in active] == [good.version_id]
    assert ctx.read(sanctions.screen_party, SYSTEM, name="Gregor Mallory")


@pytest.mark.parametrize("name", ["", "  ", "?!.,", "A" * 5000])
def test_bad_names_store_nothing(bank, name):
    load(bank.ctx, WATCHLIST)
    audits = count(bank.ctx, AuditEvent)
    with pytest.raises(errors.InvalidScreeningName):
        bank.ctx.run(sanctions.screen_party, TELLER, name=name)
    assert count(bank.ctx, AuditEvent) == audits


def test_permissions(bank):
    load(bank.ctx, WATCHLIST)
    with pytest.raises(errors.PermissionDenied):
        bank.ctx.run(sanctions_import.import_list, TELLER, files=[str(WATCHLIST)])
    with pytest.raises(errors.PermissionDenied):
        bank.ctx.read(sanctions.screen_party, CHECKER, name="Gregor Mallory")
    assert bank.ctx.run(sanctions.screen_party, TELLER, name="Gregor Mallory")


def test_no_lists_loaded(bank):
    with pytest.raises(errors.NoActiveLists):
        bank.ctx.read(sanctions.screen_party, SYSTEM, name="Gregor Mallory")


def test_false_positive_suppressed_until_customer_or_entry_changes(bank, tmp_path):
    ctx = bank.ctx
    load(ctx, watchlist(tmp_path, "Z1,person,Quentin Abelard Marius Zarkowski,,1960,,,,\n",
                        "v1.csv"))
    cid, hit = created_with_hit(bank, "Quentin Zarkowski")
    assert hit.score <= limits.SANCTIONS_STRONG_HIT_SCORE  # weak enough for one reviewer
    done = ctx.run(sanctions_review.decide_hit, MAKER, hit_id=hit.hit_id,
                   decision="false_positive", reason="different person, met in branch")
    assert done.status == "false_positive" and done.decided_by == "maker"
    again = ctx.run(sanctions.screen_customer, SYSTEM, customer_id=cid)
    assert (again.new_hits, again.suppressed) == ((), 1)
    other, _ = created_with_hit(bank, "Quentin Zarkowski")  # another customer: not covered
    second = ctx.run(sanctions.screen_customer, SYSTEM, customer_id=other)
    assert (second.new_hits, second.still_open, second.suppressed) == ((), 1, 0)
    # the customer changes (KYC update of the country): the pair is screened afresh
    ctx.run(lambda uow: setattr(uow.session.get(Customer, cid), "country", "PL"), SYSTEM)
    fresh = ctx.run(sanctions.screen_customer, SYSTEM, customer_id=cid)
    assert len(fresh.new_hits) == 1 and fresh.suppressed == 0
    ctx.run(sanctions_review.decide_hit, MAKER, hit_id=fresh.new_hits[0].hit_id,
            decision="false_positive", reason="still not him")
    assert ctx.run(sanctions.screen_customer, SYSTEM, customer_id=cid).suppressed == 1
    # the entry changes (a new list version with a new birth date): the hit comes back
    load(ctx, watchlist(tmp_path, "Z1,person,Quentin Abelard Marius Zarkowski,,1961,,,,\n",
                        "v2.csv"))
    assert len(ctx.run(sanctions.screen_customer, SYSTEM, customer_id=cid).new_hits) == 1


def test_open_hit_not_duplicated(bank):
    load(bank.ctx, WATCHLIST)
    cid, hit = created_with_hit(bank, "Greg Mallory")
    for _ in range(2):  # screening again, twice, finds the hit from creation still open
        again = bank.ctx.run(sanctions.screen_customer, SYSTEM, customer_id=cid)
        assert (again.new_hits, again.still_open, again.suppressed) == ((), 1, 0)
    assert [h.hit_id for h in hits_of(bank.ctx, cid)] == [hit.hit_id]


def test_strong_hit_needs_second_person(bank):
    ctx = bank.ctx
    load(ctx, WATCHLIST)
    cid, hit = created_with_hit(bank, "Gregor Fraudulent Mallory", born=date(1970, 5, 17))
    assert hit.score > limits.SANCTIONS_STRONG_HIT_SCORE
    pending = ctx.run(sanctions_review.decide_hit, MAKER, hit_id=hit.hit_id,
                      decision="false_positive", reason="namesake, other passport")
    assert (pending.status, pending.requested_by) == ("pending_clear", "maker")
    with pytest.raises(errors.SelfApproval):
        ctx.run(sanctions_review.approve_clear, MAKER, hit_id=hit.hit_id)
    with pytest.raises(errors.PermissionDenied):
        ctx.run(sanctions_review.approve_clear, TELLER, hit_id=hit.hit_id)
    done = ctx.run(sanctions_review.approve_clear, CHECKER, hit_id=hit.hit_id)
    assert (done.status, done.decided_by) == ("false_positive", "checker")
    with pytest.raises(errors.HitNotOpen):
        ctx.run(sanctions_review.approve_clear, CHECKER, hit_id=hit.hit_id)
    assert ctx.run(sanctions.screen_customer, SYSTEM, customer_id=cid).suppressed == 1


def test_rejected_clear_goes_back_to_open(bank):
    load(bank.ctx, WATCHLIST)
    _, hit = created_with_hit(bank, "Gregor Fraudulent Mallory")
    bank.ctx.run(sanctions_review.decide_hit, MAKER, hit_id=hit.hit_id,
                 decision="false_positive", reason="looks different")
    back = bank.ctx.run(sanctions_review.reject_clear, CHECKER, hit_id=hit.hit_id,
                        reason="same passport number")
    assert back.status == "open" and back.requested_by is None


def test_true_match_freezes_accounts_and_opens_case(bank):
    ctx = bank.ctx
    load(ctx, WATCHLIST)
    acc = bank.customer_account(name="Zelda Quintessa Moneylaunder", deposit_minor=5_000)
    owner = ctx.read(lambda uow: uow.session.get(Account, acc).customer_id, SYSTEM)
    (hit,) = hits_of(ctx, owner)  # stored by the screening when the customer was created
    assert hit.status == "open" and hit.external_id == "W-003"
    with pytest.raises(errors.InvalidInput):
        ctx.run(sanctions_review.decide_hit, MAKER, hit_id=hit.hit_id, decision="true_match",
                reason="  ")
    done = ctx.run(sanctions_review.decide_hit, MAKER, hit_id=hit.hit_id,
                   decision="true_match", reason="passport matches")
    assert done.status == "true_match"
    assert count(ctx, Account, Account.id == acc, Account.status == "frozen") == 1
    assert count(ctx, ComplianceCase, ComplianceCase.hit_id == hit.hit_id) == 1
    actions = ctx.read(lambda uow: uow.session.execute(
        select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all(), SYSTEM)
    assert actions[-2:] == ["accounts.status", "sanctions.decide_hit"]
    with pytest.raises(errors.HitNotOpen):
        ctx.run(sanctions_review.decide_hit, MAKER, hit_id=hit.hit_id,
                decision="false_positive", reason="changed my mind")
    detail = ctx.read(sanctions_review.get_hit, MAKER, hit_id=hit.hit_id)
    assert detail.entry.external_id == "W-003" and detail.hit.customer_name.startswith("Zelda")


def test_batch_rescreen_is_resumable(bank):
    ctx = bank.ctx
    ids = [customer(bank, n) for n in ("Greg Mallory", "Ada Lovelace", "Phantom Shell",
                                       "Alan Turing", "Zelda Moneylaunder")]
    r = ctx.run(sanctions_import.import_list, SYSTEM, files=[str(WATCHLIST)])
    assert r.rescreen_run_id is not None
    first = ctx.run(sanctions_batch.rescreen_step, SYSTEM, run_id=r.rescreen_run_id, batch=2)
    assert (first.status, first.processed, first.cursor_customer_id) == ("running", 2, ids[1])
    seen = []
    final = sanctions_batch.rescreen_all(ctx, SYSTEM, batch=2, progress=seen.append)
    assert final.run_id == r.rescreen_run_id and final.status == "done"
    assert final.processed == 5 and final.total_customers == 5
    hits = count(ctx, ScreeningHit, ScreeningHit.run_id == final.run_id)
    assert hits == final.hits_found >= 2
    assert len(ctx.read(sanctions_review.list_hits, MAKER)) == hits


def test_index_follows_activation(bank, tmp_path):
    load(bank.ctx, watchlist(tmp_path, "A,person,Xavier Quillfeather,,,,,,\n", "v1.csv"))
    assert bank.ctx.read(sanctions.screen_party, SYSTEM, name="Xavier Quillfeather")
    load(bank.ctx, watchlist(tmp_path, "B,person,Yolanda Brightwater,,,,,,\n", "v2.csv"))
    assert bank.ctx.read(sanctions.screen_party, SYSTEM, name="Xavier Quillfeather") == []
    assert bank.ctx.read(sanctions.screen_party, SYSTEM, name="Yolanda Brightwater")
