"""Small forms of the risk register and of incidents: open a risk entry, review or close
one, record an incident, follow one up. Each takes a `submit` callable that runs the
operation; a refusal (InvalidInput) shows in the dialog, which stays open, and changes
nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from groupleader import register_vocab
from groupleader.data.register_snapshots import (
    IncidentSnap,
    IncidentSpec,
    RiskEntrySnap,
    RiskEntrySpec,
    RuleSnap,
)
from groupleader.errors import GroupLeaderError
from groupleader.ui.date_field import DateField
from groupleader.ui.roster.member_dialog import ERROR_STYLE, pydate, qdate


def _text_box(name: str, lines: int = 3, placeholder: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setAccessibleName(name)
    box.setPlaceholderText(placeholder)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


def _date_field(name: str, day: date) -> DateField:
    field = DateField(qdate(day))
    field.setDisplayFormat("dd MMM yyyy")
    field.setAccessibleName(name)
    return field


def _combo(name: str, labels: dict[str, str], current: str | None = None) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    for key, label in labels.items():
        combo.addItem(label, key)
    if current is not None and current in labels:
        combo.setCurrentIndex(list(labels).index(current))
    return combo


class _Form(QDialog):
    """A titled form with an error line and OK / Cancel; `_submit` does the work."""

    def __init__(self, title: str, heading: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.layout_ = QVBoxLayout(self)
        if heading:
            label = QLabel(heading)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            self.layout_.addWidget(label)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.layout_.addLayout(self.form)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)

    def finish(self) -> None:
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.buttons)

    def _submit(self) -> None:
        """Run the operation (each form overrides it); raise to keep the dialog open."""

    def try_accept(self) -> None:
        self.error.hide()
        try:
            self._submit()
        except GroupLeaderError as err:
            self.error.setText(err.message)
            self.error.show()
            return
        self.accept()


class RiskEntryDialog(_Form):
    """Open (or, while its session is unsigned, correct) a risk entry: kind, level, what
    was observed, what was done, review by (a week after the session unless changed)."""

    def __init__(self, submit: Callable[[RiskEntrySpec], None], who: str, opened_on: date,
                 entry: RiskEntrySnap | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Risk entry", f"Risk concern: {who}", parent)
        self._send = submit
        self.kind = _combo("Kind of risk", register_vocab.KIND_LABELS,
                           entry.kind if entry else None)
        self.form.addRow("&Kind", self.kind)
        self.level = _combo("Level", register_vocab.LEVEL_LABELS,
                            entry.level if entry else "moderate")
        self.form.addRow("&Level", self.level)
        self.observed = _text_box("What was observed", 3, "What was said or seen")
        self.form.addRow("&Observed", self.observed)
        self.action = _text_box("What was done", 3,
                                "Safety plan, contact made, who was told…")
        self.form.addRow("&Done", self.action)
        self.review_by = _date_field(
            "Review by", entry.review_by if entry else register_vocab.default_review_by(
                opened_on))
        self.form.addRow("&Review by", self.review_by)
        if entry is not None:
            self.observed.setPlainText(entry.observed)
            self.action.setPlainText(entry.action_taken)
        self.finish()

    def spec(self) -> RiskEntrySpec:
        return RiskEntrySpec(kind=str(self.kind.currentData()),
                             level=str(self.level.currentData()),
                             observed=self.observed.toPlainText(),
                             action_taken=self.action.toPlainText(),
                             review_by=pydate(self.review_by.date()))

    def _submit(self) -> None:
        self._send(self.spec())


# submit(on_date, level, note, next_review_by)
ReviewSubmit = Callable[[date, str, str, "date | None"], None]


class ReviewDialog(_Form):
    """Review an open entry (date, level, note, next review) or, `closing`, close it with
    its closing note (required: the service refuses an empty one)."""

    def __init__(self, submit: ReviewSubmit, entry: RiskEntrySnap, today: date, *,
                 closing: bool = False, parent: QWidget | None = None) -> None:
        kind = register_vocab.KIND_LABELS.get(entry.kind, entry.kind)
        super().__init__("Close risk entry" if closing else "Review risk entry",
                         f"{entry.member_name}: {kind}, {entry.line(today)}", parent)
        self._send = submit
        self.closing = closing
        self.on_date = _date_field("Date of the review", max(today, entry.opened_on))
        self.form.addRow("Dat&e", self.on_date)
        self.level = _combo("Level now", register_vocab.LEVEL_LABELS, entry.current_level)
        self.level.setVisible(not closing)
        if not closing:
            self.form.addRow("&Level now", self.level)
        self.note = _text_box("Closing note" if closing else "Review note", 4,
                              "Why it can be closed: what changed, what was done"
                              if closing else "What was reviewed, with whom, what next")
        self.form.addRow("Closing &note" if closing else "&Note", self.note)
        self.next_review = _date_field("Next review by", register_vocab.default_review_by(
            max(today, entry.opened_on)))
        if not closing:
            self.form.addRow("Ne&xt review by", self.next_review)
        self.finish()

    def _submit(self) -> None:
        self._send(pydate(self.on_date.date()), str(self.level.currentData()),
                   self.note.toPlainText(),
                   None if self.closing else pydate(self.next_review.date()))


class IncidentDialog(_Form):
    """A boundary incident: the rule, the members involved, what happened, how it was
    worked with in the group, and its follow-up status."""

    def __init__(self, submit: Callable[[IncidentSpec], None], rules: Sequence[RuleSnap],
                 members: Sequence[tuple[int, str]], incident: IncidentSnap | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Boundary incident", "", parent)
        self._send = submit
        self.rule = QComboBox()
        self.rule.setAccessibleName("Rule of the group agreement")
        for r in rules:
            self.rule.addItem(r.title, r.id)
        self.rule.addItem("Not one of the agreement's rules", None)
        if incident is not None:
            at = self.rule.findData(incident.rule_id)
            if at < 0 and incident.rule_id is not None:  # a retired rule
                self.rule.insertItem(0, incident.rule_title, incident.rule_id)
                at = 0
            self.rule.setCurrentIndex(max(at, 0))
        self.form.addRow("&Rule", self.rule)
        self.members = QListWidget()
        self.members.setAccessibleName("Members involved")
        chosen = set(incident.member_ids) if incident else set()
        for member_id, name in members:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, member_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if member_id in chosen
                               else Qt.CheckState.Unchecked)
            self.members.addItem(item)
        rows = min(max(len(members), 2), 5)
        self.members.setFixedHeight(self.members.fontMetrics().lineSpacing() * rows + 16)
        self.form.addRow("&Members", self.members)
        self.what = _text_box("What happened", 3)
        self.form.addRow("&What happened", self.what)
        self.worked = _text_box("How it was worked with in the group", 3)
        self.form.addRow("Worked &with", self.worked)
        self.status = _combo("Follow-up", register_vocab.FOLLOW_UP_LABELS,
                             incident.status if incident else "open")
        self.form.addRow("&Follow-up", self.status)
        if incident is not None:
            self.what.setPlainText(incident.what_happened)
            self.worked.setPlainText(incident.worked_with)
        self.finish()

    def check(self, member_ids: Sequence[int]) -> None:
        for i in range(self.members.count()):
            item = self.members.item(i)
            item.setCheckState(Qt.CheckState.Checked
                               if item.data(Qt.ItemDataRole.UserRole) in member_ids
                               else Qt.CheckState.Unchecked)

    def choose_rule(self, rule_id: int | None) -> None:
        self.rule.setCurrentIndex(max(self.rule.findData(rule_id), 0))

    def spec(self) -> IncidentSpec:
        ids = tuple(int(self.members.item(i).data(Qt.ItemDataRole.UserRole))
                    for i in range(self.members.count())
                    if self.members.item(i).checkState() == Qt.CheckState.Checked)
        rule = self.rule.currentData()
        return IncidentSpec(rule_id=None if rule is None else int(rule), member_ids=ids,
                            what_happened=self.what.toPlainText(),
                            worked_with=self.worked.toPlainText(),
                            status=str(self.status.currentData()))

    def _submit(self) -> None:
        self._send(self.spec())


class FollowUpDialog(_Form):
    """A dated follow-up of an incident: its status now and a note (required)."""

    def __init__(self, submit: Callable[[date, str, str], None], incident: IncidentSnap,
                 today: date, parent: QWidget | None = None) -> None:
        super().__init__("Follow up incident",
                         f"{incident.rule_title or 'Incident'}: "
                         f"{', '.join(incident.member_names)}", parent)
        self._send = submit
        self.on_date = _date_field("Date of the follow-up", today)
        self.form.addRow("Dat&e", self.on_date)
        self.status = _combo("Follow-up status", register_vocab.FOLLOW_UP_LABELS,
                             "resolved" if incident.current_status != "resolved" else None)
        self.form.addRow("&Status", self.status)
        self.note = _text_box("Follow-up note", 3)
        self.form.addRow("&Note", self.note)
        self.finish()

    def _submit(self) -> None:
        self._send(pydate(self.on_date.date()), str(self.status.currentData()),
                   self.note.toPlainText())
