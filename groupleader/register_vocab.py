"""The words of the risk register and the group agreement (issue 16): keys stored in the
vault (`groupleader.data.models.RiskKind`, `RiskLevel`, `FollowUp`), the labels the
screen and the PDF show, the default agreement, and the one "open since …, review by …"
line both print. Pure: no Qt, no database."""

from __future__ import annotations

from datetime import date, timedelta

from groupleader.data import clock

KIND_LABELS: dict[str, str] = {
    "self_harm": "Suicidal ideation or self-harm",
    "harm_to_others": "Harm to others",
    "safeguarding": "Safeguarding or abuse",
    "substance_use": "Substance use",
    "medical": "Medical",
    "other": "Other",
}
LEVEL_LABELS: dict[str, str] = {"low": "Low", "moderate": "Moderate", "high": "High"}
FOLLOW_UP_LABELS: dict[str, str] = {
    "open": "Open", "in_progress": "In progress", "resolved": "Resolved"}

# Days from opening (or a review) to the next review, unless the clinician picks a date.
REVIEW_AFTER = timedelta(days=7)

# (title, text): the agreement a new group starts from; the leader edits, reorders and
# adds to it (their own rules) in the group's settings. Migration 0007 seeds existing
# groups from a frozen copy of this list.
DEFAULT_RULES: tuple[tuple[str, str], ...] = (
    ("Confidentiality",
     "What members say in the group stays in the group: members do not tell others "
     "outside who is in the group or what they said."),
    ("No romantic or sexual relationships",
     "Members do not start a romantic or sexual relationship with another member while "
     "either is in the group."),
    ("Contact outside the group",
     "Contact between members outside the group is brought back into the group."),
    ("Attendance and notice",
     "Members come every week and on time, and tell the leader in advance when they "
     "cannot come."),
    ("Substances",
     "Members do not come to the group under the influence of alcohol or drugs."),
)
LEADER_RULE = "The leader's own"


def short_date(day: date, on: date | None = None, *, with_year: bool = False) -> str:
    """"12 Nov", or "13 Mar 2062" when the day is not in the current year (today's, and
    `on`'s when given: a line read as of another day), or `with_year`."""
    if with_year or day.year != clock.today().year or (on is not None and day.year != on.year):
        return f"{day.day} {day:%b %Y}"
    return f"{day.day} {day:%b}"


def default_review_by(opened_on: date) -> date:
    return opened_on + REVIEW_AFTER


def overdue(review_by: date | None, on: date) -> bool:
    """A review is overdue the day after its review-by date."""
    return review_by is not None and on > review_by


def open_line(opened_on: date, review_by: date | None, on: date) -> str:
    """"open since 12 Nov, review by 19 Nov" (and ", overdue" once `on` is past it)."""
    line = f"open since {short_date(opened_on, on)}"
    if review_by is not None:
        line += f", review by {short_date(review_by, on)}"
        if overdue(review_by, on):
            line += " (overdue)"
    return line
