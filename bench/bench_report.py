"""PDF exports through the export operation (collect, render, write, audit) on the large
bench vault, against bare ReportLab with the same content, measured in the same run.

- One session summary, identified and de-identified: `batch.export_job` (the services'
  reads, de-identification, the summary's layout, encryption off, the atomic write and
  the audit event) against the floor: a bare ReportLab document holding the same text
  (what pypdf reads back from the program's PDF) as plain paragraphs in the same embedded
  TrueType font (DejaVu Sans, subset and embedded as the program's is; unshaped, as the
  program leaves text without Arabic unshaped), one page per page, written to a file in
  the same folder and synced. Interleaved run by run; p50, p95 and the ratio of the
  medians (goal <= 1.5x). Then the de-identified summary against the identified one
  (issue #15: at most 1.5x).
- A batch of 500 summaries: `batch.export_sessions` over a group's sessions (one member
  list per call), in chunks of 10 interleaved with the floor's chunk of the same 10
  documents; the ratio of the totals (goal <= 1.5x).

The vault is the ten-year practice vault (bench/practice_vault.py: written through the
operations, cached in bench/.cache/, built when missing); `--quick` takes its one-year
sibling.

    .venv/bin/python bench/bench_report.py [--quick]
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from pypdf import PdfReader  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate  # noqa: E402

from groupleader.data.vault import Vault  # noqa: E402
from groupleader.report import batch  # noqa: E402
from groupleader.report.fonts import (  # noqa: E402
    BOLD,
    CJK,
    REGULAR,
    SYMBOLS,
    has_glyph,
    register_fonts,
)
from groupleader.report.model import ReportOptions  # noqa: E402
from groupleader.report.pdf_output import MARGIN  # noqa: E402

GOAL = 1.5
RUNS = 20
BATCH, CHUNK = 500, 10  # short chunks, taken in turns: a busy machine slows both alike
GROUP_NAME = "Group 5"  # one of the practice vault's ten groups


# the embedded faces by the base name a PDF gives them (after the subset's "ABCDEF+")
FACES = {"DejaVuSans": REGULAR, "DejaVuSans-Bold": BOLD, "Symbola": SYMBOLS,
         "DroidSansFallback": CJK}
Run = tuple[str, float, str]  # (face, size, text)


@functools.cache
def _style(face: str, size: float) -> ParagraphStyle:
    has_glyph("a", face)  # reads a fallback face into ReportLab, as the program does
    return ParagraphStyle(f"floor-{face}-{size}", fontName=face, fontSize=size,
                          leading=size * 1.2)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def bare_pdf(pages: list[list[list[Run]]]) -> bytes:
    """The floor: each page's lines as plain paragraphs, one page each, every run of text
    in the face and size the program's PDF sets it in (a bold label stays bold), unshaped;
    no tables, rules, drawings or keep rules. A page is A4 wide and tall enough for the
    lines of one of the program's pages (a table's cells come as lines of their own)."""
    story: list[Flowable] = []
    for i, lines in enumerate(pages):
        if i:
            story.append(PageBreak())
        for runs in lines:
            face, size, _text = runs[0]
            style = _style(face, max(r[1] for r in runs))
            if len(runs) == 1:
                story.append(Paragraph(_escape(runs[0][2]), style))
            else:
                story.append(Paragraph("".join(
                    f'<font name="{f}" size="{z:g}">{_escape(t)}</font>' for f, z, t in runs),
                    style))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=(A4[0], 3 * A4[1]), invariant=True, leftMargin=MARGIN,
                      rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN).build(story)
    return buf.getvalue()


def write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def pages_of(path: Path) -> list[list[list[Run]]]:
    """What the program's PDF prints, page by page and line by line, as runs of
    (face, size, text) in the order the text layer reads them."""
    out = []
    for page in PdfReader(path).pages:
        lines: list[list[Run]] = [[]]

        def visit(text: str, _cm: object, _tm: object, font: dict[str, Any] | None,
                  size: float, lines: list[list[Run]] = lines) -> None:
            base = str((font or {}).get("/BaseFont", "")).lstrip("/").split("+")[-1]
            face = FACES.get(base, REGULAR)
            for k, piece in enumerate(text.split("\n")):
                if k:
                    lines.append([])
                if piece.strip():
                    lines[-1].append((face, float(size), piece))

        page.extract_text(visitor_text=visit)
        out.append([runs for runs in lines if runs])
    return out


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def p50_p95(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), statistics.quantiles(samples, n=20)[18]


def line(action: str, floor: list[float], program: list[float], ratio: float) -> None:
    f50, f95 = p50_p95(floor)
    s50, s95 = p50_p95(program)
    print(f"{action}: floor bare ReportLab, same content, p50 {f50:.1f} ms p95 {f95:.1f} ms; "
          f"program p50 {s50:.1f} ms p95 {s95:.1f} ms; ratio {ratio:.2f}x; goal <= {GOAL}x: "
          f"{'met' if ratio <= GOAL else 'not met'}")


def one_summary(vault: Vault, group_id: int, meeting_id: int, options: ReportOptions,
                out: Path, label: str) -> list[float]:
    """The export of one summary against the floor; the program's times."""
    job = batch.ExportJob("session", group_id, meeting_id=meeting_id)
    dest = out / f"{label}.pdf"
    batch.export_job(vault, job, options, dest)  # warm-up, and the content for the floor
    pages = pages_of(dest)
    floor_pages = page_count(bare_pdf(pages))
    if floor_pages != len(pages):
        print(f"  (the floor lays the text on {floor_pages} pages, the program on {len(pages)})")
    floor_dest = out / f"{label}-floor.pdf"
    floors: list[float] = []
    program: list[float] = []
    for i in range(RUNS):
        steps = [("floor", floors), ("program", program)]
        for which, into in steps if i % 2 == 0 else steps[::-1]:
            t0 = time.perf_counter()
            if which == "floor":
                write_synced(floor_dest, bare_pdf(pages))
            else:
                batch.export_job(vault, job, options, dest)
            into.append((time.perf_counter() - t0) * 1000)
    ratio = statistics.median(program) / statistics.median(floors)
    line(f"one session summary, {label} ({RUNS} runs, {len(pages)} pages)", floors, program,
         ratio)
    return program


def a_batch(vault: Vault, group_id: int, meeting_ids: list[int], options: ReportOptions,
            out: Path) -> None:
    ids = (meeting_ids * (BATCH // len(meeting_ids) + 1))[:BATCH]
    distinct = list(dict.fromkeys(ids))
    first = out / "first"
    first.mkdir()
    written = batch.export_sessions(vault, group_id, distinct, first, options).written
    content = {mid: pages_of(p) for mid, p in zip(distinct, written, strict=True)}
    programs, floors = [], []
    for k in range(0, BATCH, CHUNK):
        chunk = ids[k:k + CHUNK]
        folder = out / f"chunk-{k}"
        folder.mkdir()
        steps = ["floor", "program"] if (k // CHUNK) % 2 == 0 else ["program", "floor"]
        for which in steps:
            t0 = time.perf_counter()
            if which == "floor":  # the same sessions' text as the program's chunk
                for j, mid in enumerate(chunk):
                    write_synced(folder / f"floor-{j}.pdf", bare_pdf(content[mid]))
                floors.append((time.perf_counter() - t0) * 1000)
            else:
                batch.export_sessions(vault, group_id, chunk, folder, options)
                programs.append((time.perf_counter() - t0) * 1000)
        shutil.rmtree(folder)
    ratio = sum(programs) / sum(floors)
    pages = sum(len(content[mid]) for mid in ids)
    print(f"batch of {BATCH} summaries ({pages} pages, {options.deidentify and 'de-' or ''}"
          f"identified): floor {sum(floors) / 1000:.1f} s, program {sum(programs) / 1000:.1f} s "
          f"(per chunk of {CHUNK}: floor p50 {statistics.median(floors):.0f} ms, program p50 "
          f"{statistics.median(programs):.0f} ms); ratio {ratio:.2f}x; goal <= {GOAL}x: "
          f"{'met' if ratio <= GOAL else 'not met'}")


def main() -> None:
    from practice_vault import PASSPHRASE, practice_vault, working_copy

    from groupleader.data.operations import query
    from groupleader.data.services import groups, meetings

    try:
        import _rl_accel  # noqa: F401

        accel = "rl_accel installed"
    except ImportError:
        accel = "rl_accel NOT installed (ReportLab's pure-Python fallbacks)"
    register_fonts()
    built = practice_vault(1 if "--quick" in sys.argv else 10)
    with tempfile.TemporaryDirectory(prefix="gl-bench-report-") as tmp:
        out = Path(tmp)
        vault = Vault.open(working_copy(built, out), PASSPHRASE)
        try:
            group_id = next(g.id for g in query(vault, groups.list_groups)
                            if g.name == GROUP_NAME)
            ids = [m.id for m in query(vault, meetings.list_meetings, group_id)]
            print(f"vault {built.path.name} ({built.years} years, {built.sessions:,} sessions, "
                  f"{built.member_notes:,} member notes): {GROUP_NAME}, {len(ids)} sessions; "
                  f"{accel}; floor: bare ReportLab, the same text in the same TrueType fonts, "
                  "unshaped")
            latest = ids[-1]
            identified = ReportOptions(practice="Bench Practice")
            deidentified = ReportOptions(practice="Bench Practice", deidentify=True)
            plain = one_summary(vault, group_id, latest, identified, out, "identified")
            hidden = one_summary(vault, group_id, latest, deidentified, out, "de-identified")
            ratio = statistics.median(hidden) / statistics.median(plain)
            print(f"de-identified against identified (issue #15), the medians above: "
                  f"{statistics.median(hidden):.1f} ms / {statistics.median(plain):.1f} ms; "
                  f"ratio {ratio:.2f}x; goal <= {GOAL}x: {'met' if ratio <= GOAL else 'not met'}")
            a_batch(vault, group_id, ids, identified, out)
        finally:
            vault.close()


if __name__ == "__main__":
    main()
