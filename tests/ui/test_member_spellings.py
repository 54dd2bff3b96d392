"""A member's "also written as" (other spellings) is edited in the member dialog: one a
line, checked beside the field, saved through the roster operation with an audit event,
shown in the detail pane at once and hidden by the next de-identified export."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from groupleader.data.models import AuditEvent
from groupleader.data.operations import query
from groupleader.data.services import members
from groupleader.data.vault import Vault
from groupleader.report.collect import load_people, redactor_for
from groupleader.report.model import ReportOptions
from groupleader.ui.context import AppContext
from groupleader.ui.roster import RosterView
from groupleader.ui.roster.member_dialog import MemberDialog
from groupleader.ui.settings import Settings
from tests.ui.test_roster_model import Roster, make_roster


@pytest.fixture
def roster(vault: Vault) -> Roster:
    return make_roster(vault)


@pytest.fixture
def view(qtbot: QtBot, vault: Vault, roster: Roster) -> RosterView:
    ctx = AppContext(Settings(path=vault.path.with_name("settings.ini")))
    ctx.vault = vault
    w = RosterView(ctx)
    qtbot.addWidget(w)
    w.resize(1200, 600)
    w.show()
    w.set_group(roster.group_id)
    return w


def driving(fill: Callable[[MemberDialog], None], seen: list[MemberDialog]
            ) -> Callable[[QDialog], int]:
    def run(dialog: QDialog) -> int:
        assert isinstance(dialog, MemberDialog)
        seen.append(dialog)
        fill(dialog)
        dialog.try_accept()
        return dialog.result()

    return run


def audit_count(vault: Vault, action: str) -> int:
    with vault.unit_of_work() as db:
        return len(db.scalars(select(AuditEvent).where(AuditEvent.action == action)).all())


def test_other_spellings_are_saved_audited_shown_and_hidden_at_once(
    view: RosterView, vault: Vault, roster: Roster
) -> None:
    view.select_membership(roster.ms["bea"])
    before = audit_count(vault, "member.update")
    seen: list[MemberDialog] = []
    view.exec_dialog = driving(  # type: ignore[method-assign]
        lambda d: d.also_written_as.setPlainText("Trixie\n  Bea  \n\n<b>B&P</b>\nTrixie"),
        seen)
    view.edit_member()
    assert seen[0].result() == QDialog.DialogCode.Accepted
    stored = query(vault, members.get_member, roster.ids["bea"]).also_written_as
    assert stored == ("Trixie", "Bea", "<b>B&P</b>")  # one a line, trimmed, once each
    assert audit_count(vault, "member.update") == before + 1
    assert view.detail.spellings.text() == "Trixie, Bea, <b>B&P</b>"
    assert view.detail.spellings.textFormat().name == "PlainText"
    people = load_people(vault, roster.group_id)
    text = redactor_for(people, ReportOptions(deidentify=True)).text("Trixie phoned.")
    assert "Trixie" not in text
    seen.clear()
    view.exec_dialog = driving(lambda d: None, seen)  # type: ignore[method-assign]
    view.edit_member()
    assert seen[0].also_written_as.toPlainText() == "Trixie\nBea\n<b>B&P</b>"


@pytest.mark.parametrize(("typed", "says"), [
    ("🌈", "has no letter"),
    ("---", "has no letter"),
    ("Z", "single letter"),
    ("Z.", "single letter"),
    ("x" * 150, "100 characters"),
    ("\n".join(f"Name{i:04d}" for i in range(300)), "2,000 characters"),
])
def test_a_spelling_that_cannot_be_one_is_refused_beside_the_field(
    view: RosterView, vault: Vault, roster: Roster, typed: str, says: str
) -> None:
    view.select_membership(roster.ms["bea"])
    seen: list[MemberDialog] = []
    view.exec_dialog = driving(  # type: ignore[method-assign]
        lambda d: d.also_written_as.setPlainText(typed), seen)
    view.edit_member()
    dialog = seen[0]
    assert dialog.result() == 0  # still open, with what was typed
    assert says in dialog.errors["also_written_as"].text()
    assert dialog.errors["also_written_as"].isVisibleTo(dialog)
    assert dialog.also_written_as.toPlainText() == typed
    assert query(vault, members.get_member, roster.ids["bea"]).also_written_as == ()


def test_a_renamed_member_keeps_the_old_name_as_a_spelling_until_undone(
    view: RosterView, vault: Vault, roster: Roster
) -> None:
    """A rename in the member dialog keeps the old name and preferred name as other
    spellings (notes written before use them, and a de-identified export must still hide
    them); Undo puts the member back exactly as they were, Redo renames them again."""
    bea = roster.ids["bea"]
    view.select_membership(roster.ms["bea"])
    was = query(vault, members.get_member, bea)
    seen: list[MemberDialog] = []

    def rename(d: MemberDialog) -> None:
        d.full_name.setText("Beatrix Heelis")
        d.preferred_name.setText("Trix")

    view.exec_dialog = driving(rename, seen)  # type: ignore[method-assign]
    view.edit_member()
    now = query(vault, members.get_member, bea)
    assert (now.full_name, now.preferred_name) == ("Beatrix Heelis", "Trix")
    assert now.also_written_as == ("Beatrix Potter",)
    assert view.detail.spellings.text() == "Beatrix Potter"
    hide = redactor_for(load_people(vault, roster.group_id), ReportOptions(deidentify=True))
    text = hide.text("Beatrix Potter phoned; Potter will come back.")
    assert "Potter" not in text and "Beatrix" not in text

    view.undo_action.trigger()
    assert query(vault, members.get_member, bea) == was  # exactly, no spelling added
    view.redo_action.trigger()
    assert query(vault, members.get_member, bea).also_written_as == ("Beatrix Potter",)
