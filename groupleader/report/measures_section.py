"""The measures section of the member extract and the period report: the scores in a
table and the trend charts (ReportLab graphics, from the same `Trend` data as the window).

Collected here (through `operations.query`, like every report read) into a frozen
`MeasuresPart`, rendered by `measures_section`. The period report shows only group-level
figures (the climate scales, attendance, members' mean change): no member's own scores.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from reportlab.platypus import Flowable, KeepTogether, Spacer

from groupleader.data.operations import query
from groupleader.data.services import measures
from groupleader.data.vault import Vault
from groupleader.measures import registry, scoring
from groupleader.measures.trends import Trend
from groupleader.report.blocks import small_table
from groupleader.report.styles import para
from groupleader.report.trend_drawing import trend_drawing


@dataclass(frozen=True)
class ScoreLine:
    date_text: str
    session: str
    instrument: str
    score: str  # "14 (Moderate)", "Engaged 3.40, Avoiding 2.00, Conflict 1.25"
    change: str  # "−8 from first: reliable improvement", or ""


@dataclass(frozen=True)
class MeasuresPart:
    title: str
    lines: tuple[ScoreLine, ...]
    trends: tuple[Trend, ...]
    attributions: tuple[str, ...]


def _in_period(trend: Trend, start: date | None, end: date | None) -> Trend:
    series = tuple(replace(s, points=tuple(
        p for p in s.points if (start is None or p.when >= start)
        and (end is None or p.when <= end))) for s in trend.series)
    flags = tuple(p for p in trend.risk_unanswered if (start is None or p.when >= start)
                  and (end is None or p.when <= end))
    return replace(trend, series=series, risk_unanswered=flags)


def _value(v: float | None) -> str:
    if v is None:
        return "–"
    return f"{v:g}" if v == int(v) else f"{v:.2f}"


def collect_member_measures(vault: Vault, group_id: int, member_id: int,
                            start: date | None, end: date | None) -> MeasuresPart:
    """The member's forms in the period, with change from their first score in the group
    (which may lie before the period)."""
    scores = [s for s in query(vault, measures.member_scores, member_id, group_id)
              if end is None or s.on_date <= end]
    first: dict[str, float] = {}
    lines = []
    for s in scores:
        if not registry.is_instrument(s.instrument):
            continue
        inst = registry.instrument(s.instrument)
        total = s.values.get("total")
        change = ""
        if total is not None:
            base = first.setdefault(s.instrument, total)
            c = scoring.change(inst, base, total)
            if s.on_date != scores[0].on_date and c.direction != "not applicable":
                change = f"{c.delta:+g} from first: {c.direction}"
                if c.recovered:
                    change += " (recovered)"
        if start is not None and s.on_date < start:
            continue
        if inst.scoring == "sum":
            b = scoring.band(inst, total)
            text = _value(total) + (f" ({b.label})" if b else "")
        else:
            text = ", ".join(f"{sc.label} {_value(s.values.get(sc.key))}" for sc in inst.scales)
        if s.status not in ("complete", "total only"):
            text += f", {s.status}"
        if s.answers is not None and any(a is not None for a in s.answers) and (
                blank := scoring.blank_risk_items(inst, s.answers)):
            text += f", risk item {', '.join(map(str, blank))} not answered"
        lines.append(ScoreLine(f"{s.on_date.day} {s.on_date:%b %Y}", str(s.meeting_number),
                               inst.name, text, change))
    trends = tuple(_in_period(t, start, end) for t in measures.trends_from(scores))
    used = {registry.instrument(s.instrument) for s in scores
            if registry.is_instrument(s.instrument)}
    return MeasuresPart("Questionnaires", tuple(lines), trends,
                        tuple(sorted(f"{i.attribution} {i.licence}" for i in used)))


def collect_group_measures(vault: Vault, group_id: int, start: date | None,
                           end: date | None) -> MeasuresPart:
    """Group-level trends only: climate, attendance, members' mean change."""
    trends = tuple(query(vault, measures.group_trends, group_id, start, end))
    used = {registry.instrument(s.instrument)
            for s in query(vault, measures.group_scores, group_id, start, end)
            if registry.is_instrument(s.instrument)}
    return MeasuresPart("Questionnaires and group climate", (), trends,
                        tuple(sorted(f"{i.attribution} {i.licence}" for i in used)))


def measures_section(part: MeasuresPart | None, width: float) -> list[Flowable]:
    """The section's flowables (nothing when no form was entered)."""
    if part is None or (not part.lines and all(t.empty for t in part.trends)):
        return []
    out: list[Flowable] = [para(part.title, "h2")]
    if part.lines:
        rows = [[para(h, "cell_bold") for h in ("Date", "Session", "Questionnaire", "Score",
                                                 "Change")]]
        rows += [[para(x.date_text, "cell"), para(x.session, "cell"),
                  para(x.instrument, "cell"), para(x.score, "cell"), para(x.change, "cell")]
                 for x in part.lines]
        out.append(small_table(rows, [width * 0.14, width * 0.12, width * 0.17,
                                      width * 0.29, width * 0.28]))
        out.append(Spacer(1, 6))
    for t in part.trends:
        if not t.empty:
            out.append(KeepTogether([trend_drawing(t, width=width), Spacer(1, 6)]))
    out += [para(a, "small") for a in part.attributions]
    return out
