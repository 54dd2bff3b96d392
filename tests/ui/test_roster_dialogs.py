"""The member form and the status dialog: problems shown beside their field, choices."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from groupleader.data.snapshots import MemberSpec
from groupleader.errors import InvalidInput
from groupleader.ui.roster.commands import status_reason
from groupleader.ui.roster.member_dialog import MemberDialog
from groupleader.ui.roster.status_dialog import StatusDialog


def test_an_empty_name_is_shown_beside_the_name_field(qtbot: QtBot) -> None:
    calls: list[MemberSpec] = []
    dialog = MemberDialog(lambda spec, *_: calls.append(spec), adding=True)
    qtbot.addWidget(dialog)
    dialog.try_accept()
    assert calls == []
    assert dialog.errors["full_name"].isVisibleTo(dialog)
    assert dialog.errors["full_name"].text() == "Enter the member's full name."
    assert dialog.result() == 0  # still open


def test_an_unreadable_date_of_birth_is_shown_beside_that_field(qtbot: QtBot) -> None:
    dialog = MemberDialog(lambda *_: None)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.full_name, "Ada")
    qtbot.keyClicks(dialog.dob, "12/31/1990")  # month first: not accepted
    dialog.try_accept()
    assert dialog.errors["dob"].isVisibleTo(dialog)
    assert "DD.MM.YYYY" in dialog.errors["dob"].text()
    assert not dialog.errors["full_name"].isVisibleTo(dialog)


def test_a_service_refusal_lands_beside_the_field_it_names(qtbot: QtBot) -> None:
    def submit(spec: MemberSpec, status: str | None, on_date: date | None) -> None:
        raise InvalidInput("Enter an email address like name@example.org.", "email")

    dialog = MemberDialog(submit, adding=True)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.full_name, "Ada")
    qtbot.keyClicks(dialog.email, "nope")
    dialog.try_accept()
    assert dialog.errors["email"].text() == "Enter an email address like name@example.org."
    assert dialog.email.text() == "nope"  # what was typed is kept
    assert dialog.result() == 0


def test_the_form_hands_over_exactly_what_was_typed(qtbot: QtBot) -> None:
    got: list[tuple[MemberSpec, str | None, date | None]] = []
    dialog = MemberDialog(lambda *args: got.append(args), adding=True)
    qtbot.addWidget(dialog)
    name = "<b>Zoë & \"Q\"</b> 🌈 מרים"
    dialog.full_name.setText(name)  # QTest cannot type characters outside the BMP
    qtbot.keyClicks(dialog.dob, "05.03.1990")
    dialog.emergency_contact.setPlainText("Sam\n555-0101")
    dialog.status.setCurrentIndex(dialog.status.findData("active"))
    dialog.try_accept()
    [(spec, status, on_date)] = got
    assert spec.full_name == name and spec.dob == date(1990, 3, 5)
    assert spec.emergency_contact == "Sam\n555-0101"
    assert status == "active" and on_date == date.today()
    assert dialog.result() == 1


def test_status_dialog_offers_exactly_the_given_choices_and_farewell_only_on_graduation(
    qtbot: QtBot,
) -> None:
    got: list[tuple[str, date, str, str]] = []
    dialog = StatusDialog(lambda *a: got.append(a), {"left", "graduated", "transferred"},
                          title="Change status", who="Ada", current="active")
    qtbot.addWidget(dialog)
    assert dialog.choices() == ["graduated", "left", "transferred"]
    dialog.choose("left")
    assert not dialog.farewell.isVisibleTo(dialog)
    dialog.choose("graduated")
    assert dialog.farewell.isVisibleTo(dialog)
    dialog.reason.setPlainText("finished the work")
    dialog.farewell.setPlainText("The group said goodbye with a card.")
    dialog.try_accept()
    assert got == [("graduated", date.today(), "finished the work",
                    "The group said goodbye with a card.")]


def test_status_dialog_shows_a_refusal_and_stays_open(qtbot: QtBot) -> None:
    def submit(*_: object) -> None:
        raise InvalidInput("The date cannot be before the previous change.", "on_date")

    dialog = StatusDialog(submit, {"active"}, title="Change status", who="Ada")
    qtbot.addWidget(dialog)
    dialog.try_accept()
    assert dialog.error.text() == "The date cannot be before the previous change."
    assert dialog.result() == 0


def test_farewell_note_is_kept_after_the_reason() -> None:
    assert status_reason(" done ", "") == "done"
    assert status_reason("", "bye") == "Farewell note: bye"
    assert status_reason("done", "bye") == "done\n\nFarewell note: bye"
