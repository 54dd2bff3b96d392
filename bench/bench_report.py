"""PDF report speed: one session summary, and 500 summaries as a batch against a floor.

Prints figures and ratios; never fails on time (numbers vary by machine).
- one summary: collect (through the services) + render; goal under 150 ms.
- batch: 500 summaries rendered in a row (each its own PDF), pages per second, against
  the floor: a bare ReportLab document of the same size (same pages, same amount of text
  in the same embedded font, plain paragraphs, no tables or drawing) built in the same
  run. Goal: within 1.5 times the floor.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

from groupleader.data.vault import Vault
from groupleader.report.collect import collect_session, load_people
from groupleader.report.fonts import register_fonts
from groupleader.report.model import ReportOptions
from groupleader.report.session_summary import render_session
from groupleader.report.styles import styles
from tests.report.conftest import build_clinic

BATCH = 500


def bare_document(pages: list[str]) -> bytes:
    """The floor: the same text per page as plain paragraphs, one page each."""
    story = []
    style = styles()["body"]
    for i, text in enumerate(pages):
        if i:
            story.append(PageBreak())
        for line in text.splitlines():
            if line.strip():
                story.append(Paragraph(line.replace("&", "&amp;").replace("<", "&lt;")
                                       .replace(">", "&gt;"), style))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, invariant=True).build(story)
    return buf.getvalue()


DEID_RUNS = 60


def main() -> None:
    register_fonts()
    with tempfile.TemporaryDirectory() as tmp:
        vault = Vault.create(Path(tmp) / "bench.vault", "bench passphrase", test_kdf_iter=256)
        clinic = build_clinic(vault)
        options = ReportOptions(practice="Bench Practice")
        render_session(collect_session(vault, clinic.draft_meeting, options))  # warm up

        runs = []
        for _ in range(20):
            t0 = time.perf_counter()
            render_session(collect_session(vault, clinic.draft_meeting, options))
            runs.append(time.perf_counter() - t0)
        runs.sort()
        median = runs[len(runs) // 2]
        print(f"one session summary (collect + render): median {median * 1000:.1f} ms, "
              f"best {runs[0] * 1000:.1f} ms  (goal < 150 ms: "
              f"{'met' if median < 0.150 else 'NOT met'})")

        people = load_people(vault, clinic.group_id)
        t0 = time.perf_counter()
        for i in range(100):
            collect_session(vault, (clinic.draft_meeting, clinic.signed_meeting)[i % 2],
                            options, people)
        print(f"collect only (services + de-identification), per session: "
              f"{(time.perf_counter() - t0) * 10:.1f} ms")
        summaries = [collect_session(vault, m, options, people)
                     for m in (clinic.draft_meeting, clinic.signed_meeting)]
        data = render_session(summaries[0])
        pages_text = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
        per_doc = len(pages_text)

        t0 = time.perf_counter()
        for i in range(BATCH):
            render_session(summaries[i % 2])
        ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        for _ in range(BATCH):
            bare_document(pages_text)
        floor = time.perf_counter() - t0
        total_pages = BATCH * per_doc
        print(f"batch of {BATCH} summaries ({total_pages} pages): {ours:.2f} s, "
              f"{total_pages / ours:.0f} pages/s")
        print(f"floor, bare ReportLab document of the same size: {floor:.2f} s, "
              f"{total_pages / floor:.0f} pages/s")
        ratio = ours / floor
        print(f"ratio to the floor: {ratio:.2f}x  (goal <= 1.5x: "
              f"{'met' if ratio <= 1.5 else 'NOT met'})")

        # De-identified against identified: collect + render, one People (and so one
        # redactor) per run of summaries, as a batch export does.
        costs = {}
        for label, opts in (("identified", options),
                            ("de-identified", ReportOptions(practice="Bench Practice",
                                                            deidentify=True))):
            batch_people = load_people(vault, clinic.group_id)
            t0 = time.perf_counter()
            for i in range(DEID_RUNS):
                render_session(collect_session(
                    vault, (clinic.draft_meeting, clinic.signed_meeting)[i % 2], opts,
                    batch_people))
            costs[label] = (time.perf_counter() - t0) / DEID_RUNS
            print(f"{label} summary (collect + render): {costs[label] * 1000:.1f} ms")
        deid = costs["de-identified"] / costs["identified"]
        print(f"de-identified / identified: {deid:.2f}x  (goal <= 1.5x: "
              f"{'met' if deid <= 1.5 else 'NOT met'})")
        vault.close()


if __name__ == "__main__":
    main()
