"""Printing a rendered report: on a worker thread with progress and cancel, and a preview.

The old way painted each page on the UI thread as one colour image at the printer's
full resolution (1200 dpi: the window froze for about 20 seconds and three pages made a
21 MB job). Now:

- A printer that writes a PDF file (Qt's "Print to File (PDF)") gets the report's own
  PDF: vector text, the text layer, bookmarks and all. With a password (the dialog's
  "Protect with a password") it is encrypted in memory first, exactly as Save does, so
  printing to a file never writes a plain copy of a protected export.
- Any other printer gets each page as a 300 dpi greyscale image (a summary is black on
  white; greyscale is a quarter of the data of colour), scaled to the printable page.
- It runs on the runner's worker (Qt allows painting on a QPrinter from another thread);
  the progress callback reports each page and raises ``Cancelled`` when the user
  cancels, which aborts the job.
- ``preview_dialog`` opens Qt's print preview (QPrintPreviewDialog) on the same pages.
  Qt paints a preview (and prints from its Print button) on the UI thread through
  `paintRequested`; a few pages at 300 dpi greyscale take well under a second each.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from groupleader.errors import GroupLeaderError
from groupleader.ui.runner import Cancelled, Progress

PRINT_DPI = 300


def _no_progress(_done: int, _total: int) -> None:
    return None


def _load(data: bytes) -> tuple[QPdfDocument, QBuffer]:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise GroupLeaderError("The document could not be prepared for printing. Try again.")
    return document, buffer  # the buffer must live as long as the document


def takes_pdf(printer: QPrinter) -> bool:
    """The printer writes a PDF file: give it the report's own PDF."""
    return (printer.outputFormat() == QPrinter.OutputFormat.PdfFormat
            and bool(printer.outputFileName()))


def print_pdf(data: bytes, printer: QPrinter, progress: Progress = _no_progress,
              vault_path: Path | None = None, password: str | None = None) -> int:
    """Print `data` (the report's PDF bytes) to `printer`; returns the pages printed.

    `password` applies only when the printer writes a file: that file is encrypted with
    it (AES-256). Paper needs none.
    """
    if takes_pdf(printer):
        from groupleader.data.outputs import Kind, check_destination
        from groupleader.report.pdf_output import finish_pdf, write_pdf

        document, _buffer = _load(data)
        count = document.pageCount()
        dest = check_destination(Path(printer.outputFileName()), Kind.PDF,
                                 vault_path=vault_path, replace=True)
        progress(0, count)
        write_pdf(dest, finish_pdf(data, password))
        progress(count, count)
        return count
    return paint_pages(data, printer, progress)


def paint_pages(data: bytes, printer: QPrinter, progress: Progress = _no_progress,
                dpi: int = PRINT_DPI) -> int:
    """Paint every page as a `dpi` greyscale image into `printer`, page by page."""
    document, _buffer = _load(data)
    count = document.pageCount()
    printer.setResolution(dpi)
    printer.setColorMode(QPrinter.ColorMode.GrayScale)
    painter = QPainter()
    if not painter.begin(printer):
        raise GroupLeaderError("The printer could not be started. Check it and try again.")
    try:
        for i in range(count):
            progress(i, count)  # raises Cancelled once the user cancelled
            if i and not printer.newPage():
                raise GroupLeaderError("The printer stopped taking pages. Check it and "
                                       "try again.")
            _paint_page(painter, document, i, dpi)
        progress(count, count)
    except Cancelled:
        printer.abort()
        raise
    finally:
        painter.end()
    return count


def page_image(document: QPdfDocument, index: int, dpi: int) -> QImage:
    """Page `index` as a greyscale image at `dpi`, black on white. (QtPdf renders onto a
    transparent background, which a plain conversion to greyscale turns black.)"""
    points = document.pagePointSize(index)
    pixels = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
    rendered = document.render(index, pixels)
    page = QImage(rendered.size(), QImage.Format.Format_RGB32)
    page.fill(Qt.GlobalColor.white)
    painter = QPainter(page)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return page.convertToFormat(QImage.Format.Format_Grayscale8)


def _paint_page(painter: QPainter, document: QPdfDocument, index: int, dpi: int) -> None:
    image = page_image(document, index, dpi)
    target = painter.viewport()
    scale = min(target.width() / image.width(), target.height() / image.height())
    width, height = image.width() * scale, image.height() * scale
    painter.drawImage(QRectF((target.width() - width) / 2, (target.height() - height) / 2,
                             width, height), image)


def print_work(data: bytes, printer: QPrinter, vault_path: Path | None,
               password: str | None = None) -> Callable[[Progress], int]:
    """The print job as work for the runner's worker."""

    def work(progress: Progress) -> int:
        return print_pdf(data, printer, progress, vault_path, password)

    return work


def preview_dialog(data: bytes, printer: QPrinter, parent: Any = None) -> Any:
    """Qt's print preview of `data`; its Print button prints on the UI thread through
    the same painting (the preview's printer is already open by then)."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle("Print preview")
    dialog.printer_kept = printer  # type: ignore[attr-defined]  # the dialog keeps a pointer
    dialog.paintRequested.connect(lambda p: paint_pages(data, p))
    return dialog
