"""Build a report PDF in memory, optionally encrypt it, and write it atomically.

- The page template draws the running header, the footer ("Confidential: contains
  protected health information", "Page 2 of 3") and, on a draft, a DRAFT watermark on
  every page. "of N" needs the page count, so pages are laid out first and stamped
  when the document is saved (the usual ReportLab "numbered canvas").
- A summary or extract prints its verification code ("Verify: 7KQ2-M9XD-4FHT-PW3C",
  `groupleader.data.paper_codes`) in the footer of every page.
- Invariant mode: no time stamp and no random id, so the same data gives the same bytes.
- Encryption uses pypdf's AES-256 (PDF 2.0, revision 6) on the bytes in memory, so an
  unencrypted copy of a protected export never touches the disk. (ReportLab's own
  encryption is RC4-40 by default, and its 256-bit output is rejected by common readers.)
- `write_pdf` writes to a hidden temporary name beside the destination, fsyncs and
  renames: a crash leaves no file or the whole file, never half of one.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from groupleader.data.atomic import write_bytes_atomic
from groupleader.errors import InvalidInput
from groupleader.report.bidi import visual
from groupleader.report.fonts import BOLD, REGULAR, register_fonts
from groupleader.report.styles import MUTED, RULE

CONFIDENTIAL = "Confidential: contains protected health information"
PRODUCER = "Group Leader"
DEIDENTIFIED_HEADER = "DE-IDENTIFIED (pseudonymised for supervision)"
MARGIN = 18 * mm
PDF_2_HEADER = b"%PDF-2.0"
VERIFY = "Verify:"  # before the paper's code (groupleader.data.paper_codes.CODE_RE)


@dataclass(frozen=True)
class PdfMeta:
    """The document information dictionary; never a member's name (see collect.py)."""

    title: str
    subject: str
    author: str = ""  # the practice, when given
    header: str = ""  # the running header at the top of each page
    draft: bool = False
    landscape: bool = False
    deidentified: bool = False  # said in the running header of every page
    code: str = ""  # the verification code, in the footer of every page


class _StampingCanvas(Canvas):
    """Keeps each page until the end, then stamps "Page i of n" on all of them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Start pages in the embedded font, so no unembedded Helvetica is referenced.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or REGULAR
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            width = self._pagesize[0]
            self.setFont(REGULAR, 8)
            self.setFillColor(MUTED)
            self.drawRightString(width - MARGIN, 10 * mm, f"Page {number} of {total}")
            Canvas.showPage(self)
        Canvas.save(self)


def _decorate(meta: PdfMeta) -> Any:
    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = doc.pagesize
        canvas.saveState()
        if meta.draft:
            canvas.setFont(BOLD, 110)
            canvas.setFillColor(RULE)
            canvas.setFillAlpha(0.45)
            canvas.translate(width / 2, height / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, -38, "DRAFT")
            canvas.rotate(-45)
            canvas.translate(-width / 2, -height / 2)
            canvas.setFillAlpha(1)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, height - 12 * mm, width - MARGIN, height - 12 * mm)
        canvas.line(MARGIN, 14 * mm, width - MARGIN, 14 * mm)
        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, 8)
        header = visual(meta.header)[:120]
        if meta.deidentified:
            header = f"{DEIDENTIFIED_HEADER} · {header}"[:150]
        canvas.drawString(MARGIN, height - 10.5 * mm, header)
        canvas.setFont(BOLD, 8)
        canvas.drawString(MARGIN, 10 * mm, CONFIDENTIAL)
        if meta.code:
            # One string, so a PDF's text layer reads "Verify: 7KQ2-M9XD-4FHT-PW3C" whole;
            # left of "Page 999 of 999", which the stamping canvas draws at the right.
            canvas.setFont(REGULAR, 8)
            room = canvas.stringWidth("Page 999 of 999", REGULAR, 8) + 14
            canvas.drawRightString(width - MARGIN - room, 10 * mm, f"{VERIFY} {meta.code}")
        canvas.restoreState()

    return on_page


def build_pdf(story: Sequence[Flowable], meta: PdfMeta) -> bytes:
    """Lay out `story` into PDF bytes (reproducible: the same story gives the same bytes)."""
    register_fonts()
    buffer = io.BytesIO()
    pagesize = landscape(A4) if meta.landscape else A4
    doc = BaseDocTemplate(
        buffer, pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=17 * mm, bottomMargin=19 * mm,
        title=meta.title, subject=meta.subject, author=meta.author or PRODUCER,
        creator=PRODUCER, producer=PRODUCER, keywords=[], invariant=True,
        lang="en",
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=_decorate(meta))])
    doc.build(list(story), canvasmaker=_StampingCanvas)
    return buffer.getvalue()


def pdf_password_problem(password: str) -> str | None:
    """Why `password` is too weak to protect a PDF (a sentence for the window or the
    command line), or None. The same rules as the vault's passphrase: a PDF sent by mail
    can be attacked offline for as long as anyone likes, so it is never shorter than the
    vault's minimum (`passphrases.MIN_LENGTH`) nor easier to guess."""
    from groupleader import passphrases

    problem = passphrases.problem_with_new(password, passphrases.user_words())
    if problem is None:
        return None
    return f"The PDF password is too weak. {problem.replace('passphrase', 'password')}"


def check_pdf_password(password: str) -> None:
    """Refuse a weak PDF password with `InvalidInput` (nothing is written)."""
    problem = pdf_password_problem(password)
    if problem is not None:
        raise InvalidInput(problem, "pdf_password")


def encrypt_pdf(data: bytes, password: str) -> bytes:
    """The same document, encrypted with AES-256 (PDF 2.0, revision 6), in memory.

    AES-256 with revision 6 is defined by PDF 2.0 (ISO 32000-2), so the file says
    `%PDF-2.0`; ReportLab writes `%PDF-1.4` and pypdf would keep it.
    """
    from pypdf import PdfReader, PdfWriter

    if not password:
        raise ValueError("an empty password protects nothing")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.pdf_header = PDF_2_HEADER
    writer.encrypt(user_password=password, owner_password=password, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def finish_pdf(data: bytes, password: str | None) -> bytes:
    """Encrypt when a password is given (still in memory); a weak one is refused."""
    if not password:
        return data
    check_pdf_password(password)
    return encrypt_pdf(data, password)


def write_pdf(dest: Path, data: bytes) -> Path:
    """Write the finished bytes atomically: afterwards `dest` is whole or absent."""
    dest = Path(dest)
    write_bytes_atomic(dest, data)
    return dest
