"""The receipt after a transaction: the PDF (core/reports/receipt.py) shown on screen and
printed through the Qt print dialog, each page rendered by QtPdf onto the printer."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt, Slot
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.services.teller.dto import ReceiptDTO

PREVIEW_DPI = 110
POINTS_PER_INCH = 72


class PdfPages:
    """A PDF held in memory (the buffer must outlive the document)."""

    def __init__(self, pdf: bytes) -> None:
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.doc = QPdfDocument()
        self.doc.load(self._buffer)

    @property
    def count(self) -> int:
        return self.doc.pageCount()

    def image(self, page: int, dpi: float) -> QImage:
        points = self.doc.pagePointSize(page)
        size = QSize(round(points.width() * dpi / POINTS_PER_INCH),
                     round(points.height() * dpi / POINTS_PER_INCH))
        return self.doc.render(page, size)

    def text(self) -> str:
        return "\n".join(self.doc.getAllText(p).text() for p in range(self.count))


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Draw every page onto the printer, scaled into its printable area; returns the pages."""
    pages = PdfPages(pdf)
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        area = printer.pageLayout().paintRectPixels(printer.resolution())
        for page in range(pages.count):
            if page:
                printer.newPage()
            image = pages.image(page, printer.resolution())
            scale = min(area.width() / image.width(), area.height() / image.height(), 1.0)
            target = QRectF(0, 0, image.width() * scale, image.height() * scale)
            target.moveLeft((area.width() - target.width()) / 2)
            painter.drawImage(target, image)
    finally:
        painter.end()
    return pages.count


class ReceiptDialog(QDialog):
    """Preview and print. `printer_factory` (tests, a fixed printer) skips the print dialog."""

    def __init__(self, receipt: ReceiptDTO, pdf: bytes, parent: QWidget | None = None,
                 printer_factory: Callable[[], QPrinter] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiptDialog")
        self.receipt = receipt
        self.pdf = pdf
        self.printed_pages = 0
        self._printer_factory = printer_factory
        title = self.tr("Receipt %1").replace("%1", receipt.reference)
        if receipt.duplicate:
            title += " — " + self.tr("DUPLICATE")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        pages = PdfPages(pdf)
        preview = QLabel(objectName="receiptPreview")
        preview.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        if pages.count:
            preview.setPixmap(QPixmap.fromImage(pages.image(0, PREVIEW_DPI)))
        scroll = QScrollArea()
        scroll.setWidget(preview)
        scroll.setWidgetResizable(True)
        scroll.setMinimumSize(380, 520)
        layout.addWidget(scroll)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = QPushButton(self.tr("Print…"), objectName="receiptPrint")
        self.print_button.setDefault(True)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self._on_print)
        layout.addWidget(buttons)

    @Slot()
    def _on_print(self) -> None:
        if self._printer_factory is not None:
            printer = self._printer_factory()
        else:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setDocName(self.windowTitle())
            dialog = QPrintDialog(printer, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
        self.printed_pages = print_pdf(self.pdf, printer)
