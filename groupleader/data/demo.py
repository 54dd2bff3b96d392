"""A demo vault full of believable, invented records, for a first look and for tests.

Everything is written through the services (never SQL), in the order a leader would
have written it: week by week, each roster change before the first session it affects.
Text comes from small sentence banks drawn with a seeded ``random.Random``, so the same
``today`` always gives the same records. Every name, contact detail and story here is
invented; phone numbers are in the 555-01xx range kept for fiction and e-mail addresses
are at example.org.

The practice: a leader, a co-leader and a supervisor; the "Thursday Evening Group" (an
open-ended psychodynamic group with two leaders) and "Living with Loss" (a support group
of twelve sessions per cycle, one leader, cycle 2 in progress). See docs/demo.md.

Honest dates: the services stamp saving, signing, co-signing, addenda and audit events
with `clock.now()`, and take no time from their callers. The builder (the one program
caller of `clock.frozen_at`) writes each step at the moment it would have happened: the
practice is set up `SETUP_DAYS` before `today`, a roster change on its date, a session's
records at its end, its notes signed the day after (`SIGN_AFTER`), risk notes co-signed
the day after that, other co-signatures at the next week's supervision, and addenda a
week after the session (after the events they report). So the same `today` gives the
same vault, moments included.
"""

from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from groupleader.data import clock, demo_register
from groupleader.data.demo_measures import add_demo_scores
from groupleader.data.demo_text import (
    CLINICIANS,
    FACTORS,
    MEMBERS,
    PINS,
    PROCESS,
    PROCESS_AGREEMENT,
    SUPPORT,
    SUPPORT_AGREEMENT,
    SUPPORT_TOPICS,
)
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import roster as ops_roster
from groupleader.data.operations import seating as ops_seating
from groupleader.data.snapshots import (
    ChairSpec,
    ClinicianSpec,
    GroupNoteFields,
    GroupSpec,
    MemberNoteFields,
    MemberSpec,
    Party,
)
from groupleader.data.vault import Vault

SEED = 1729
PROCESS_SESSIONS = 22  # weekly, the last one in the week before `today`
PROCESS_CANCELLED = 14  # the leader was ill
SUPPORT_CYCLE2_HELD = 5  # sessions of cycle 2 held so far
SUPPORT_BREAK_WEEKS = 3  # between the cycles
SUPERVISION_LAG_DAYS = 21  # group notes older than this have been co-signed
EMPTY = ""  # a chair in the circle with nobody in it
SETUP_DAYS = 240  # the practice (clinicians, members, groups) was set up this long ago
REVIEW_TIME = time(11, 0)  # a risk review or incident follow-up between sessions
ROSTER_TIME = time(9, 0)  # a roster change is recorded on its date at this local time
SIGN_AFTER = (timedelta(days=1), time(9, 30))  # notes are signed the next morning
RISK_REVIEW = (timedelta(days=2), time(12, 0))  # a risk note is co-signed promptly
SUPERVISION = (timedelta(days=7), time(12, 0))  # other co-signatures: next week's supervision
ADDENDUM = (timedelta(days=7), time(14, 0))  # after the calls and letters addenda report

Step = dict[str, Any]  # what is special about one session (see _process_script)
Event = tuple[date, str, str, str]  # a membership change: (on_date, member key, status, reason)
Script = tuple[list[Event], dict[int, Step]]

# ---------------------------------------------------------------- the story


def _process_stage(n: int) -> str:
    return ("orientation" if n <= 3 else "conflict" if n <= 8
            else "cohesion" if n <= 13 else "working")


def _support_stage(n: int) -> str:
    k = (n - 1) % 12 + 1
    return ("orientation" if k <= 2 else "cohesion" if k <= 4
            else "working" if k <= 10 else "termination")


def _joining(keys: tuple[str, ...], start: date, reason: str) -> list[Event]:
    """Referred, screened, waitlisted, then active at the first session (`start`)."""
    events = []
    for i, key in enumerate(keys):
        referred = start - timedelta(days=63 - 3 * i)
        events += [
            (referred, key, "referred", "Referral received; consent to share information."),
            (referred + timedelta(days=10 + i), key, "screening",
             "Assessment interview with the leaders."),
            (referred + timedelta(days=24 + i), key, "waitlist",
             "Suitable; waiting for the group to start."),
            (start, key, "active", reason),
        ]
    return events


def _process_script(d: list[date], today: date) -> Script:
    """The Thursday group's roster changes and what happened at particular sessions.

    `d[n]` is the date of session n (d[0] unused).
    """
    fmt = "%d %B %Y"
    events = _joining(("zoe", "kwame", "niamh", "rafael", "hiroko", "jonah"), d[1],
                      "Joined at the group's first session.")
    events += [
        (d[5] - timedelta(days=3), "dmitri", "referred", "Referral letter from his psychiatrist."),
        (d[7] + timedelta(days=1), "dmitri", "screening", "Assessment interview."),
        (d[9] + timedelta(days=2), "dmitri", "waitlist", "Suitable; joins when a place opens."),
        (d[9] + timedelta(days=1), "jonah", "left",
         "Stopped coming after session 6; came to session 9 to say goodbye. Decided the group "
         "is not right for him now."),
        (d[10] + timedelta(days=2), "thao", "referred", "Referred by their GP."),
        (d[12], "dmitri", "active", "Joined the group in the place left by a departure."),
        (d[13] + timedelta(days=1), "thao", "screening", "Assessment interview."),
        (d[15] + timedelta(days=1), "thao", "waitlist", "Suitable; joins after the next ending."),
        (d[16] + timedelta(days=1), "hiroko", "graduated",
         "Planned ending: goals reached; said goodbye over her last three sessions."),
        (d[18], "thao", "active", "Joined the group."),
        (today - timedelta(days=50), "ewa", "referred", "Referral from the hospice team."),
        (today - timedelta(days=38), "ewa", "screening", "Assessment interview."),
        (today - timedelta(days=24), "ewa", "waitlist",
         "Suitable; waiting for a place (the group is at its target size)."),
    ]
    s: dict[int, Step] = {n: {"stage": _process_stage(n)} for n in range(1, len(d))}
    for n in (1, 3, 6, 9, 11, 13, 16, 19, 21, 22):
        s[n]["private"] = True
    s[1].update(themes="Beginnings: the first session; the group agreement read together.",
                here_and_now="The leaders read the group agreement aloud and members "
                "introduced themselves by first name.")
    s[5].update(leaders=("lead",), here_and_now="The co-leader was on leave; several members "
                "commented on the changed circle.")
    s[6].update(boundary="Zoë and Kwame said they had met for coffee after last week's group. "
                "The agreement on contact outside the group was revisited; both agreed to "
                "bring anything that happens outside back into the group.",
                incident=("contact", ("zoe", "kwame"), "Zoë and Kwame met for coffee after "
                          "last week's group and told the group about it.",
                          "The agreement on contact outside the group was read again; both "
                          "agreed to bring anything that happens outside back into the "
                          "group.", "in_progress"),
                incident_later=[(7, "resolved", "Nothing further outside the group; both "
                                 "said so in session 7.")])
    s[7].update(attendance={"jonah": "absent_no_notice"},
                contact={"jonah": (0, "Phoned that evening; he said he would think about "
                                   "whether to come back.")})
    s[10]["left_early"] = ("kwame", 20)
    s[8].update(attendance={"jonah": "absent_no_notice"}, plan="Write to Jonah after a second "
                "absence without notice, inviting him to come and talk about it in the group.",
                # found after signing: an attendance amendment, the record left as signed
                amend={"jonah": ("absent_notice", "Reception had taken a message from Jonah "
                                 "on the afternoon of the session saying he could not come; "
                                 "it reached the leaders only after the notes were signed.")})
    s[9].update(
        attendance={"jonah": "present"},
        themes="A departure: Jonah's decision to leave, and the group's wish to hold on.",
        here_and_now="Jonah came to say he is leaving; the group 'isn't for him right now'. "
        "Members tried hard to persuade him to stay, and Kwame was openly angry. The leaders "
        "helped the group to hear the decision rather than fight it, and Jonah was able to "
        "say what he had valued. Zoë said afterwards that nobody had ever said goodbye to "
        "her properly.", here_only=True,
        critical="Jonah announced his departure at this session and said goodbye.",
        plan="Next week the circle will have an empty chair; attend to the group's feelings "
        "about Jonah's leaving.",
        members={"jonah": {
            "participation": "Came to say goodbye after two absences; listened to the "
            "group's responses and stayed to the end.",
            "response": "Thanked the group; said he might come back 'one day'.",
            "plan": "Closing letter; offer an individual appointment."}},
        group_addendum=f"Jonah's letter of {d[9] + timedelta(days=5):{fmt}} confirmed his "
        "decision. A closing individual appointment was offered; he declined, and has the "
        "clinic's details should he wish to come back.")
    s[10]["here_and_now"] = ("Jonah's empty chair was noticed at once; Zoë said it felt like "
                             "a reproach, Kwame that it was 'just a chair'.")
    s[11].update(
        attendance={"niamh": "present"},
        themes="Loss: Niamh's father's death, and whether the group can hold grief.",
        here_and_now="Niamh told the group that her father died last week.",
        risk="Niamh said she sometimes wonders 'what the point is' since her father's death. "
        "Risk assessed after the session; see her member note.",
        risk_open={"niamh": (
            "self_harm", "moderate", "Passive thoughts of not wanting to be here since her "
            "father's death; no plan or intent.", "Safety plan written with both leaders; "
            "crisis numbers given; GP informed with her consent.", 7)},
        risk_later=[("niamh", 2, "low", "Telephone follow-up: sleeping a little better, has "
                     "seen her GP, no thoughts of harming herself.", False),
                    ("niamh", 21, "low", "No thoughts of harm for three weeks; safety plan "
                     "kept; now also in the Living with Loss group.", True)],
        members={"niamh": {
            "response": "Moved by the group's response; cried for the first time in the group.",
            "risk_followup": "Stayed after the group with both leaders: passive thoughts of "
            "not wanting to be here, no plan or intent, protective factors her friends and "
            "her cat. Safety plan written together; crisis line numbers given; GP informed "
            "with her consent. Telephone follow-up in two days.",
            "plan": "Telephone follow-up; offer a place in the Living with Loss group.",
            "addendum": f"Telephone follow-up on {d[11] + timedelta(days=2):{fmt}}: sleeping a "
            "little better, has seen her GP, no thoughts of harming herself. Accepted a "
            "referral to the Living with Loss group."}})
    s[12]["here_and_now"] = ("Dmitri's first session, in the chair that had stood empty. "
                             "The welcome was warm, with an edge of rivalry.")
    s[13].update(critical="Hiroko told the group she plans to finish in three weeks, having "
                 "reached the goals she came with.", members={"hiroko": {
                     "response": "Announced her plan to finish in three weeks; the group's "
                     "reactions ranged from pleasure to hurt, and she could stay with both."}})
    s[16].update(
        attendance={"hiroko": "present"},
        themes="Ending and farewell: Hiroko's last session.",
        here_and_now="Hiroko's last session. Members told her what they would remember; "
        "Zoë gave her a card, and the group talked about gifts, gratitude and envy. Rafa "
        "spoke unprompted for the first time in weeks, to thank her. Hiroko said the group "
        "was the first place where she had asked for help and got it.", here_only=True,
        members={"hiroko": {
            "participation": "Her last session: present throughout and moved.",
            "response": "Took in what members said without deflecting it, which she could "
            "not do when she joined.",
            "plan": "Ending: goals reached. Closing summary to her referrer."}},
        plan="Next week: the first session without Hiroko; attend to the empty chair.")
    s[17]["here_and_now"] = "The first session without Hiroko; her chair stood empty."
    s[19]["risk_open"] = {"rafael": (
        "medical", "low", "Drowsy and slow in the session; said his new medication makes "
        "him sleepy.", "Asked him to tell his psychiatrist this week.", 7)}
    s[18]["here_and_now"] = ("Thảo's first session. Members introduced themselves, and Niamh "
                             "told Thảo that the group 'takes a while, but it's worth it'.")
    return sorted(events), s


def _support_script(d: list[date], niamh_told: date) -> Script:
    """Living with Loss: cycle 1 (sessions 1-12) and cycle 2 (13 on)."""
    c2 = d[13]
    events = _joining(("naama", "selin", "arturo", "priya"), d[1], "Joined for cycle 1.")
    events += [
        (d[12] + timedelta(days=1), "selin", "graduated", "Completed the twelve-session cycle."),
        (niamh_told + timedelta(days=2), "niamh", "referred",
         "Referred by the Thursday group's leaders after her father's death."),
        (niamh_told + timedelta(days=9), "niamh", "screening", "Assessment interview."),
        (niamh_told + timedelta(days=16), "niamh", "waitlist", "Suitable; joins cycle 2."),
        (c2 - timedelta(days=35), "ewa", "referred", "Referral from the hospice team."),
        (c2 - timedelta(days=26), "ewa", "screening", "Assessment interview."),
        (c2 - timedelta(days=16), "ewa", "waitlist", "Suitable; joins cycle 2."),
        (c2, "niamh", "active", "Joined for cycle 2."),
        (c2, "ewa", "active", "Joined for cycle 2."),
    ]
    s: dict[int, Step] = {n: {"stage": _support_stage(n)} for n in range(1, len(d))}
    for n in (6, 12, 15):
        s[n]["private"] = True
    s[5]["attendance"] = {"naama": "absent_notice"}
    s[6].update(
        attendance={"arturo": "present"},
        risk="Arturo described drinking most evenings since his wife's death; see his note.",
        risk_open={"arturo": (
            "substance_use", "moderate", "Three or four drinks most evenings since his "
            "wife's death.", "Agreed to see his GP; information about local alcohol "
            "services given.", 7)},
        risk_later=[("arturo", 6, "low", "Saw his GP and has cut down; going to a walking "
                     "group.", False),
                    ("arturo", 14, "low", "Drinking within safe limits for two weeks; GP "
                     "follows up.", True)],
        members={"arturo": {
            "risk_followup": "Spoke with Arturo after the session: three or four drinks most "
            "evenings, no thoughts of harming himself. Agreed to see his GP; given information "
            "about local alcohol services.",
            "plan": "Ask at the next session how the GP appointment went.",
            "addendum": f"Arturo saw his GP on {d[6] + timedelta(days=6):%d %B %Y} and has "
            "cut down; he is going to a walking group on Wednesday evenings."}})
    s[12].update(attendance={"selin": "present"},
                 plan="Cycle 1 ends here; cycle 2 begins after a three-week break.",
                 here_and_now="Selin's last session: she thanked the group and said she can "
                 "rest now. Naama, Arturo and Priya will stay for the next cycle.")
    s[13]["here_and_now"] = ("The first session of cycle 2: three members continue, and Niamh "
                             "and Ewa joined; introductions took most of the time.")
    last = len(d) - 1
    s[last].setdefault("members", {})["naama"] = {
        "risk_followup": "Low mood before the anniversary of her son's death next week; no "
        "thoughts of harm. Check in at the start of the next session.",
        "plan": "Check in about the anniversary."}
    s[last]["attendance"] = {"naama": "present"}
    s[last]["risk_open"] = {"naama": (
        "self_harm", "low", "Low mood before the anniversary of her son's death next week; "
        "no thoughts of harm.", "Check in at the start of the next session.", 7)}
    return sorted(events), s


# ---------------------------------------------------------------- building


def build_demo_vault(
    path: Path, passphrase: str, *, test_kdf_iter: int | None = None, today: date | None = None
) -> None:
    """Create a NEW vault at `path` holding the demo practice; refuses an existing file.

    A build that fails part-way removes the half-made file: a demo vault is whole or absent.
    """
    vault = Vault.create(path, passphrase, test_kdf_iter=test_kdf_iter)
    try:
        with vault.bulk_build():
            _Builder(vault, today or date.today()).run()
            add_demo_scores(vault)  # issue 17: the questionnaires' story
    except BaseException:
        vault.close()
        with contextlib.suppress(FileNotFoundError):
            vault.path.unlink()
        raise
    vault.close()


def _last_weekday_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7 or 7)


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock).astimezone()  # local wall-clock time, made aware


def _rotate(names: dict[str, str], by: int) -> dict[str, str]:
    """The same people in other roles, so that two sentences in a row differ."""
    roles = ("a", "b", "c")
    moved = {roles[i]: names[roles[(i + by) % 3]] for i in range(3)}
    return {**names, **moved}


class _Deck:
    """Draws from a bank without repeating until every sentence has been used."""

    def __init__(self, rng: random.Random, bank: tuple[str, ...]) -> None:
        self._rng, self._bank = rng, bank
        self._left: list[str] = []

    def draw(self) -> str:
        if not self._left:
            self._left = list(self._bank)
            self._rng.shuffle(self._left)
        return self._left.pop()


@dataclass
class _GroupRun:
    """One group being written: its ids, roster and circle as the weeks go by."""

    support: bool
    group_id: int
    clock: time
    leaders: tuple[str, ...]
    banks: dict[str, tuple[str, ...]]
    events: list[Event]  # oldest first
    script: dict[int, Step]
    decks: dict[str, _Deck] = field(default_factory=dict)
    memberships: dict[str, int] = field(default_factory=dict)
    active: list[str] = field(default_factory=list)
    slots: list[str] = field(default_factory=list)  # member keys or EMPTY, round the circle
    joined_at: dict[str, int] = field(default_factory=dict)  # key -> first session number


@dataclass(frozen=True)
class _Written:
    """A member note written for a session, with what follows its signing."""

    note_id: int
    risk: bool  # co-signed by the supervisor
    addendum: str  # added a week later ("" for none)


class _Builder:
    def __init__(self, vault: Vault, today: date) -> None:
        self.vault, self.today = vault, today
        self.rng = random.Random(SEED)
        self.profiles = {p.key: p for p in MEMBERS}
        self.member_ids: dict[str, int] = {}
        self.clin: dict[str, int] = {}
        self.setup = _at(today - timedelta(days=SETUP_DAYS), time(9, 0))
        self.latest = _at(today, time(0, 0))  # nothing is stamped on or after `today`

    def _when(self, day: date, offset: tuple[timedelta, time]) -> datetime:
        """`day` plus the offset's days, at its local time (never on or after `today`)."""
        return min(_at(day + offset[0], offset[1]), self.latest - timedelta(minutes=1))

    def run(self) -> None:
        with clock.frozen_at(self.setup):
            for key, name, role, credentials in CLINICIANS:
                clin_spec = ClinicianSpec(name=name, role=role, credentials=credentials)
                self.clin[key] = ops_groups.create_clinician(self.vault, clin_spec).value.id
                ops_groups.set_signing_pin(self.vault, self.clin[key], PINS[key])
            for p in MEMBERS:
                member_spec = MemberSpec(
                    full_name=p.full_name, preferred_name=p.preferred_name,
                    pronouns=p.pronouns, dob=date(self.today.year - p.age, *p.birthday),
                    phone=p.phone, email=p.email, emergency_contact=p.emergency,
                    presenting_concerns=p.concerns, referral_source=p.referral,
                    also_written_as=p.also_written_as)
                self.member_ids[p.key] = ops_roster.create_member(self.vault, member_spec).value.id
        process_dates = self._process_group()
        self._support_group(niamh_told=process_dates[11])

    def _group(self, spec: GroupSpec, script: Script, dates: list[date], *, support: bool,
               cancelled: int = 0, drafts: int = 1) -> None:
        with clock.frozen_at(self.setup):
            g = ops_groups.create_group(self.vault, spec).value
        run = _GroupRun(support, g.id, spec.start_time or time(18, 0),
                        ("lead",) if support else ("lead", "co"),
                        SUPPORT if support else PROCESS, *script)
        for number, day in enumerate(dates[1:], start=1):
            self._session(run, number, day, cancelled=number == cancelled,
                          draft=number > len(dates) - 1 - drafts)
        self._roster_until(run, self.today, len(dates))
        topic = SUPPORT_TOPICS[(len(dates) - 1) % 12] if support else ""
        with clock.frozen_at(self._when(dates[-1], (timedelta(days=1), time(9, 0)))):
            ops_meetings.schedule_meeting(self.vault, g.id,
                                      _at(dates[-1] + timedelta(weeks=1), run.clock),
                                      topic=topic)

    def _process_group(self) -> list[date]:
        last = _last_weekday_before(self.today, 3)
        d = [last - timedelta(weeks=PROCESS_SESSIONS - n) for n in range(PROCESS_SESSIONS + 1)]
        spec = GroupSpec(
            name="Thursday Evening Group", kind="psychodynamic",
            leader_ids=(self.clin["lead"], self.clin["co"]), format="open_ended", weekday=3,
            start_time=time(18, 30), length_minutes=90, room="Room 2 (first floor)",
            target_size=7, max_size=9, min_size=4, agreement=PROCESS_AGREEMENT)
        self._group(spec, _process_script(d, self.today), d, support=False,
                    cancelled=PROCESS_CANCELLED, drafts=2)
        return d

    def _support_group(self, niamh_told: date) -> None:
        last = _last_weekday_before(self.today, 1)
        cycle2 = [last - timedelta(weeks=SUPPORT_CYCLE2_HELD - k)
                  for k in range(1, SUPPORT_CYCLE2_HELD + 1)]
        end1 = cycle2[0] - timedelta(weeks=SUPPORT_BREAK_WEEKS)
        d = [end1 - timedelta(weeks=12 - n) for n in range(13)] + cycle2
        spec = GroupSpec(
            name="Living with Loss", kind="support", leader_ids=(self.clin["lead"],),
            format="fixed", sessions_per_cycle=12, weekday=1, start_time=time(17, 0),
            length_minutes=75, room="Room 1 (ground floor)", target_size=6, max_size=8,
            min_size=4, agreement=SUPPORT_AGREEMENT)
        self._group(spec, _support_script(d, niamh_told), d, support=True)

    # ------------------------------------------------------------ roster
    def _roster_until(self, run: _GroupRun, day: date, number: int) -> None:
        """Apply every membership change dated on or before `day`, oldest first."""
        while run.events and run.events[0][0] <= day:
            on, key, status, reason = run.events.pop(0)
            with clock.frozen_at(self._when(on, (timedelta(0), ROSTER_TIME))):
                if key not in run.memberships:
                    run.memberships[key] = ops_roster.add_membership(
                        self.vault, self.member_ids[key], run.group_id, status, on, reason).value.id
                else:
                    ops_roster.change_status(self.vault, run.memberships[key], status, on,
                                          reason)
            if status == "active":
                run.active.append(key)
                run.joined_at[key] = number
                if EMPTY in run.slots:  # a newcomer takes the chair left empty
                    run.slots[run.slots.index(EMPTY)] = key
                else:
                    run.slots.append(key)
            elif key in run.active:
                run.active.remove(key)
                if run.support:
                    run.slots.remove(key)
                else:  # the chair stays in the circle, empty, until someone new joins
                    run.slots[run.slots.index(key)] = EMPTY

    # ------------------------------------------------------------ one session
    def _session(self, run: _GroupRun, number: int, day: date, *, cancelled: bool,
                 draft: bool) -> None:
        self._roster_until(run, day, number)
        step = run.script.get(number, {})
        topic = SUPPORT_TOPICS[(number - 1) % 12] if run.support else ""
        start = _at(day, run.clock)
        with clock.frozen_at(start - timedelta(days=6)):  # planned the week before
            m = ops_meetings.schedule_meeting(self.vault, run.group_id, start, topic=topic).value
        if cancelled:
            with clock.frozen_at(start - timedelta(hours=5)):  # called off that morning
                ops_meetings.cancel_meeting(self.vault, m.id)
            return
        leaders = tuple(self.clin[k] for k in step.get("leaders", run.leaders))
        with clock.frozen_at(start + timedelta(minutes=m.length_minutes)):  # written after it
            ops_meetings.hold_meeting(self.vault, m.id, list(leaders))
            present = self._attendance(run, m.id, number, step)
            if len(run.slots) > 2 and self.rng.random() < 0.6:  # members shift a seat
                i = self.rng.randrange(len(run.slots) - 1)
                run.slots[i], run.slots[i + 1] = run.slots[i + 1], run.slots[i]
            self._seat(run, m.id, leaders, present)
            spoke = self._interactions(run, m.id, number, leaders, present)
            names = self._names(present, spoke)
            names["next"] = SUPPORT_TOPICS[number % 12]
            group_note = self._group_note(run, m.id, step, topic, names)
            written = self._member_notes(run, m.id, number, step, present, spoke)
            made = demo_register.in_session(self.vault, run.group_id, m.id, day, step,
                                            self.member_ids, list(present))
            if step.get("private"):
                body = "\n\n".join(
                    self._deck(run, "process").draw().format(**_rotate(names, i))
                    for i in range(2))
                ops_notes.save_private_note(self.vault, m.id, body, self.clin["lead"])
        if not draft:
            self._sign(run, m.id, day, step, leaders, group_note, written)
        demo_register.afterwards(self.vault, day, step, made,
                                 lambda on: self._when(on, (timedelta(0), REVIEW_TIME)),
                                 self.today)

    def _sign(self, run: _GroupRun, meeting_id: int, day: date, step: Step,
              leaders: tuple[int, ...], group_note: int, written: dict[str, _Written]) -> None:
        """Sign the session's notes the day after, then co-sign and add addenda (and any
        attendance amendment) later.

        Member notes are signed by the member's key worker when they led the session
        (Thursday group), the rest by the leader; risk notes and, once old enough for
        supervision, the group note are co-signed by the supervisor.
        """
        lead, co, sup = self.clin["lead"], self.clin["co"], self.clin["sup"]
        theirs = [self.member_ids[k] for k in written
                  if not run.support and self.profiles[k].keyworker == "co" and co in leaders]
        kinds = ("group", "member", "private") if step.get("private") else ("group", "member")
        with clock.frozen_at(self._when(day, SIGN_AFTER)):
            if theirs:
                ops_notes.sign_meeting_notes(self.vault, meeting_id, co, ("member",),
                                             pin=PINS["co"], member_ids=theirs)
            ops_notes.sign_meeting_notes(self.vault, meeting_id, lead, kinds, pin=PINS["lead"])
        with clock.frozen_at(self._when(day, RISK_REVIEW)):  # risk is always reviewed
            risky = [("member", w.note_id) for w in written.values() if w.risk]
            if risky:
                ops_notes.cosign_notes(self.vault, risky, sup, pin=PINS["sup"])
        if (self.today - day).days > SUPERVISION_LAG_DAYS:  # reviewed in supervision
            with clock.frozen_at(self._when(day, SUPERVISION)):
                ops_notes.cosign_note(self.vault, "group", group_note, sup, pin=PINS["sup"])
        with clock.frozen_at(self._when(day, ADDENDUM)):
            if "group_addendum" in step:
                ops_notes.add_addendum(self.vault, "group", group_note, co,
                                       step["group_addendum"], pin=PINS["co"])
            for w in written.values():
                if w.addendum:
                    ops_notes.add_addendum(self.vault, "member", w.note_id, lead, w.addendum,
                                           pin=PINS["lead"])
            for key, (status, reason) in step.get("amend", {}).items():
                ops_notes.add_amendment(self.vault, meeting_id, lead, {
                    "field": "attendance", "member_id": self.member_ids[key], "to": status},
                    reason, pin=PINS["lead"])

    def _attendance(self, run: _GroupRun, meeting_id: int, number: int, step: Step
                    ) -> dict[str, int | None]:
        """Record everyone's attendance; return who came, with their minutes late."""
        forced: dict[str, str] = step.get("attendance", {})
        present: dict[str, int | None] = {}
        rows: list[tuple[int, str, int | None]] = []
        for key in run.active:
            status = forced.get(key) or ("present" if run.joined_at[key] == number else "")
            if not status:
                r = self.rng.random()
                status = ("present" if r < 0.84 else "late" if r < 0.92
                          else "absent_notice" if r < 0.97 else "absent_no_notice")
            late = self.rng.choice((5, 7, 10, 12, 15, 20)) if status == "late" else None
            rows.append((self.member_ids[key], status, late))
            if status in ("present", "late"):
                present[key] = late
        ops_meetings.record_attendance_many(self.vault, meeting_id, rows)
        return present

    def _seat(self, run: _GroupRun, meeting_id: int, leaders: tuple[int, ...],
              present: dict[str, int | None]) -> None:
        """Leader first, co-leader opposite; an absent member's chair stays empty (Thursday
        group) or is not set out (Living with Loss)."""
        if run.support:
            people = [k for k in run.slots if k in present]
        else:
            people = [k if k in present else EMPTY for k in run.slots]
        chairs = [ChairSpec(member_id=self.member_ids[k]) if k else ChairSpec()
                  for k in people]
        half = (len(chairs) + 1) // 2
        circle = [ChairSpec(clinician_id=leaders[0]), *chairs[:half]]
        circle += [ChairSpec(clinician_id=c) for c in leaders[1:]] + chairs[half:]
        ops_seating.save_seating(self.vault, meeting_id, circle)

    def _interactions(self, run: _GroupRun, meeting_id: int, number: int,
                      leaders: tuple[int, ...], present: dict[str, int | None]
                      ) -> dict[str, int]:
        """A plausible run of "who spoke to whom"; returns how often each member spoke.

        Kept short (a leader charts the main exchanges, not every remark). Living with Loss
        was charted from cycle 2 on; before that the draw only decides who spoke most, for
        the notes.
        """
        keys = [*present, *[""] * len(leaders)]
        people = [Party(member_id=self.member_ids[k]) for k in present]
        people += [Party(clinician_id=c) for c in leaders]
        weights = [self.profiles[k].talk * (0.5 if run.joined_at[k] == number else 1.0)
                   for k in present] + [0.45] * len(leaders)
        spoke = dict.fromkeys(present, 0)
        charted = not run.support or number > 12  # the leader began charting in cycle 2
        low, high = (5, 9) if run.support else (7, 12)
        pairs: list[tuple[Party, Party | None]] = []
        for _ in range(self.rng.randint(low, high)):
            i = self.rng.choices(range(len(people)), weights)[0]
            to = None
            if self.rng.random() > 0.3:  # otherwise to the whole group
                others = [j for j in range(len(people)) if j != i]
                to = people[self.rng.choices(others, [max(weights[j], 0.5) for j in others])[0]]
            if charted:
                pairs.append((people[i], to))
            if keys[i]:
                spoke[keys[i]] += 1
        if pairs:
            ops_seating.add_interactions(self.vault, meeting_id, pairs)
        return spoke

    # ------------------------------------------------------------ notes
    def _deck(self, run: _GroupRun, name: str) -> _Deck:
        if name not in run.decks:
            run.decks[name] = _Deck(self.rng, run.banks[name])
        return run.decks[name]

    def _first(self, key: str) -> str:
        p = self.profiles[key]
        return (p.preferred_name or p.full_name).split()[0]

    def _names(self, present: dict[str, int | None], spoke: dict[str, int]) -> dict[str, str]:
        """Whom the sentences name: {a}, {b}, {c} among the talkers, {q} the quietest."""
        by_talk = sorted(present, key=lambda k: (-spoke.get(k, 0), k))
        talkers = (by_talk * 3)[:3]
        self.rng.shuffle(talkers)
        return {"a": self._first(talkers[0]), "b": self._first(talkers[1]),
                "c": self._first(talkers[2]), "q": self._first(by_talk[-1])}

    def _group_note(self, run: _GroupRun, meeting_id: int, step: Step, topic: str,
                    names: dict[str, str]) -> int:
        """Write the session's group note; returns its id."""
        stage = step["stage"]
        themes = step.get("themes") or self._deck(run, f"themes_{stage}").draw()
        if topic and "themes" not in step:
            themes = f"{topic}. {themes}"
        extra = 0 if step.get("here_only") else 1 if step.get("here_and_now") else 2
        here = [step.get("here_and_now", "")] + [
            self._deck(run, "here_and_now").draw().format(**_rotate(names, i))
            for i in range(extra)]
        pool = FACTORS[stage]
        chosen = set(self.rng.sample(pool, k=min(len(pool), self.rng.randint(2, 3))))
        fields = GroupNoteFields(
            themes=themes, here_and_now=" ".join(filter(None, here)),
            interventions=" ".join(self._deck(run, "interventions").draw().format(
                **_rotate(names, i)) for i in range(2)),
            factors=tuple(k for k in pool if k in chosen), stage=stage,
            critical_incidents=step.get("critical", ""),
            boundary_incidents=step.get("boundary", ""), risk=step.get("risk", ""),
            plan=(step.get("plan") or self._deck(run, "plan").draw()).format(**names))
        return ops_notes.save_group_note(self.vault, meeting_id, fields).value.id

    def _member_notes(self, run: _GroupRun, meeting_id: int, number: int, step: Step,
                      present: dict[str, int | None], spoke: dict[str, int]
                      ) -> dict[str, _Written]:
        """Write a note for each member who came; returns them by member key."""
        specials: dict[str, dict[str, str]] = step.get("members", {})
        written: dict[str, _Written] = {}
        for key in sorted(present):
            p, special = self.profiles[key], specials.get(key, {})
            late, said = present[key], spoke[key]
            if run.joined_at[key] == number:
                kind, prefix = "first", "First session. "
            elif late:
                kind, prefix = "late", f"Arrived {late} minutes late. "
            else:
                kind = ("silent" if said == 0 and p.talk < 0.5
                        else "active" if said >= 2 else "some")
                prefix = ""
            others = [self._first(k) for k in sorted(present) if k != key] or ["the leader"]
            fill = {"name": self._first(key), "other": self.rng.choice(others)}
            fields = MemberNoteFields(
                participation=special.get("participation")
                or (prefix + self._deck(run, kind).draw()).format(**fill),
                goals=(p.loss_goal or p.goal) if run.support else p.goal,
                response=(special.get("response") or self._deck(run, "response").draw()
                          ).format(**fill),
                risk_flag="risk_followup" in special,
                risk_followup=special.get("risk_followup", ""),
                plan=(special.get("plan") or self._deck(run, "member_plan").draw()
                      ).format(**fill))
            note = ops_notes.save_member_note(
                self.vault, meeting_id, self.member_ids[key], fields).value
            written[key] = _Written(note.id, fields.risk_flag, special.get("addendum", ""))
        return written
