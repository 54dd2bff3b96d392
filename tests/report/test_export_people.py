"""Which members an export reads: an identified export (no one hidden) the group's own,
a de-identified one or a member extract every member of the vault, so that a member of
another group named in a note is hidden too."""

from __future__ import annotations

from datetime import date

from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import roster as ops_roster
from groupleader.data.snapshots import GroupNoteFields, GroupSpec, MemberSpec
from groupleader.report.batch import ExportJob, render_job
from groupleader.report.collect import load_people, needs_everyone
from groupleader.report.model import ReportOptions
from tests.report.conftest import Clinic
from tests.report.pdfcheck import all_text, flat

OUTSIDER = "Zora Quintero"


def _with_an_outsider(clinic: Clinic) -> int:
    """A member of another group only, named in the draft session's group note."""
    vault = clinic.vault
    other = ops_groups.create_group(vault, GroupSpec(
        "Thursday group", "support", (clinic.leader,))).value.id
    zora = ops_roster.create_member(vault, MemberSpec(OUTSIDER)).value.id
    ops_roster.add_membership(vault, zora, other, "active", date(2024, 1, 1))
    ops_notes.save_group_note(vault, clinic.draft_meeting, GroupNoteFields(
        themes=f"Maria met {OUTSIDER} in the waiting room."))
    return zora


def test_an_identified_export_reads_the_groups_members_and_prints_the_same(
        clinic: Clinic) -> None:
    zora = _with_an_outsider(clinic)
    own = {i.member_id for i in load_people(clinic.vault, clinic.group_id,
                                            everyone=False).identities}
    every = {i.member_id for i in load_people(clinic.vault, clinic.group_id).identities}
    assert own == set(clinic.members.values())
    assert every == own | {zora}

    identified = ReportOptions()
    assert not needs_everyone("session", identified)
    job = ExportJob("session", clinic.group_id, meeting_id=clinic.draft_meeting)
    lean = render_job(clinic.vault, job, identified)
    full = render_job(clinic.vault, job, identified,
                      load_people(clinic.vault, clinic.group_id, everyone=True))
    assert lean.data == full.data  # the same document, byte for byte
    assert OUTSIDER in flat(all_text(lean.data))  # nobody is hidden in an identified one


def test_a_deidentified_export_hides_a_member_of_another_group(clinic: Clinic) -> None:
    _with_an_outsider(clinic)
    options = ReportOptions(deidentify=True)
    assert needs_everyone("session", options)
    assert needs_everyone("extract", ReportOptions())
    job = ExportJob("session", clinic.group_id, meeting_id=clinic.draft_meeting)
    text = flat(all_text(render_job(clinic.vault, job, options).data))
    assert "waiting room" in text
    assert "Zora" not in text and "Quintero" not in text


def test_the_identities_and_matcher_are_made_again_only_when_a_member_changes(
        clinic: Clinic) -> None:
    """One export after another reuses the identities and the de-identification matcher
    made for the first (every member of the vault), and each export still hides a member
    added or renamed since the last one."""
    vault = clinic.vault
    options = ReportOptions(deidentify=True)
    job = ExportJob("session", clinic.group_id, meeting_id=clinic.draft_meeting)
    first = load_people(vault, clinic.group_id)
    again = load_people(vault, clinic.group_id)
    assert again.identities is first.identities  # nothing changed: not made again
    render_job(vault, job, options)

    _with_an_outsider(clinic)  # a new member, named in the session's group note
    after = load_people(vault, clinic.group_id)
    assert after.identities is not first.identities
    text = flat(all_text(render_job(vault, job, options).data))
    assert "waiting room" in text
    assert "Zora" not in text and "Quintero" not in text

    zora = next(i for i in after.identities if i.full_name == OUTSIDER)
    ops_roster.update_member(vault, zora.member_id, MemberSpec("Wilhelmina Quayle"))
    ops_notes.save_group_note(vault, clinic.draft_meeting, GroupNoteFields(
        themes="Maria met Wilhelmina Quayle in the waiting room."))
    text = flat(all_text(render_job(vault, job, options).data))
    assert "waiting room" in text
    assert "Wilhelmina" not in text and "Quayle" not in text


def test_each_export_reviews_its_own_text_with_the_shared_matcher(clinic: Clinic) -> None:
    """The matcher is shared between exports, its review is not: the second export's
    review lists what that export replaced, not the first's again."""
    options = ReportOptions(deidentify=True)
    job = ExportJob("session", clinic.group_id, meeting_id=clinic.draft_meeting)
    first = render_job(clinic.vault, job, options).review
    second = render_job(clinic.vault, job, options).review
    assert first.replacements  # the clinic's notes name its members
    assert second.replacements == first.replacements
    assert second.possible == first.possible


def test_what_an_export_made_is_dropped_when_the_vault_closes(clinic: Clinic) -> None:
    load_people(clinic.vault, clinic.group_id)
    assert clinic.vault.memo  # kept while the vault is open
    clinic.vault.close()
    assert clinic.vault.memo == {}
