"""Gather, through the services, everything a report prints, and de-identify it here.

This is the only module of the report package that reads the vault. It turns service
snapshots into the finished dataclasses of `model.py`; every member name and every piece
of free text passes through one `Redactor` on the way, so the layout code never sees a
name it should not print.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from groupleader import amendments, note_fields
from groupleader import factors as factor_vocab
from groupleader.data import paper_codes
from groupleader.data.operations import query
from groupleader.data.services import agreement as agreement_svc
from groupleader.data.services import clinicians as clinicians_svc
from groupleader.data.services import groups as groups_svc
from groupleader.data.services import hide_terms as hide_terms_svc
from groupleader.data.services import meetings as meetings_svc
from groupleader.data.services import members as members_svc
from groupleader.data.services import notes as notes_svc
from groupleader.data.services import risk as risk_svc
from groupleader.data.snapshots import (
    AttendanceRow,
    ClinicianSnap,
    MeetingNotes,
    MeetingSnap,
    MemberNoteSnap,
    NoteStatus,
    Party,
)
from groupleader.data.vault import Vault
from groupleader.report import collect_register
from groupleader.report.model import (
    Addendum,
    Arrow,
    AttendanceLine,
    Chair,
    MemberNoteBlock,
    ReportOptions,
    RiskItem,
    Section,
    SessionSummary,
    Signoff,
)
from groupleader.report.redact import Identity, NoRedaction, Redactor, Review

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

KIND_LABELS = {
    "psychodynamic": "Psychodynamic / process group",
    "support": "Support group",
    "psychoeducational": "Psychoeducational group",
    "self_help": "Self-help group (peer-led)",
}
ATTENDANCE_LABELS = {
    "present": "Present",
    "late": "Late",
    "absent_notice": "Absent (notice given)",
    "absent_no_notice": "Absent (no notice)",
    None: "Not recorded",
}
ATTENDED = frozenset({"present", "late"})
# The group note's risk fields go in the risk and safety box (in this order), the rest
# under "Group note"; a member's risk follow-up goes in the box, the rest in their note.
# Titles are the vocabulary's (groupleader/note_fields.py), shared with the screen.
RISK_KEYS = ("risk", "critical_incidents", "boundary_incidents")
GROUP_SECTIONS = tuple((key, note_fields.group_field(key).title)
                       for key in note_fields.GROUP_TEXT if key not in RISK_KEYS)
RISK_SECTIONS = tuple((key, note_fields.group_field(key).title) for key in RISK_KEYS)
MEMBER_SECTIONS = tuple((key, note_fields.member_field(key).title)
                        for key in note_fields.MEMBER_TEXT if key != "risk_followup")
RISK_FLAG_TITLE = note_fields.member_field("risk_flag").title
RISK_FOLLOWUP_TITLE = note_fields.member_field("risk_followup").title


# ---------------------------------------------------------------- formatting


def local(moment: datetime) -> datetime:
    return moment.astimezone()


def day_text(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def when_text(moment: datetime | None) -> str:
    if moment is None:
        return ""
    t = local(moment)
    return f"{t.day} {t:%b %Y %H:%M}"


def length_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{minutes} minutes ({hours} h {rest:02d} min)"
    return f"{minutes} minutes"


def participants_text(members: int, leaders: int) -> str:
    """"5 members and 2 leaders": who took part (members present or late)."""
    who = f"{members} member" + ("" if members == 1 else "s")
    if leaders:
        who += f" and {leaders} leader" + ("" if leaders == 1 else "s")
    return who


def clinician_text(c: ClinicianSnap) -> str:
    return f"{c.name}, {c.credentials}" if c.credentials else c.name


def slug(text: str) -> str:
    """A file-name-safe form of a group name (letters of any script are kept)."""
    cleaned = re.sub(r"[^\w]+", "-", text.casefold()).strip("-")
    return cleaned[:40] or "group"


def deidentified_suffix(options: ReportOptions) -> str:
    """What ends a de-identified export's file name, so the file says what it is."""
    return "-deidentified" if options.deidentify else ""


def deidentified_file(dest: Path) -> Path:
    """`dest` (a PDF file the user named) with "-deidentified" before ".pdf", unless its
    name already ends so: a de-identified file says what it is, whoever names it."""
    stem = dest.name[:-4] if dest.name.lower().endswith(".pdf") else dest.name
    if stem.casefold().endswith("-deidentified"):
        return dest.with_name(f"{stem}.pdf")
    return dest.with_name(f"{stem}-deidentified.pdf")


def signoff(status: NoteStatus | None) -> Signoff:
    if status is None or status.signed_at is None:
        return Signoff()
    return Signoff(
        signed_by=clinician_text(status.signed_by) if status.signed_by else "",
        signed_at=when_text(status.signed_at),
        cosigned_by=clinician_text(status.cosigned_by) if status.cosigned_by else "",
        cosigned_at=when_text(status.cosigned_at),
    )


# ---------------------------------------------------------------- people


@dataclass(frozen=True)
class People:
    """Every member's identity (for scrubbing text) and their alias in one group."""

    identities: tuple[Identity, ...]
    known: tuple[str, ...] = ()  # clinicians, the groups, rooms: words that are no one's
    terms: tuple[str, ...] = ()  # the vault's general terms to hide
    # whether its redactors note what they replaced and left (`review_of`): an export
    # shown for review does; a batch written unseen does not (the notes grew with every
    # session of it, and each session's `review_of` copied all of them again)
    review: bool = True
    # the redactors built for this export, by what they keep: one matcher per batch
    _built: dict[tuple[object, ...], Redactor] = field(
        default_factory=dict, compare=False, repr=False)
    # the matchers over these identities kept between exports (`load_people`), which
    # `redactor_for` copies; a People made by hand keeps its own
    _matchers: dict[tuple[object, ...], Redactor] = field(
        default_factory=dict, compare=False, repr=False)

    @property
    def by_id(self) -> Mapping[int, Identity]:
        return {i.member_id: i for i in self.identities}


def load_people(vault: Vault, group_id: int, *, everyone: bool = True) -> People:
    """All members of the vault, aliased by their pseudonym in this group (else initials).

    Every member is listed, not only this group's, so that a name from another group
    mentioned in a note is hidden too. An export that hides no one (identified, not a
    member extract: `NoRedaction`) needs only the group's own members for their legal
    names; `everyone=False` lists those alone (`needs_everyone` says which exports).

    What the identities are made of is read every time; the identities themselves, and
    the redactors' matchers over them, are made again only when that differs from the
    last export's (`_Made`, kept in `Vault.memo` while the vault is open).
    """
    source = query(vault, _people_source, group_id, everyone)
    made = vault.memo.get(_MEMO)
    if not isinstance(made, _Made) or made.source != source:
        made = _Made(source, _identities(source))
        vault.memo[_MEMO] = made
    _rows, _pseudonyms, known, terms = source
    return People(made.identities, known, terms, _matchers=made.matchers)


PeopleSource = tuple[tuple[members_svc.IdentityRow, ...], tuple[tuple[int, str], ...],
                     tuple[str, ...], tuple[str, ...]]
_MEMO = "report.people"


@dataclass(frozen=True)
class _Made:
    """The identities made from one `PeopleSource`, and the matchers built over them (by
    `redactor_for`'s key). A matcher is never handed out: each export gets a copy of it
    with a review of its own (`Redactor.fresh`)."""

    source: PeopleSource
    identities: tuple[Identity, ...]
    matchers: dict[tuple[object, ...], Redactor] = field(default_factory=dict)


def needs_everyone(kind: str, options: ReportOptions) -> bool:
    """Whether an export of `kind` with `options` redacts, so that its `People` must list
    every member of the vault: de-identified, or a member extract (the others hidden)."""
    return options.deidentify or kind == "extract"


def _people_source(db: Session, group_id: int, everyone: bool = True) -> PeopleSource:
    """What `load_people` is made of, in one read: the lean queries (no roster figures,
    no leaders)."""
    pseudonyms = members_svc.pseudonyms(db, group_id)
    known = tuple(word for name, room in groups_svc.names_and_rooms(db)
                  for word in (name, room))
    known += tuple(c.name for c in clinicians_svc.list_clinicians(db))
    terms = tuple(t for _, t in hide_terms_svc.list_terms(db))
    rows = tuple(members_svc.identity_rows(db, in_group=None if everyone else group_id))
    return rows, tuple(pseudonyms.items()), known, terms


def _identities(source: PeopleSource) -> tuple[Identity, ...]:
    rows, pseudonym_items, _known, _terms = source
    pseudonyms = dict(pseudonym_items)
    return tuple(
        Identity(
            member_id=i, full_name=full, preferred_name=preferred,
            alias=pseudonyms.get(i) or members_svc.initials(full), phone=phone, email=email,
            emergency_contact=contact, dob=dob, also_written_as=also,
        )
        for i, full, preferred, phone, email, contact, dob, also in rows)


def with_spellings(identities: tuple[Identity, ...],
                   spellings: Iterable[tuple[int, str]]) -> tuple[Identity, ...]:
    """The identities with more "also written as" forms (the review's, before saving)."""
    extra: dict[int, list[str]] = {}
    for member_id, word in spellings:
        extra.setdefault(member_id, []).append(word)
    if not extra:
        return identities
    return tuple(replace(i, also_written_as=(*i.also_written_as, *extra[i.member_id]))
                 if i.member_id in extra else i for i in identities)


class Namer:
    """Labels for members: their name, or their alias when they are hidden."""

    def __init__(self, people: People, redactor: Redactor) -> None:
        self.people = people.by_id
        self.redactor = redactor

    def member(self, member_id: int, display_name: str) -> str:
        if self.redactor.hides(member_id):
            ident = self.redactor.identities.get(member_id)
            return ident.alias if ident else "[member]"
        return display_name

    def legal(self, member_id: int, display_name: str) -> str:
        """The legal name with the preferred one, "Rafael Duarte Mendes (Rafa)", printed
        once per member (where a document first lists them); the alias when hidden."""
        if self.redactor.hides(member_id):
            return self.member(member_id, display_name)
        ident = self.people.get(member_id)
        return legal_label(ident.full_name, ident.preferred_name) if ident else display_name

    def text(self, value: str) -> str:
        return self.redactor.text(value)


def legal_label(full_name: str, preferred_name: str) -> str:
    """"Rafael Duarte Mendes (Rafa)"; the full name alone when no other name is preferred."""
    full, preferred = full_name.strip(), preferred_name.strip()
    if not preferred or preferred.casefold() == full.casefold():
        return full
    return f"{full} ({preferred})"


ANOTHER_MEMBER = "another member"


def redactor_for(people: People, options: ReportOptions,
                 keep: Iterable[int] = ()) -> Redactor:
    """The export's redactor, built once per `people` (a batch shares one).

    De-identified: every member hidden, any e-mail and phone number removed. A member
    extract (`keep` = its subject), not de-identified: the subject's text, name and
    details stay exactly as written; only the other members' names and details are
    replaced, by initials or by "another member" (`options.others_as`).
    """
    keep = frozenset(keep)
    if options.deidentify:
        key: tuple[object, ...] = ("deidentified", options.hide_terms, options.spellings,
                                   options.not_names)
    elif not keep:
        return NoRedaction()
    else:
        key = ("extract", keep, options.others_as, options.spellings)
    if key not in people._built:
        matcher = people._matchers.get(key)
        if matcher is None:
            matcher = people._matchers[key] = _matcher(people, options, keep)
        people._built[key] = matcher.fresh(review=people.review)
    return people._built[key]


def _matcher(people: People, options: ReportOptions, keep: frozenset[int]) -> Redactor:
    identities = with_spellings(people.identities, options.spellings)
    if options.deidentify:
        return Redactor(identities, terms=(*people.terms, *options.hide_terms),
                        known=people.known, not_names=options.not_names, review=False)
    if options.others_as == ANOTHER_MEMBER:
        identities = tuple(replace(i, alias=ANOTHER_MEMBER) for i in identities)
    return Redactor(identities, keep=keep, scrub_contacts=False, known=people.known,
                    review=False)


def review_of(people: People) -> Review:
    """Everything the export's redactors replaced and left (empty when none hid anyone)."""
    review = Review()
    for r in people._built.values():
        review.replacements += r.review.replacements
        review.possible += r.review.possible
    return review


# ---------------------------------------------------------------- session summary


def _party_key(party: Party | None) -> str:
    if party is None:
        return ""
    return f"m{party.member_id}" if party.member_id is not None else f"c{party.clinician_id}"


def addenda_of(note_label: str, status: NoteStatus | None, namer: Namer,
               member_label: Callable[[int], str] | None = None) -> list[Addendum]:
    """The note's addenda and amendments, oldest first; an amendment names its member by
    `member_label` (the report's label: initials or a pseudonym when de-identified)."""
    if status is None:
        return []
    label = member_label or (lambda member_id: namer.member(member_id, "a member"))
    out = []
    for a in status.addenda:
        if a.is_amendment and a.change is not None:
            out.append(Addendum(f"Amendment to the {note_label.lower()}", a.clinician_name,
                                when_text(a.created_at),
                                namer.text(amendments.line(a.change, a.text, label))))
        else:
            out.append(Addendum(note_label, a.clinician_name, when_text(a.created_at),
                                namer.text(a.text)))
    return out


def _attendance_label(row: AttendanceRow | None) -> str:
    """The mark as the session shows it; an amended one with the mark as recorded."""
    status = ATTENDANCE_LABELS.get(row.status if row else None, "Not recorded")
    if row is not None and row.amended:
        recorded = ATTENDANCE_LABELS.get(row.recorded_status, "Not recorded")
        status += f" (amended after signing; recorded as: {recorded})"
    return status


def _time_amended(m: MeetingSnap, status: NoteStatus | None) -> tuple[datetime, int, str]:
    """The session's start and length as amended, and what was recorded ("" if never
    amended): a signed session's time is corrected by an amendment, never rewritten."""
    start, length, recorded = m.starts_at, m.length_minutes, ""
    for a in status.addenda if status else ():
        change = a.change or {}
        if a.is_amendment and change.get("field") == amendments.TIME:
            try:
                start = datetime.fromisoformat(str(change["to"]["starts_at"]))
                length = int(change["to"]["length_minutes"])
            except (KeyError, TypeError, ValueError):
                continue
    if (start, length) != (m.starts_at, m.length_minutes):
        was = local(m.starts_at)
        recorded = (f"{day_text(was.date())} {was:%H:%M}, {length_text(m.length_minutes)}")
    return start, length, recorded


def _member_block(note: MemberNoteSnap | None, name: str, attendance: str,
                  namer: Namer) -> MemberNoteBlock:
    if note is None:
        return MemberNoteBlock(name, attendance, (), False, Signoff(), written=False)
    sections = tuple(Section(title, namer.text(getattr(note.fields, key)))
                     for key, title in MEMBER_SECTIONS if getattr(note.fields, key).strip())
    return MemberNoteBlock(name, attendance, sections, note.fields.risk_flag,
                           signoff(note.status), written=True)


def _chairs_and_arrows(notes: MeetingNotes, namer: Namer,
                       labels: dict[str, str]) -> tuple[tuple[Chair, ...], tuple[Arrow, ...]]:
    chairs = []
    for c in notes.seating:
        if c.member_id is not None:
            key, kind = f"m{c.member_id}", "member"
            label = namer.member(c.member_id, c.label)
        elif c.clinician_id is not None:
            key, kind, label = f"c{c.clinician_id}", "clinician", c.label
        else:
            key, kind, label = "", "empty", ""
        if key:
            labels[key] = label
        chairs.append(Chair(c.position, label, kind, key))
    for ln in notes.meeting.leaders:
        labels.setdefault(f"c{ln.id}", ln.name)
    arrows = tuple(
        Arrow(_party_key(i.speaker), _party_key(i.to), i.count,
              labels.get(_party_key(i.speaker), "someone"),
              labels.get(_party_key(i.to), "someone") if i.to else "the group")
        for i in notes.interactions
    )
    return tuple(chairs), arrows


def collect_session(
    vault: Vault, meeting_id: int, options: ReportOptions, people: People | None = None
) -> SessionSummary:
    """One session's summary, de-identified as `options` asks."""
    notes = query(vault, notes_svc.load_meeting_notes, meeting_id,
                                         include_private=options.include_private)
    eligible = query(vault, meetings_svc.eligible_members, meeting_id)
    people = people or load_people(vault, notes.group.id)
    namer = Namer(people, redactor_for(people, options))
    m, g = notes.meeting, notes.group

    labels: dict[str, str] = {}
    for e in eligible:
        labels[f"m{e.member_id}"] = namer.member(e.member_id, e.display_name)
    for a in notes.attendance:
        labels.setdefault(f"m{a.member_id}", namer.member(a.member_id, a.display_name))
    status_of = {a.member_id: a for a in notes.attendance}
    listed = {e.member_id for e in eligible} | set(status_of)
    chairs, arrows = _chairs_and_arrows(notes, namer, labels)

    seat_of = {int(c.key[1:]): c.position for c in chairs if c.kind == "member"}
    note_of = {n.member_id: n for n in notes.member_notes}
    shown = {mid for mid in listed if getattr(status_of.get(mid), "status", None) in ATTENDED}
    shown |= set(note_of)
    order = sorted(shown, key=lambda mid: (mid not in seat_of, seat_of.get(mid, 0),
                                           labels.get(f"m{mid}", "").casefold(), mid))
    blocks = []
    addenda: list[Addendum] = []

    def label(member_id: int, name: str) -> str:
        return labels.get(f"m{member_id}") or namer.member(member_id, name)

    mentioned: set[int] = set()

    def first(member_id: int, name: str) -> str:
        """The member's name; the legal name with it where the summary names them in
        full: the attendance table, the session's roster, for everyone it lists; the risk
        box for a member it does not list (a risk entry of someone no longer listed)."""
        shown = label(member_id, name)
        if member_id in mentioned or member_id in listed:
            return shown
        mentioned.add(member_id)
        return namer.legal(member_id, shown)

    # the register first: every entry open on the session's date, then its incidents
    day = local(m.starts_at).date()
    open_entries = query(vault, risk_svc.open_entries_in_group, g.id, day)
    risks: list[RiskItem] = collect_register.risk_items(
        sorted((e for es in open_entries.values() for e in es),
               key=lambda e: (label(e.member_id, e.member_name).casefold(), e.opened_on, e.id)),
        day, namer, first)
    risks += collect_register.incident_items(
        query(vault, agreement_svc.incidents_for_meeting, m.id), namer, first,
        notes.group_note.status.signed_at if notes.group_note is not None else None)
    gnote = notes.group_note
    if gnote is not None:
        for key, title in RISK_SECTIONS:
            value = getattr(gnote.fields, key).strip()
            if value:
                risks.append(RiskItem("Group", title, namer.text(value)))
        addenda += addenda_of("Group note", gnote.status, namer,
                              lambda mid: labels.get(f"m{mid}") or namer.member(mid, "a member"))
    for mid in order:
        note = note_of.get(mid)
        name = labels.get(f"m{mid}") or namer.member(mid, note.display_name if note else "")
        status = ATTENDANCE_LABELS.get(getattr(status_of.get(mid), "status", None))
        blocks.append(_member_block(note, name, status or "Not recorded", namer))
        if note is not None:
            follow = note.fields.risk_followup.strip()
            if note.fields.risk_flag or follow:
                risks.append(RiskItem(first(mid, name), RISK_FLAG_TITLE if note.fields.risk_flag
                                      else RISK_FOLLOWUP_TITLE,
                                      namer.text(follow) or "Flagged; no follow-up written."))
            addenda += addenda_of(f"Note on {name}", note.status, namer)

    # in the order of the legal names, each named in full (the summary's first full
    # naming of everyone it lists; the risk box above gives the preferred name)
    attendance = [
        AttendanceLine(namer.legal(mid, labels[f"m{mid}"]),
                       _attendance_label(status_of.get(mid)),
                       getattr(status_of.get(mid), "minutes_late", None),
                       getattr(status_of.get(mid), "status", None) in ATTENDED,
                       getattr(status_of.get(mid), "minutes_left_early", None),
                       collect_register.attendance_detail(status_of.get(mid), namer))
        for mid in sorted(listed, key=lambda mid: (
            namer.legal(mid, labels[f"m{mid}"]).casefold(), mid))]

    process_note = None
    if options.include_private:
        pnote = notes.private_note
        process_note = namer.text(pnote.text) if pnote is not None else ""
        if pnote is not None:
            addenda += addenda_of("Process note", pnote.status, namer)

    group_signoff = signoff(gnote.status if gnote else None)
    draft = not group_signoff.signed or any(
        b.written and not b.signoff.signed for b in blocks)
    starts_at, minutes, recorded_time = _time_amended(m, gnote.status if gnote else None)
    start = local(starts_at)
    end = local(starts_at + timedelta(minutes=minutes))
    came = sum(1 for line in attendance if line.attended)
    return SessionSummary(
        practice=options.practice.strip(),
        group_name=namer.text(g.name),
        group_kind=KIND_LABELS.get(g.kind, g.kind),
        session_label=m.label,
        date_text=day_text(start.date()),
        start_text=f"{start:%H:%M}",
        length_text=length_text(minutes) + (
            f" (amended after signing; recorded as: {recorded_time})" if recorded_time else ""),
        leaders=", ".join(clinician_text(c) for c in m.leaders) or "Not recorded",
        room=g.room or "Not recorded",
        topic=namer.text(m.topic),
        attendance=tuple(attendance),
        chairs=chairs,
        arrows=arrows,
        group_sections=tuple(
            Section(title, namer.text(getattr(gnote.fields, key)))
            for key, title in GROUP_SECTIONS if getattr(gnote.fields, key).strip()
        ) if gnote else (),
        factors=tuple(factor_vocab.factor(k).label for k in gnote.fields.factors
                      if factor_vocab.is_factor(k)) if gnote else (),
        stage=note_fields.stage_label(gnote.fields.stage) if gnote else "",
        risk_items=tuple(risks),
        member_notes=tuple(blocks),
        group_signoff=group_signoff,
        addenda=tuple(addenda),
        process_note=process_note,
        deidentified=options.deidentify,
        draft=draft,
        meeting_id=m.id,
        file_stem=f"{slug(namer.text(g.name))}-session-{m.number:03d}-{start.date():%Y-%m-%d}"
                  + deidentified_suffix(options),
        paper_code=query(vault, paper_codes.session_code, m.id, options.include_private),
        end_text=f"{end:%H:%M}" + (f" on {day_text(end.date())}" if end.date() != start.date()
                                   else ""),
        participants=participants_text(came, len(m.leaders)),
    )


# ---------------------------------------------------------------- shared by the period views


def meetings_between(vault: Vault, group_id: int, start: date | None,
                     end: date | None) -> list[MeetingSnap]:
    """The group's sessions whose local date falls in [start, end] (open ends allowed)."""
    return [m for m in query(vault, meetings_svc.list_meetings, group_id)
            if (start is None or local(m.starts_at).date() >= start)
            and (end is None or local(m.starts_at).date() <= end)]


def period_text(start: date | None, end: date | None, sessions: list[MeetingSnap]) -> str:
    if start is None and sessions:
        start = local(sessions[0].starts_at).date()
    if end is None and sessions:
        end = local(sessions[-1].starts_at).date()
    if start is None or end is None:
        return "No sessions"
    return f"{start.day} {start:%b %Y} to {end.day} {end:%b %Y}"


def group_label(vault: Vault, group_id: int) -> tuple[str, str]:
    g = query(vault, groups_svc.get_group, group_id)
    return g.name, KIND_LABELS.get(g.kind, g.kind)
