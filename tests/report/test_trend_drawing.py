"""The paper trend chart: its labels and the scores' story are in the PDF's text."""

from __future__ import annotations

import io
from datetime import date, timedelta

from pypdf import PdfReader
from reportlab.platypus import SimpleDocTemplate

from groupleader.measures import registry
from groupleader.measures.trends import member_trend
from groupleader.report.trend_drawing import trend_drawing


def pdf_text(flowables: list) -> str:  # type: ignore[type-arg]
    buf = io.BytesIO()
    SimpleDocTemplate(buf).build(flowables)
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(buf.getvalue())).pages)


def test_a_member_chart_prints_its_bands_cutoff_markers_and_attribution() -> None:
    inst = registry.instrument("core10")
    start = date(2026, 1, 5)
    values = [22.0, 19.0, 15.0, 9.0]
    trend = member_trend(inst, [(start + timedelta(weeks=i), {"total": v})
                                for i, v in enumerate(values)])
    text = pdf_text([trend_drawing(trend)])
    for label in ("CORE-10", "Severe", "Healthy", "Cut-off 11", "Reliable improvement",
                  "Recovered", "CORE System Trust", "05 Jan 2026", "26 Jan 2026"):
        assert label in text


def test_an_instrument_without_scores_says_so() -> None:
    text = pdf_text([trend_drawing(member_trend(registry.instrument("phq9"), []))])
    assert "PHQ-9" in text and "No scores yet." in text
