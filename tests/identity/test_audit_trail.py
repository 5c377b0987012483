"""Audit queries for the viewer screen, chain status, exports (CSV, PDF) and refusals audited."""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest

from app.cli import main
from core import errors
from core.services import audit_trail, customers, identity
from core.services.authz import SYSTEM


def test_query_filters_and_keyset_pages(idbank):
    for n in range(7):
        idbank.advance(1)
        idbank.ctx.run(customers.create_customer, SYSTEM, kind="person",
                       full_name=f"Customer {chr(65 + n)}", branch_id=idbank.hq)
    auditor = idbank.actor("compliance_officer")
    seen, before = [], None
    while True:
        page = idbank.ctx.read(audit_trail.query_events, auditor, action="customers.create",
                               before_id=before, limit=3)
        seen += [e.event_id for e in page.rows]
        if page.next_before_id is None:
            break
        before = page.next_before_id
    assert len(seen) == 7 and seen == sorted(seen, reverse=True)  # newest first, no repeats
    users = idbank.ctx.read(audit_trail.query_events, auditor, action="users.")
    assert {e.action for e in users.rows} == {"users.create"}
    logins = idbank.ctx.read(audit_trail.query_events, auditor, user="compliance.officer",
                             action="auth.login")
    assert {(e.actor, e.entity_type) for e in logins.rows} == {("compliance.officer", "user")}
    window = idbank.ctx.read(audit_trail.query_events, auditor, action="customers.create",
                             date_from=idbank.clock.now() - timedelta(seconds=90),
                             date_to=idbank.clock.now() + timedelta(seconds=1))
    assert [e.action for e in window.rows] == ["customers.create"] * 2
    one = window.rows[0]
    by_entity = idbank.ctx.read(audit_trail.query_events, auditor,
                                entity_type="customer", entity_id=one.entity_id)
    assert [e.event_id for e in by_entity.rows] == [one.event_id]
    with pytest.raises(errors.PermissionDenied):
        idbank.ctx.read(audit_trail.query_events, idbank.actor("teller"))


def test_chain_status_and_verify_service(idbank):
    auditor = idbank.actor("compliance_officer")
    status = idbank.ctx.read(audit_trail.chain_status, auditor)
    verified = idbank.ctx.read(audit_trail.verify_chains, auditor)
    assert [s.chain_id for s in status] == ["test-ws"]
    assert status[0].events_checked == status[0].head_seq == verified[0].events_checked
    assert verified[0].problem is None


def test_export_csv_and_pdf(idbank, db_url, tmp_path, capsys):
    out_csv, out_pdf = tmp_path / "audit.csv", tmp_path / "audit.pdf"
    idbank.login("teller")
    with pytest.raises(errors.AuthenticationFailed):
        idbank.login("teller", "Wrong-Passw0rd!")
    assert main(["audit", "export", "--url", db_url, "--format", "csv", "--from", "2026-12-04",
                 "--to", "2026-12-04", "--out", str(out_csv)]) == 0
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    assert rows and rows[0]["action"] == "setup.init_bank"
    assert {"users.create", "auth.login", "auth.change_password"} <= {r["action"] for r in rows}
    assert main(["audit", "export", "--url", db_url, "--format", "pdf", "--out",
                 str(out_pdf)]) == 0
    assert out_pdf.read_bytes().startswith(b"%PDF") and out_pdf.stat().st_size > 3000
    assert main(["audit", "export", "--url", db_url, "--format", "csv", "--from", "2027-01-01",
                 "--out", str(out_csv)]) == 0
    assert list(csv.DictReader(out_csv.open(encoding="utf-8"))) == []
    assert idbank.audit_count("audit.export") == 3  # exporting is itself audited
    assert main(["audit", "verify", "--url", db_url]) == 0
    capsys.readouterr()


def test_refused_admin_action_is_audited_and_changes_nothing(idbank):
    teller = idbank.actor("teller")
    with pytest.raises(errors.PermissionDenied):
        idbank.ctx.run(identity.change_role, teller, username="teller", role="administrator")
    events = idbank.ctx.read(audit_trail.query_events, SYSTEM, action="authz.denied")
    assert len(events.rows) == 1
    e = events.rows[0]
    assert e.actor == "teller" and e.outcome == "refused" and "users.change_role" in e.payload
    assert idbank.ctx.read(identity.get_user, SYSTEM, username="teller").role == "teller"
