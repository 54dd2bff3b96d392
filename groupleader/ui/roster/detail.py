"""The member detail pane: contact, emergency contact, presenting concerns, membership
history across groups, and attendance at the group's recent sessions as a strip."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from groupleader.data.snapshots import AttendanceMark, MembershipSnap, MemberSnap
from groupleader.measures.trends import Trend
from groupleader.ui.roster.model import STATUS_LABELS, short_date

MARKS: dict[str | None, tuple[str, str]] = {
    "present": ("#2e7d32", "present"),
    "late": ("#f9a825", "late"),
    "absent_notice": ("#90a4ae", "absent with notice"),
    "absent_no_notice": ("#c62828", "absent without notice"),
    None: ("#ffffff", "not recorded"),
}
CELL, GAP = 16, 4


class AttendanceStrip(QWidget):
    """One small square per held session, oldest on the left; hover for the details."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cells: list[AttendanceMark] = []
        self.setAccessibleName("Attendance at recent sessions")
        self.setMouseTracking(True)

    def set_cells(self, cells: Sequence[AttendanceMark]) -> None:
        self.cells = list(cells)
        counts = Counter(MARKS.get(c.status, MARKS[None])[1] for c in self.cells)
        summary = ", ".join(f"{n} {label}" for label, n in counts.items())
        self.setAccessibleDescription(
            f"Last {len(self.cells)} sessions: {summary}" if self.cells else "No sessions yet")
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(max(1, len(self.cells)) * (CELL + GAP), CELL + 2)

    def minimumSizeHint(self) -> QSize:
        """One cell wide: the strip wraps onto more rows rather than widen the pane."""
        return QSize(CELL + GAP + 2, CELL + 2)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        rows = -(-max(1, len(self.cells)) // self._columns(width))
        return rows * (CELL + GAP) - GAP + 2

    def _columns(self, width: int) -> int:
        return max(1, (width - 2 + GAP) // (CELL + GAP))

    def cell_rect(self, i: int) -> QRect:
        row, col = divmod(i, self._columns(self.width()))
        return QRect(1 + col * (CELL + GAP), 1 + row * (CELL + GAP), CELL, CELL)

    def cell_text(self, cell: AttendanceMark) -> str:
        when = cell.starts_at.astimezone().strftime("%d %b %Y")
        return f"Session {cell.number}, {when}: {MARKS.get(cell.status, MARKS[None])[1]}"

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#607d8b"), 1))
        for i, cell in enumerate(self.cells):
            painter.setBrush(QColor(MARKS.get(cell.status, MARKS[None])[0]))
            painter.drawRoundedRect(self.cell_rect(i), 3, 3)
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            for i, cell in enumerate(self.cells):
                if self.cell_rect(i).contains(event.pos()):
                    QToolTip.showText(event.globalPos(), self.cell_text(cell), self)
                    return True
            QToolTip.hideText()
            return True
        return super().event(event)


def _plain(text: str = "", *, wrap: bool = True, select: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if wrap:  # wrap to the pane's width instead of widening it (no sideways scrolling)
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    if select:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def history_text(history: Sequence[MembershipSnap]) -> str:
    blocks = []
    for ms in history:
        lines = [f"{ms.group_name} ({ms.pseudonym})"]
        for change in ms.history:
            status = STATUS_LABELS.get(change.status, change.status)
            line = f"  {short_date(change.on_date)}  {status}"
            reason = " ".join(change.reason.split())
            if reason:
                line += f" — {reason}"
            lines.append(line)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) or "No memberships."


class MemberDetail(QScrollArea):
    """Shows one member (or a hint when none is chosen)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName("Member details")
        body = QWidget()
        col = QVBoxLayout(body)
        self.name = _plain()
        font = self.name.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.name.setFont(font)
        self.subtitle = _plain()
        self.hint = _plain("Choose a member to see their details.", select=False)
        col.addWidget(self.hint)
        col.addWidget(self.name)
        col.addWidget(self.subtitle)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # a narrow pane
        self.phone, self.email = _plain(), _plain()
        self.emergency, self.concerns = _plain(), _plain()
        self.spellings = _plain()
        form.addRow("Phone", self.phone)
        form.addRow("Email", self.email)
        form.addRow("Emergency contact", self.emergency)
        form.addRow("Presenting concerns", self.concerns)
        form.addRow("Also written as", self.spellings)
        self.form_box = QWidget()
        self.form_box.setLayout(form)
        col.addWidget(self.form_box)
        self.strip_title = _plain("Recent sessions (oldest first)", select=False)
        self.strip = AttendanceStrip()
        legend = QLabel(" &nbsp; ".join(
            f'<span style="color:{c}">■</span>&nbsp;{t.replace(" ", "&nbsp;")}' for c, t in
            (MARKS[k] for k in ("present", "late", "absent_notice", "absent_no_notice")))
            + ' &nbsp; <span style="color:#607d8b">□</span>&nbsp;not&nbsp;recorded')
        legend.setTextFormat(Qt.TextFormat.RichText)  # fixed text, no user data
        legend.setWordWrap(True)
        self.legend = legend
        col.addWidget(self.strip_title)
        col.addWidget(self.strip)
        col.addWidget(legend)
        self.history_title = _plain("Memberships", select=False)
        f = self.history_title.font()
        f.setBold(True)
        self.history_title.setFont(f)
        self.strip_title.setFont(f)
        self.history = _plain()
        col.addWidget(self.history_title)
        col.addWidget(self.history)
        # the member's risk entries and boundary incidents (issue 16)
        self.register_title = _plain("Risk and incidents", select=False)
        self.register_title.setFont(f)
        self.register = _plain()
        col.addWidget(self.register_title)
        col.addWidget(self.register)
        self.trends = QVBoxLayout()  # the member's questionnaire charts (`show_trends`)
        self.trend_charts: list[QWidget] = []
        col.addLayout(self.trends)
        col.addStretch(1)
        self.setWidget(body)
        self.clear()

    def _show_parts(self, shown: bool) -> None:
        for w in (self.name, self.subtitle, self.form_box, self.strip_title, self.strip,
                  self.legend, self.history_title, self.history):
            w.setVisible(shown)
        for w in (self.register_title, self.register):
            w.setVisible(shown and bool(self.register.text()))
        self.hint.setVisible(not shown)

    def clear(self) -> None:
        for label in (self.name, self.subtitle, self.phone, self.email, self.emergency,
                      self.concerns, self.spellings, self.history, self.register):
            label.clear()
        self.strip.set_cells([])
        self.member_id: int | None = None
        self.show_trends([])
        self._show_parts(False)

    def show_trends(self, trends: Sequence[Trend]) -> None:
        """The member's questionnaires over the sessions, one small chart each."""
        from groupleader.ui.measures.charts import TrendChart

        for chart in self.trend_charts:
            self.trends.removeWidget(chart)
            chart.hide()
            chart.deleteLater()
        self.trend_charts = []
        for trend in trends:
            chart = TrendChart(trend, compact=True)
            chart.setMinimumSize(240, 240)
            self.trends.addWidget(chart)
            self.trend_charts.append(chart)

    def show_member(
        self, member: MemberSnap, history: Sequence[MembershipSnap],
        strip: Sequence[AttendanceMark], pseudonym: str | None = None,
        register: str = "",
    ) -> None:
        """Show a member; with `pseudonym` (screen-share safe) only that and the
        attendance strip, no name, contact details or concerns. `register`: their risk
        entries and incidents, one a line (`register.history.register_text`)."""
        self.member_id = member.id
        self.register.setText("" if pseudonym is not None else register)
        if pseudonym is not None:
            self.name.setText(pseudonym)
            self.subtitle.setText("Screen-share safe: details hidden")
            for label in (self.phone, self.email, self.emergency, self.concerns,
                          self.spellings, self.history):
                label.setText("—")
            self.strip.set_cells(strip)
            self.strip_title.setText(
                f"Last {len(strip)} sessions (oldest first)" if strip
                else "No sessions held yet")
            self._show_parts(True)
            return
        self.name.setText(member.display_name)
        bits = []
        if member.preferred_name and member.preferred_name != member.full_name:
            bits.append(member.full_name)
        if member.pronouns:
            bits.append(member.pronouns)
        if member.dob:
            bits.append(f"born {short_date(member.dob)}")
        if member.archived:
            bits.append("archived")
        self.subtitle.setText(" · ".join(bits))
        self.phone.setText(member.phone or "—")
        self.email.setText(member.email or "—")
        self.emergency.setText(member.emergency_contact or "—")
        self.concerns.setText(member.presenting_concerns or "—")
        self.spellings.setText(", ".join(member.also_written_as) or "—")
        self.history.setText(history_text(history))
        self.strip.set_cells(strip)
        self.strip_title.setText(
            f"Last {len(strip)} sessions (oldest first)" if strip else "No sessions held yet")
        self._show_parts(True)
