"""The teller receipt as a PDF (reportlab), 80 mm wide like a receipt printer's roll.

Bank, branch, teller, date and time, masked account numbers, amount in figures and words,
reference and a QR code of the reference (drawn as vector squares from qrcode's matrix, so it
stays sharp on any printer). Every print after the first carries DUPLICATE across the top.
"""

from __future__ import annotations

import io
import textwrap

import qrcode
from reportlab.lib.colors import HexColor, black
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from core import money
from core.reports.amount_words import amount_words
from core.services.teller.dto import ReceiptDTO

PAGE_W = 80 * mm
PAGE_H = 400 * mm  # scratch height for measuring; the page is cut to the content
MARGIN = 5 * mm
TITLES = {"deposit": "CASH DEPOSIT", "withdrawal": "CASH WITHDRAWAL", "transfer": "TRANSFER"}
_GREY = HexColor("#555555")


def _qr(c: Canvas, data: str, x: float, y: float, size: float) -> None:
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    cell = size / len(matrix)
    c.setFillColor(black)
    for row_no, row in enumerate(matrix):
        for col_no, dark in enumerate(row):
            if dark:
                c.rect(x + col_no * cell, y + size - (row_no + 1) * cell, cell, cell,
                       stroke=0, fill=1)


class _Writer:
    """A cursor down the page: label/value rows and centred lines."""

    def __init__(self, c: Canvas, top: float) -> None:
        self.c = c
        self.y = top

    def centre(self, text: str, font: str = "Helvetica", size: float = 9, gap: float = 4.2) -> None:
        self.y -= gap * mm
        self.c.setFont(font, size)
        self.c.drawCentredString(PAGE_W / 2, self.y, text)

    def row(self, label: str, value: str, bold: bool = False) -> None:
        self.y -= 4.6 * mm
        self.c.setFont("Helvetica", 8)
        self.c.setFillColor(_GREY)
        self.c.drawString(MARGIN, self.y, label)
        self.c.setFillColor(black)
        self.c.setFont("Helvetica-Bold" if bold else "Helvetica", 9 if bold else 8.5)
        self.c.drawRightString(PAGE_W - MARGIN, self.y, value)

    def rule(self) -> None:
        self.y -= 2.8 * mm
        self.c.setDash(1, 2)
        self.c.line(MARGIN, self.y, PAGE_W - MARGIN, self.y)
        self.c.setDash()

    def wrapped(self, text: str, width_chars: int = 44, size: float = 8.5) -> None:
        for line in textwrap.wrap(text, width_chars):
            self.centre(line, "Helvetica-Oblique", size, gap=3.8)


def _draw(c: Canvas, r: ReceiptDTO, top: float) -> float:
    """Draw the receipt from `top` down; returns the lowest y used."""
    w = _Writer(c, top)
    if r.duplicate:
        w.centre("DUPLICATE", "Helvetica-Bold", 16, gap=8)
        c.rect(MARGIN + 8 * mm, w.y - 2.2 * mm, PAGE_W - 2 * MARGIN - 16 * mm, 8.5 * mm)
        w.centre(f"copy {r.copy_no}, printed {r.printed_at:%Y-%m-%d %H:%M} UTC", size=7, gap=6)
    w.centre(r.bank_name, "Helvetica-Bold", 12, gap=6)
    w.centre(r.branch_name, size=9)
    w.rule()
    w.centre(TITLES.get(r.kind, r.kind.upper()), "Helvetica-Bold", 11, gap=6)
    if r.reversed:
        w.centre("REVERSED", "Helvetica-Bold", 10)
    w.rule()
    w.row("Date", f"{r.transacted_at:%Y-%m-%d %H:%M:%S} UTC")
    w.row("Business date", r.business_date.isoformat())
    w.row("Teller", r.teller)
    w.row("Reference", r.reference)
    w.row("From account" if r.kind == "transfer" else "Account", r.account_masked)
    if r.counter_account_masked:
        w.row("To account", r.counter_account_masked)
    w.rule()
    fmt = lambda minor: f"{money.format_minor(minor, r.currency)} {r.currency}"  # noqa: E731
    w.row("Amount", fmt(r.amount_minor), bold=True)
    if r.fee_minor:
        w.row("Fee", fmt(r.fee_minor))
        if r.kind == "deposit":
            w.row("Credited to account", fmt(r.amount_minor - r.fee_minor))
        else:
            w.row("Debited from account", fmt(r.amount_minor + r.fee_minor))
    w.y -= 1.5 * mm
    w.wrapped(amount_words(r.amount_minor, r.currency))
    w.rule()
    size = 30 * mm
    w.y -= size + 3 * mm
    _qr(c, r.reference, (PAGE_W - size) / 2, w.y, size)
    w.centre(r.reference, "Courier", 8, gap=3.5)
    w.centre("Thank you. Please keep this receipt.", size=7.5, gap=6)
    return w.y


def render_receipt(r: ReceiptDTO) -> bytes:
    """The receipt as PDF bytes; the page is as long as its content, like a cut roll."""
    used = PAGE_H - _draw(Canvas(io.BytesIO(), pagesize=(PAGE_W, PAGE_H)), r, PAGE_H)
    height = used + 2 * MARGIN
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(PAGE_W, height))
    c.setTitle(f"Receipt {r.reference}" + (" DUPLICATE" if r.duplicate else ""))
    c.setAuthor(r.bank_name)
    _draw(c, r, height - MARGIN)
    c.showPage()
    c.save()
    return buf.getvalue()
