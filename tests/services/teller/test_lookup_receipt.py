"""Customer lookup by each field, the account view, and receipts (PDF text, DUPLICATE)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import update

from core import errors
from core.models.customers import Customer
from core.reports.receipt import render_receipt
from core.services import accounts, customers
from core.services.authz import SYSTEM
from core.services.teller import lookup, movements, receipts, tills, transactions
from tests.services.teller.conftest import HANA, TINA, TOM, key


def _customer(bank, name, phone, national_id, kyc=None):
    c = bank.ctx.run(customers.create_customer, SYSTEM, kind="person", full_name=name,
                     branch_id=bank.branch_id, phone=phone, national_id=national_id)
    acc = bank.ctx.run(accounts.open_account, SYSTEM, customer_id=c.customer_id, currency="USD")
    if kyc:
        with bank.ctx.engine.begin() as conn:
            conn.execute(update(Customer).where(Customer.id == c.customer_id)
                         .values(kyc_expires_on=kyc))
    return c, acc


def test_search_finds_by_each_field(bank):
    ada, ada_acc = _customer(bank, "Ada Lovelace", "+44 20 7946-0018", "AB-123456")
    _customer(bank, "José Núñez", "+34 91 555 0101", "X1234567L")
    for n in range(5):
        _customer(bank, f"Lola Adams {n}", f"+1 555 010{n}", f"ZZ{n}")

    def find(q, **kw):
        return bank.ctx.read(lookup.search_customers, TINA, query=q, **kw)

    assert [h.full_name for h in find("ada lov").hits] == ["Ada Lovelace"]
    assert {h.full_name for h in find("lov").hits} == {"Ada Lovelace"}
    assert [h.full_name for h in find("jose nu").hits] == ["José Núñez"]  # accents folded
    by_phone = find("4420794")
    assert [(h.full_name, h.matched_on) for h in by_phone.hits] == [("Ada Lovelace", "phone")]
    by_id = find("ab123")
    assert [(h.full_name, h.matched_on) for h in by_id.hits] == [("Ada Lovelace", "id")]
    by_acc = find(ada_acc.number[:7])
    assert ("Ada Lovelace", "account", ada_acc.number) in {
        (h.full_name, h.matched_on, h.account_number) for h in by_acc.hits}
    assert find("a").hits == ()  # too short to be useful while typing
    # Keyset pages: 5 Adams two at a time, no repeats.
    seen, cursor = [], None
    for _ in range(5):
        page = find("adams", limit=2, cursor=cursor)
        seen += [h.customer_id for h in page.hits]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5
    seen, cursor = [], None
    for _ in range(5):
        page = find("1555", limit=2, cursor=cursor)
        seen += [h.customer_id for h in page.hits if h.matched_on == "phone"]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5
    nobody = type(TINA)("x", role="clerk")
    with pytest.raises(errors.PermissionDenied):
        bank.ctx.read(lookup.search_customers, nobody, query="ada")
    assert ada.customer_id


def test_account_view_warnings_and_media(bank):
    c, acc = _customer(bank, "Grace Hopper", "555", "GH1", kyc=date(2020, 1, 1))
    bank.ctx.run(lookup.set_customer_media, SYSTEM, customer_id=c.customer_id,
                 photo=b"\x89PNG-photo", signature=b"\x89PNG-sig")
    bank.ctx.run(accounts.set_status, SYSTEM, account_id=acc.account_id, status="frozen",
                 reason="court order")
    view = bank.ctx.read(lookup.account_view, TINA, account_id=acc.account_id)
    assert view.warnings == ("frozen", "kyc_expired")
    assert view.photo == b"\x89PNG-photo" and view.signature == b"\x89PNG-sig"
    assert view.customer.full_name == "Grace Hopper" and view.holds == ()


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_receipt_pdf_and_duplicate(desk, tmp_path):
    sess = desk.ctx.run(tills.open_session, TINA, till_id=desk.till_id, counted={})
    m = desk.ctx.run(movements.send_cash, HANA, idempotency_key=key("v"), currency="USD",
                     amount_minor=500_000, to_till_id=desk.till_id)
    desk.ctx.run(movements.confirm_cash, TINA, idempotency_key=key("c"), movement_id=m.movement_id)
    _, acc = _customer(desk.bank, "Ada Lovelace", "1", "A1")
    desk.ctx.run(transactions.cash_deposit, TINA, idempotency_key=key(), session_id=sess.session_id,
                 account_id=acc.account_id, amount_minor=123_450, currency="USD")
    tx = desk.ctx.run(transactions.cash_withdrawal, TINA, idempotency_key=key(),
                      session_id=sess.session_id, account_id=acc.account_id,
                      amount_minor=20_005, currency="USD")
    first = desk.ctx.run(receipts.print_receipt, TINA, transaction_id=tx.transaction_id)
    pdf = render_receipt(first)
    (tmp_path / "receipt.pdf").write_bytes(pdf)
    text = _pdf_text(pdf)
    for expected in ("Test Bank", "Head office", "CASH WITHDRAWAL", "tina", tx.reference,
                     "200.05 USD", "Two hundred and 05/100 USD", "*******" + acc.number[-4:]):
        assert expected in text, expected
    assert acc.number not in text and "DUPLICATE" not in text
    second = desk.ctx.run(receipts.print_receipt, TINA, transaction_id=tx.transaction_id)
    assert second.copy_no == 2 and "DUPLICATE" in _pdf_text(render_receipt(second))
    with pytest.raises(errors.PermissionDenied):  # another teller's receipt needs view_branch
        desk.ctx.run(receipts.print_receipt, TOM, transaction_id=tx.transaction_id)


def test_name_search_pages_past_the_scan_window(bank, monkeypatch):
    """PostgreSQL looks at a window of customers first, then the trigram index: same answers."""
    from core import limits

    monkeypatch.setattr(limits, "SEARCH_SCAN_WINDOW_ROWS", 2)
    names = ["Bob Stone", "Carl Stone", "Ada Adams", "Dan Stone", "Eve Stone", "Ada Lovelace",
             "Adam Smith"]
    ids = {name: _customer(bank, name, str(i), f"Q{i}")[0].customer_id
           for i, name in enumerate(names)}

    def all_pages(q):
        found, cursor = [], None
        for _ in range(20):
            page = bank.ctx.read(lookup.search_customers, TINA, query=q, limit=2, cursor=cursor)
            found += [h.customer_id for h in page.hits if h.matched_on == "name"]
            cursor = page.next_cursor
            if cursor is None:
                return found
        raise AssertionError("paging did not end")

    assert all_pages("lovelace") == [ids["Ada Lovelace"]]
    assert all_pages("ada") == [ids["Ada Adams"], ids["Ada Lovelace"], ids["Adam Smith"]]
    assert all_pages("ad") == [ids["Ada Adams"], ids["Ada Lovelace"], ids["Adam Smith"]]
    assert all_pages("stone") == [ids[n] for n in names if n.endswith("Stone")]
