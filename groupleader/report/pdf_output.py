"""Build a report PDF in memory, optionally encrypt it, and write it atomically.

- The page template draws, on every page, the running header (group, session or period
  and date; the markers that apply: DRAFT, DE-IDENTIFIED, CONTAINS PROCESS NOTES; "Printed
  1 Dec 2026 21:35 by Dr. H. Marsh"; an extract's subject; "Page 2 of 3"), the footer
  ("Confidential: contains protected health information") and, on a draft, a DRAFT
  watermark. "of N" needs the page count, so pages are laid out first and stamped when
  the document is saved (the usual ReportLab "numbered canvas").
- Keep rules (`keep.py`) through the document template; every h2 heading and every
  flowable marked with `bookmark` is an outline entry; `/Lang` is read from the text
  (`language.py`).
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
from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
)
from reportlab.platypus.doctemplate import _ktAllow

from groupleader.data.atomic import write_bytes_atomic
from groupleader.errors import InvalidInput
from groupleader.report.fonts import BOLD, REGULAR, register_fonts
from groupleader.report.keep import KeepWithFirstLines
from groupleader.report.language import main_language, story_text
from groupleader.report.model import ReportOptions
from groupleader.report.styles import MUTED, RISK_INK, RULE

CONFIDENTIAL = "Confidential: contains protected health information"
PRODUCER = "Group Leader"
DEIDENTIFIED_HEADER = "DE-IDENTIFIED"  # page 1 says what it means (pseudonymised)
DRAFT = "DRAFT"
PROCESS_NOTES = "CONTAINS PROCESS NOTES"
MARGIN = 18 * mm
PDF_2_HEADER = b"%PDF-2.0"
VERIFY = "Verify:"  # before the paper's code (groupleader.data.paper_codes.CODE_RE)


@dataclass(frozen=True)
class PdfMeta:
    """The document information dictionary; never a member's name (see collect.py)."""

    title: str
    subject: str
    author: str = ""  # the practice, when given
    header: str = ""  # the running header at the top of each page: group, session, date
    draft: bool = False  # a DRAFT watermark and marker on every page
    landscape: bool = False
    deidentified: bool = False  # said in the running header of every page
    code: str = ""  # the verification code, in the footer of every page
    process_notes: bool = False  # "CONTAINS PROCESS NOTES" on every page
    markers: tuple[str, ...] = ()  # more markers for every page ("2 OF 5 NOTES UNSIGNED")
    printed: str = ""  # "Printed 1 Dec 2026 21:35 by Dr. H. Marsh" (see `printed_line`)
    lang: str = ""  # the document's language; "" reads it from the text (`main_language`)
    subject_line: str = ""  # an extract's subject on every page: "Maria Kowalski, born …"

    def all_markers(self) -> tuple[str, ...]:
        out = []
        if self.draft:
            out.append(DRAFT)
        if self.deidentified:
            out.append(DEIDENTIFIED_HEADER)
        if self.process_notes:
            out.append(PROCESS_NOTES)
        return (*out, *self.markers)


def printed_line(moment: datetime, by: str) -> str:
    """ "Printed 1 Dec 2026 21:35 by Dr. H. Marsh" in this computer's time zone."""
    local = moment.astimezone()
    text = f"Printed {local.day} {local:%b %Y %H:%M}"
    return f"{text} by {by}" if by.strip() else text


def printed_text(options: ReportOptions) -> str:
    """The export's "Printed … by …" line: at `options.printed_at`, else now."""
    from groupleader.data import clock

    return printed_line(options.printed_at or clock.now(), options.printed_by)


class _StampingCanvas(Canvas):
    """Keeps each page until the end, then stamps "Page i of n" on all of them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Start pages in the embedded font, so no unembedded Helvetica is referenced.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or REGULAR
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._marks: list[tuple[int, str]] = []  # (page index, bookmark key)

    def showPage(self) -> None:  # ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def bookmarkPage(self, key: str, *args: Any, **kwargs: Any) -> None:  # ReportLab name
        """Remember the bookmark's page: ReportLab names "this page" by its count of
        pages written, which stays at 1 while the pages wait here for "of N" (every
        outline entry pointed to page 1). It is set when the page is written."""
        self._marks.append((len(self._pages), key))

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            width, height = self._pagesize
            self.setFont(REGULAR, 8)
            self.setFillColor(MUTED)
            self.drawRightString(width - MARGIN, _header_y1(height),
                                 f"Page {number} of {total}")
            for _page, key in (m for m in self._marks if m[0] == number - 1):
                Canvas.bookmarkPage(self, key)
            Canvas.showPage(self)
        Canvas.save(self)


def _header_y1(height: float) -> float:
    return height - 8 * mm


def _header_y2(height: float) -> float:
    return height - 11.3 * mm


def _header_y3(height: float) -> float:
    return height - 14.6 * mm


def _line(text: str, face: str, size: float, align: int = TA_LEFT) -> Paragraph:
    """One header or footer line set like the body (`scripts.paragraph`): each piece in
    the face that draws it, Arabic shaped, right-to-left runs in display order."""
    from groupleader.report.scripts import font_markup, paragraph

    style = ParagraphStyle(f"page-{face}-{size}-{align}", fontName=face, fontSize=size,
                           leading=size * 1.2, textColor=MUTED, alignment=align)
    markup = font_markup(text)
    if face == BOLD:
        markup = f"<b>{markup}</b>"
    return paragraph(markup, style)


def _lines(line: Paragraph, width: float) -> int:
    line.wrap(width, 1000)
    return len(line.blPara.lines)


def _draw(canvas: Canvas, line: Paragraph, x: float, baseline: float, width: float) -> None:
    """Draw a wrapped `line` so that its first line sits on `baseline`."""
    _w, height = line.wrap(width, 1000)
    line.drawOn(canvas, x, baseline - height + line.style.fontSize)  # ReportLab's first
    # baseline is fontSize below the paragraph's top


def _fit(text: str, face: str, size: float, width: float, smallest: float) -> Paragraph:
    """`text` on one line of `width`: shrunk down to `smallest`, then cut with "…" (a
    long group name must not run into the markers)."""
    while True:
        line = _line(text, face, size)
        if _lines(line, width) <= 1:
            return line
        if size > smallest:
            size -= 0.5
            continue
        text = text[:-1].rstrip()
        line = _line(text + "…", face, size)
        if _lines(line, width) <= 1 or len(text) <= 1:
            return line


def _whole(text: str, face: str, size: float, width: float, smallest: float) -> Paragraph:
    """`text` never cut: shrunk down to `smallest` to keep it on one line, else wrapped."""
    while size > smallest and _lines(_line(text, face, size), width) > 1:
        size -= 0.5
    return _line(text, face, size)


HEADER_RULE = 13 * mm  # below the page's top edge, when the header has two lines
THREE_LINE_RULE = 16.2 * mm  # when "Printed … by …" takes line 3
TOP_MARGIN = 18 * mm  # the body's top, below the page's top edge
RULE_TO_BODY = TOP_MARGIN - THREE_LINE_RULE


@dataclass(frozen=True)
class HeaderLayout:
    """Where the running header puts "Printed … by …", and where its rule is.

    The printer's name is never cut. It sits on line 2, left of the markers, when it fits
    there; else it takes line 3 and the lines below it at the page's full width (shrunk
    to 6.5 points at most), and the rule, and the body with it, move down by as many
    lines as it needs (a document printed by a very long name loses a few lines of body
    per page, never a word of the name).
    """

    inline: Paragraph | None  # on line 2, beside the markers
    own: Paragraph | None  # from line 3 down, at full width
    own_lines: int
    rule: float  # the rule's distance below the page's top edge

    @property
    def top_margin(self) -> float:
        return max(TOP_MARGIN, self.rule + RULE_TO_BODY)


def header_layout(meta: PdfMeta, page_width: float) -> HeaderLayout:
    """The running header's layout for `meta` on a page `page_width` wide."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    markers = " · ".join(meta.all_markers())
    room = page_width - 2 * MARGIN
    if markers:
        room -= stringWidth(markers, BOLD, 8) + 12
    if not meta.printed:
        return HeaderLayout(None, None, 0, HEADER_RULE)
    printed = _line(meta.printed, REGULAR, 8)
    if not meta.subject_line and _lines(printed, room) <= 1:
        return HeaderLayout(printed, None, 0, HEADER_RULE)
    full = page_width - 2 * MARGIN
    own = _whole(meta.printed, REGULAR, 8, full, 6.5)
    count = _lines(own, full)
    return HeaderLayout(None, own, count,
                        THREE_LINE_RULE + (count - 1) * own.style.leading)


def _decorate(meta: PdfMeta, layout: HeaderLayout) -> Any:
    markers = " · ".join(meta.all_markers())

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
        # line 1: group, session and date | "Page 2 of 3" (stamped at the end)
        room = width - 2 * MARGIN - canvas.stringWidth("Page 999 of 999", REGULAR, 8) - 12
        _draw(canvas, _fit(meta.header, BOLD, 8.0, room, 6.5), MARGIN, _header_y1(height),
              room)
        # line 2: an extract's subject, or "Printed … by …" | the markers; line 3 and
        # below: "Printed … by …" when line 2 has no room for it (`header_layout`)
        room = width - 2 * MARGIN
        if markers:
            canvas.setFont(BOLD, 8)
            canvas.setFillColor(RISK_INK)
            canvas.drawRightString(width - MARGIN, _header_y2(height), markers)
            room -= canvas.stringWidth(markers, BOLD, 8) + 12
        if meta.subject_line:
            _draw(canvas, _fit(meta.subject_line, REGULAR, 8, room, 7), MARGIN,
                  _header_y2(height), room)
        elif layout.inline is not None:
            _draw(canvas, layout.inline, MARGIN, _header_y2(height), room)
        if layout.own is not None:
            full = width - 2 * MARGIN
            _draw(canvas, layout.own, MARGIN, _header_y3(height), full)
        rule = height - layout.rule
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, rule, width - MARGIN, rule)
        canvas.line(MARGIN, 14 * mm, width - MARGIN, 14 * mm)
        _draw(canvas, _line(CONFIDENTIAL, BOLD, 8), MARGIN, 10 * mm, width / 2)
        if meta.code:
            # One string, so a PDF's text layer reads "Verify: 7KQ2-M9XD-4FHT-PW3C" whole.
            canvas.setFont(REGULAR, 8)
            canvas.setFillColor(MUTED)
            canvas.drawRightString(width - MARGIN, 10 * mm, f"{VERIFY} {meta.code}")
        canvas.restoreState()

    return on_page


def _keepable(f: Flowable) -> bool:
    return isinstance(f, KeepTogether) or _ktAllow(f)


class _Document(BaseDocTemplate):
    """Headings keep with their first lines (`keep.KeepWithFirstLines` for every
    `keepWithNext` run).
    Every h2 heading becomes a bookmark, and so does a flowable marked with `bookmark`
    (a member note)."""

    _outline_count = 0
    _outline_level = -1

    def handle_keepWithNext(self, flowables: list[Flowable]) -> None:
        """ReportLab's, except that a heading also keeps with a container after it (its
        `_ktAllow` leaves out every KeepTogether, so a heading followed by a note kept
        with its signature would be left alone)."""
        i, n = 0, len(flowables)
        while i < n and flowables[i].getKeepWithNext() and _keepable(flowables[i]):
            i += 1
        if not i:
            return
        if i < n and _keepable(flowables[i]):
            i += 1
        group = KeepWithFirstLines(flowables[:i])
        for f in group._content[:-1]:
            f.__dict__["keepWithNext"] = 0
        del flowables[:i]
        flowables.insert(0, group)

    def afterFlowable(self, flowable: Flowable) -> None:
        for inner in getattr(flowable, "_content", None) or ():  # drawn whole on this page
            self.afterFlowable(inner)
        entry = getattr(flowable, "outline", None)
        if entry is None and isinstance(flowable, Paragraph) and flowable.style.name in (
                "title", "h2"):
            entry = (flowable.getPlainText(), 0)
        if not entry:
            return
        title, level = entry
        key = f"o{self._outline_count}"
        self._outline_count += 1
        level = min(level, self._outline_level + 1)  # a level may not be skipped
        self._outline_level = level
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)


def bookmark(flowable: Flowable, title: str, level: int = 0) -> Flowable:
    """Mark `flowable` (a heading) as a bookmark: `title` at `level` in the outline.
    A de-identified document's titles must not name a member."""
    flowable.outline = (title, level)
    return flowable


def build_pdf(story: Sequence[Flowable], meta: PdfMeta) -> bytes:
    """Lay out `story` into PDF bytes (reproducible: the same story gives the same bytes)."""
    register_fonts()
    buffer = io.BytesIO()
    pagesize = landscape(A4) if meta.landscape else A4
    layout = header_layout(meta, pagesize[0])
    story = list(story)
    doc = _Document(
        buffer, pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=layout.top_margin, bottomMargin=19 * mm,
        title=meta.title, subject=meta.subject, author=meta.author or PRODUCER,
        creator=PRODUCER, producer=PRODUCER, keywords=[], invariant=True,
        lang=meta.lang or main_language(story_text(story)),
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=_decorate(meta, layout))])
    doc.build(story, canvasmaker=_StampingCanvas)
    return buffer.getvalue()


def _squash(text: str) -> str:
    """Letters and digits only, lower case: "Thursday Evening Group" is
    "thursdayeveninggroup"."""
    return "".join(c for c in text.casefold() if c.isalnum())


def _only_names(password: str, context: Sequence[str]) -> bool:
    """Whether `password` is made of this vault's names and a year or a few more signs
    ("Mia Kowalski 1980!"): with the names taken out, fewer than 4 letters or digits
    are left other than a year."""
    import re

    rest = _squash(password)
    if not rest:
        return False
    for word in sorted({_squash(w) for w in context}, key=len, reverse=True):
        if len(word) >= 3:
            rest = rest.replace(word, "")
    rest = re.sub(r"(19|20)\d\d", "", rest)
    return len(rest) < 4 and len(rest) < len(_squash(password))


def password_context(vault: Any) -> list[str]:
    """The words of this vault a guesser of a PDF password tries first: the names of its
    groups, members (with their preferred names and years of birth) and clinicians,
    whole and word by word (zxcvbn's `user_inputs`). Never written anywhere."""
    import re

    from groupleader.data.operations import query
    from groupleader.data.services import clinicians, groups, members

    names: list[str] = [g.name for g in query(vault, groups.list_groups,
                                              include_archived=True)]
    names += [c.name for c in query(vault, clinicians.list_clinicians)]
    for m in query(vault, members.list_members, include_archived=True):
        names += [m.full_name, m.preferred_name or ""]
        if m.dob is not None:
            names.append(str(m.dob.year))
            names += [f"{w}{m.dob.year}" for w in (m.full_name, m.preferred_name or "")
                      if w]
    words: list[str] = []
    for name in names:
        parts = [p for p in re.split(r"\W+", name) if p]
        words += [name, _squash(name), *parts]
        words += ["".join(parts[i:i + 2]) for i in range(len(parts) - 1)]
    out: dict[str, str] = {}
    for w in words:
        if len(w) >= 3:
            out.setdefault(w.casefold(), w)
    return list(out.values())


def pdf_password_problem(password: str, context: Sequence[str] = (),
                         vault: Any = None) -> str | None:
    """Why `password` is too weak to protect a PDF (a sentence for the window or the
    command line), or None. The same rules as the vault's passphrase: a PDF sent by mail
    can be attacked offline for as long as anyone likes, so it is never shorter than the
    vault's minimum (`passphrases.MIN_LENGTH`) nor easier to guess. `context` (see
    `password_context`) are this vault's names: a password that is one of them, or is
    built from them ("zoelindqvist1992"), is refused; so is the vault's own passphrase
    when `vault` is given (whoever gets the PDF must not get the vault's key with it)."""
    from groupleader import passphrases

    if vault is not None and any(vault.passphrase_matches(form)
                                 for form in passphrases.forms(password)):
        return ("The PDF password is the vault's passphrase. Choose another: whoever "
                "receives the PDF must not learn the key to every record.")
    if context and _only_names(password, context):
        return ("The PDF password is a name from this vault (a group, a member or a "
                "clinician), which a guesser tries first. Choose another.")
    problem = passphrases.problem_with_new(password, [*passphrases.user_words(), *context])
    if problem is None:
        return None
    problem = problem.replace("(the vault's, the program's or yours)",
                              "(of this vault's groups, members or clinicians, the "
                              "program's or yours)")
    return f"The PDF password is too weak. {problem.replace('passphrase', 'password')}"


def check_pdf_password(password: str, context: Sequence[str] = (), vault: Any = None) -> None:
    """Refuse a weak PDF password with `InvalidInput` (nothing is written)."""
    problem = pdf_password_problem(password, context, vault)
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
