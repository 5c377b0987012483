"""The audit trail as a PDF for auditors: a readable landscape table with page numbers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from core.dto import AuditEventDTO

# A Unicode TrueType font when the system has one (names in any script); else Helvetica (Latin-1)
_FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
    ("/Library/Fonts/Arial Unicode.ttf", "/Library/Fonts/Arial Unicode.ttf"),
)
MAX_DETAIL_CHARS = 400  # a payload longer than this is cut in the PDF (the CSV keeps it whole)
_HEADERS = ("#", "Time (UTC)", "User", "Workstation", "Action", "Record", "Outcome", "Details")
_WIDTHS_MM = (14, 30, 24, 24, 36, 32, 16, 101)


def _details(payload: str) -> str:
    try:
        value = json.loads(payload)
    except ValueError:
        return payload
    if isinstance(value, dict):
        text = "; ".join(f"{k}: {json.dumps(v, ensure_ascii=False, default=str)}"
                         for k, v in value.items())
    else:
        text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_DETAIL_CHARS else text[: MAX_DETAIL_CHARS - 1] + "…"


def _fonts() -> tuple[str, str]:
    for regular, bold in _FONT_CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            try:
                pdfmetrics.registerFont(TTFont("CbsSans", regular))
                pdfmetrics.registerFont(TTFont("CbsSans-Bold", bold))
            except Exception:  # noqa: BLE001 - an unreadable font file: try the next one
                continue
            return "CbsSans", "CbsSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _row(e: AuditEventDTO, cell: ParagraphStyle, alert: ParagraphStyle) -> list[object]:
    def p(text: str, style: ParagraphStyle = cell) -> Paragraph:
        return Paragraph(escape(text), style)

    return [p(str(e.event_id)), p(e.occurred_at.strftime("%Y-%m-%d %H:%M:%S")), p(e.actor),
            p(e.workstation), p(e.action), p(f"{e.entity_type} {e.entity_id}"),
            p(e.outcome, cell if e.outcome == "ok" else alert), p(_details(e.payload))]


def write_pdf(path: Path, events: Sequence[AuditEventDTO], *, bank_name: str, period: str,
              generated_at: datetime, chain_summary: str) -> None:
    styles = getSampleStyleSheet()
    regular, bold = _fonts()
    cell = ParagraphStyle("cell", parent=styles["BodyText"], fontName=regular, fontSize=7,
                          leading=8.5)
    head = ParagraphStyle("head", parent=cell, fontName=bold, textColor=colors.white)
    alert = ParagraphStyle("alert", parent=cell, fontName=bold,
                           textColor=colors.HexColor("#b00020"))
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=12 * mm,
                            rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=14 * mm,
                            title=f"Audit trail {period}", author=bank_name)
    story: list[object] = [
        Paragraph(escape(f"{bank_name}: audit trail"), styles["Title"]),
        Paragraph(escape(f"Period: {period}. Events: {len(events)}. Generated "
                         f"{generated_at:%Y-%m-%d %H:%M} UTC. Chains: {chain_summary}"),
                  styles["Normal"]),
        Spacer(1, 4 * mm),
    ]
    data = [[Paragraph(h, head) for h in _HEADERS]] + [_row(e, cell, alert) for e in events]
    if not events:
        data.append([Paragraph("No events in this period.", cell)] + [""] * 7)
    table = LongTable(data, colWidths=[w * mm for w in _WIDTHS_MM], repeatRows=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f3a5f")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b7c3")),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    style += [("BACKGROUND", (0, i), (-1, i), colors.HexColor("#f2f4f7"))
              for i in range(2, len(data), 2)]
    table.setStyle(TableStyle(style))
    story.append(table)
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)


def _footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 7)
    width = landscape(A4)[0]
    canvas.drawRightString(width - 12 * mm, 7 * mm, f"Page {doc.page}")
    canvas.drawString(12 * mm, 7 * mm, "CBS Python audit export: verify with `cbs audit verify`")
    canvas.restoreState()
