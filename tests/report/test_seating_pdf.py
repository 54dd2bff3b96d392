"""The circle and the interactions on paper, with hard data: 12 and 17 chairs, long names
in many scripts, about 40 exchanges, identified and de-identified."""

from __future__ import annotations

import pytest

from groupleader.data.vault import Vault
from groupleader.report import interaction_matrix
from groupleader.report.collect import collect_session
from groupleader.report.model import ReportOptions, SessionSummary
from groupleader.report.seating_drawing import SeatingDiagram, height_for
from groupleader.report.session_summary import WIDTH, render_session
from groupleader.seating import overlaps
from tests.report.conftest import Clinic
from tests.report.hard_data import LEADER, NAMES, HardData, build_hard_data
from tests.report.pdfcheck import flat, pages_text


@pytest.fixture
def hard(vault: Vault) -> HardData:
    return build_hard_data(vault)


def summary(hard: HardData, meeting: int, **options: object) -> SessionSummary:
    return collect_session(hard.vault, meeting, ReportOptions(**options))


def seating_page(data: bytes) -> str:
    [page] = [p for p in pages_text(data) if "Seating and interactions" in p]
    return flat(page)


@pytest.mark.parametrize("which", ["twelve", "seventeen"])
def test_the_printed_circle_has_no_overlapping_chairs_or_names(hard: HardData,
                                                                which: str) -> None:
    s = summary(hard, getattr(hard, which))
    assert len(s.chairs) == (12 if which == "twelve" else 17)
    diagram = SeatingDiagram(s.chairs, s.arrows, WIDTH, height_for(len(s.chairs), WIDTH))
    assert overlaps(diagram.layout) == []


def test_a_long_leader_name_is_printed_whole_never_cut(hard: HardData) -> None:
    page = seating_page(render_session(summary(hard, hard.seventeen)))
    assert LEADER in page or f"1: {LEADER}" in page
    assert "Mon…" not in page and "Mon..." not in page


def test_interactions_are_a_matrix_with_totals_and_the_top_exchanges(hard: HardData) -> None:
    s = summary(hard, hard.seventeen)
    assert len(s.arrows) >= 35  # the old list would run to two pages
    total = sum(a.count for a in s.arrows)
    page = seating_page(render_session(s))
    # the matrix, its totals and the top exchanges share the page with the circle
    assert "From ↓ to →" in page and "Received" in page and "Total" in page
    assert f" {total} " in f" {page} "
    assert "Most frequent exchanges" in page
    busiest = max(s.arrows, key=lambda a: a.count)
    assert f"{busiest.count} times:" in page
    assert "From To Times" not in page  # the old 40-row list


def test_the_de_identified_matrix_names_no_member(hard: HardData) -> None:
    s = summary(hard, hard.seventeen, deidentify=True)
    page = seating_page(render_session(s))
    for name in NAMES:
        for word in name.split():
            if len(word) > 3 and word.isalpha():
                assert word not in page, word
    assert "Received" in page


def test_someone_present_but_silent_has_a_row_and_a_column_of_the_matrix(
        clinic: Clinic) -> None:
    """Ben sat in chair 6 and neither spoke nor was spoken to: his row says 0 spoken and
    his column 0 received, so the supervisor sees the silence."""
    s = collect_session(clinic.vault, clinic.draft_meeting, ReportOptions())
    seated = [c for c in s.chairs if c.key]
    silent = [c for c in seated if all(c.key not in (a.source, a.target) for a in s.arrows)]
    assert [c.label for c in silent] == ["Ben Colead"]
    [kept] = interaction_matrix.matrix(s.chairs, s.arrows, WIDTH)
    table = kept._content[0]
    rows = table._cellvalues
    codes = [str(c.position + 1) for c in seated]
    assert rows[0][2:2 + len(seated)] == codes  # a column for everyone seated
    row = next(r for r in rows[1:-1] if r[0] == str(silent[0].position + 1))
    assert row[-1] == "0"  # spoke to no one
    column = 2 + codes.index(str(silent[0].position + 1))
    assert rows[-1][column] == "0"  # received nothing
    assert "Ben Colead" in seating_page(render_session(s))


def test_a_circle_of_more_than_twenty_chairs_shows_numbers_and_lists_every_name() -> None:
    from groupleader.report.model import Chair
    from groupleader.report.pdf_output import PdfMeta, build_pdf

    names = [f"Member{i} Longfamilyname-Doublebarrel" for i in range(21)]
    chairs = tuple(Chair(i, n, "member", f"m{i}") for i, n in enumerate(names))
    diagram = SeatingDiagram(chairs, (), WIDTH, height_for(21, WIDTH))
    assert diagram.numbers_only
    assert all(c.lines == ("",) for c in diagram.layout.chairs)
    assert diagram.legend() == [(i + 1, n) for i, n in enumerate(names)]
    assert overlaps(diagram.layout) == []
    text = flat(" ".join(pages_text(build_pdf([diagram], PdfMeta("t", "s")))))
    assert "Longfamilyname" not in text  # no name crowds the circle
    twenty = SeatingDiagram(chairs[:20], (), WIDTH, height_for(20, WIDTH))
    assert not twenty.numbers_only
