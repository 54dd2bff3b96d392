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

from groupleader.data import clock
from groupleader.data.services import clinicians, groups, meetings, members, notes, seating
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
ROSTER_TIME = time(9, 0)  # a roster change is recorded on its date at this local time
SIGN_AFTER = (timedelta(days=1), time(9, 30))  # notes are signed the next morning
RISK_REVIEW = (timedelta(days=2), time(12, 0))  # a risk note is co-signed promptly
SUPERVISION = (timedelta(days=7), time(12, 0))  # other co-signatures: next week's supervision
ADDENDUM = (timedelta(days=7), time(14, 0))  # after the calls and letters addenda report

Step = dict[str, Any]  # what is special about one session (see _process_script)
Event = tuple[date, str, str, str]  # a membership change: (on_date, member key, status, reason)
Script = tuple[list[Event], dict[int, Step]]

# ---------------------------------------------------------------- people

CLINICIANS = (  # key, name, role, credentials
    ("lead", "Dr. Helena Marsh", "leader", "PsyD, group psychotherapist"),
    ("co", "Samuel Okafor-Lund", "co_leader", "LCSW"),
    ("sup", "Dr. Ingrid Tallberg", "supervisor", "PhD, training analyst"),
)


@dataclass(frozen=True)
class Profile:
    key: str
    full_name: str
    preferred_name: str
    pronouns: str
    age: int
    birthday: tuple[int, int]
    phone: str
    email: str
    emergency: str
    concerns: str
    referral: str
    goal: str
    talk: float  # how readily they speak (weight in the interaction draw)
    keyworker: str = "lead"  # who signs their notes in the Thursday group
    loss_goal: str = ""  # their goal in Living with Loss, when it differs


MEMBERS = (
    Profile("zoe", "Zoë Lindqvist", "", "she/her", 34, (3, 14), "(206) 555-0101",
            "zoe.lindqvist@example.org", "Partner: Mikael Berg, (206) 555-0131",
            "Recurrent low mood; feels overlooked in close relationships and withdraws "
            "rather than saying so.", "Individual therapist",
            "To say when she feels overlooked, instead of withdrawing.", 1.3),
    Profile("kwame", "Kwame Asante-Boateng", "", "he/him", 41, (11, 2), "(206) 555-0102",
            "k.asante.boateng@example.org", "Sister: Efua Asante, (206) 555-0132",
            "Anger at work that frightens him; falls out with men in authority.", "GP",
            "To notice irritation early and put it into words in the group.", 1.5, "co"),
    Profile("niamh", "Niamh O'Kelleher", "", "she/her", 29, (7, 22), "(206) 555-0103",
            "niamh.okelleher@example.org", "Friend: Aoife Brannigan, (206) 555-0133",
            "Social anxiety and a harsh inner critic; caring for her unwell father.",
            "Self-referral", "To take up space in the group without apologising.", 1.0,
            loss_goal="To grieve her father among people who understand."),
    Profile("rafael", "Rafael Duarte Mendes", "Rafa", "he/him", 52, (5, 9), "(206) 555-0104",
            "rafa.mendes@example.org", "Daughter: Inês Mendes, (206) 555-0134",
            "Loneliness since his divorce; finds it very hard to speak in groups.",
            "Employee assistance programme",
            "To speak in the group at least once a session, in his own time.", 0.12, "co"),
    Profile("hiroko", "Hiroko Tanabe", "", "she/her", 46, (1, 30), "(206) 555-0105",
            "hiroko.tanabe@example.org", "Husband: Kenji Tanabe, (206) 555-0135",
            "Perfectionism and exhaustion; cannot ask for help.",
            "Individual therapist (ending)", "To ask for what she needs, and to end well.",
            1.1),
    Profile("jonah", "Jonah Whitcombe", "", "he/him", 24, (9, 5), "(206) 555-0106",
            "jonah.w@example.org", "Mother: Ruth Whitcombe, (206) 555-0136",
            "Low self-esteem, few friendships; uses cannabis to manage anxiety.",
            "University counselling service",
            "To stay with uncomfortable feelings in the group rather than leave them.", 0.8,
            "co"),
    Profile("dmitri", "Dmitri Sokolenko", "", "he/him", 38, (12, 12), "(206) 555-0107",
            "d.sokolenko@example.org", "Brother: Pavlo Sokolenko, (206) 555-0137",
            "Recent separation; talks about feelings as ideas; colleagues find him cold.",
            "Psychiatrist", "To speak from feeling as well as from thought.", 1.2),
    Profile("thao", "Thảo Nguyễn-Hart", "Thảo", "they/them", 31, (4, 18), "(206) 555-0108",
            "thao.nh@example.org", "Partner: Sam Hart, (206) 555-0138",
            "People-pleasing and tiredness; questions of belonging after migration.", "GP",
            "To disagree with someone in the group and find the relationship survives.",
            0.9, "co"),
    Profile("ewa", "Ewa Wiśniewska-Kohl", "", "she/her", 63, (8, 3), "(206) 555-0109",
            "ewa.wk@example.org", "Son: Tomasz Kohl, (206) 555-0139",
            "Her husband died eight months ago; long-standing difficulty trusting others.",
            "Hospice bereavement service",
            "To talk about her husband with people who understand, and feel less alone.", 1.0),
    Profile("naama", "נעמה אלון", "", "she/her", 57, (10, 27), "(206) 555-0110",
            "naama.alon@example.org", "Husband: Avi Alon, (206) 555-0140",
            "Her adult son died eighteen months ago; guilt and sleeplessness.",
            "Bereavement counsellor",
            "To find a way of remembering her son that does not only hurt.", 1.0),
    Profile("selin", "Selin Aydoğan", "", "she/her", 36, (6, 6), "(206) 555-0111",
            "selin.aydogan@example.org", "Partner: Deniz Kaya, (206) 555-0141",
            "Her mother died after a long illness; exhausted after years of caring.", "GP",
            "To grieve her mother, and to rest.", 1.2),
    Profile("arturo", "Arturo Villaseñor", "", "he/him", 71, (2, 11), "(206) 555-0112",
            "arturo.v@example.org", "Neighbour: Lupe Ortiz, (206) 555-0142",
            "His wife of forty years died in the spring; isolated; drinking more in the "
            "evenings.", "Primary care nurse",
            "To get through the evenings and build a routine again.", 0.9),
    Profile("priya", "Priya Raghunathan", "", "she/her", 44, (1, 8), "(206) 555-0113",
            "priya.r@example.org", "Husband: Arun Raghunathan, (206) 555-0143",
            "Her brother died by suicide a year ago; anger and unanswered questions.",
            "Self-referral", "To speak about her brother's death without shame.", 1.0),
)

# ---------------------------------------------------------------- sentence banks

PROCESS_AGREEMENT = (
    "We keep what is said here confidential: we may talk about our own experience "
    "outside, never about other members.\n"
    "We come every week and on time, and let the group know when we cannot come.\n"
    "We bring any contact between members outside the group back into the group.\n"
    "We put feelings into words rather than actions.\n"
    "We give four weeks' notice when we decide to leave, so that we can say goodbye."
)
SUPPORT_AGREEMENT = (
    "Twelve weekly sessions of 75 minutes.\nWhat is said here stays here.\n"
    "We listen without trying to fix; anyone may pass.\nPhones are silent and put away.\n"
    "If you cannot come, let the leader know."
)
SUPPORT_TOPICS = (
    "Introductions and our losses", "What grief is like", "The body in grief",
    "Sleep, appetite and routine", "Anniversaries and difficult dates", "Anger and guilt",
    "Telling the story", "Family and friends: what helps", "Continuing bonds",
    "Rituals and remembering", "Looking ahead", "Endings and saying goodbye",
)

FACTORS = {  # stage -> therapeutic factors (groupleader.factors keys) a note may name
    "orientation": ("hope", "universality", "information"),
    "conflict": ("interpersonal", "family", "catharsis", "socializing"),
    "cohesion": ("cohesiveness", "universality", "altruism", "interpersonal"),
    "working": ("interpersonal", "family", "catharsis", "existential", "cohesiveness",
                "imitation"),
    "termination": ("existential", "hope", "altruism", "cohesiveness"),
}

PROCESS: dict[str, tuple[str, ...]] = {
    "themes_orientation": (
        "Beginnings: joining a group of strangers, and how much to say.",
        "Testing the leaders: questions about the rules, and the wish to be told what to do.",
        "Hoping to be liked; comparing reasons for coming.",
    ),
    "themes_conflict": (
        "Competition for the leaders' attention.",
        "Irritation with the leaders for not giving answers.",
        "Who takes up space, and who holds back.",
        "Lateness, absence, and whether the group's rules are real.",
        "Anger that is felt but not yet said.",
    ),
    "themes_cohesion": (
        "Belonging, and the fear of being too much for others.",
        "Closeness and what it costs; the group as a place to be known.",
        "Loss, and who is missing from the circle.",
        "Looking after one another, and the wish to be looked after.",
    ),
    "themes_working": (
        "Dependency and the wish to be looked after.",
        "Envy, rivalry and admiration between members.",
        "Anger towards people who let one down, and whether it can be said here.",
        "Shame and the risk of being seen.",
        "Fathers, authority and being judged.",
        "Endings, old and new; what the group will carry forward.",
    ),
    "here_and_now": (
        "{a} opened with a difficult week at work; the group moved quickly to advice, and {b} "
        "later wondered whether the advice was a way of keeping {a} at a distance.",
        "A long silence after the start. {a} broke it with a joke; the laughter eased the "
        "tension, and the group then struggled to find its way back to feeling.",
        "{a} and {b} disagreed sharply about whether it is ever fair to be angry with a "
        "parent who is ill. The exchange stayed respectful, and others said afterwards that "
        "it was a relief to see a conflict survive.",
        "{q} said little; when {a} asked directly what {q} was thinking, the answer was "
        "'I'm fine just listening'. The group seemed both protective and frustrated.",
        "{a} described feeling invisible at a family gathering; {b} and {c} recognised the "
        "feeling, and the room became noticeably warmer.",
        "The first half stayed with outside events (the news, the traffic) until {a} asked "
        "what the group was avoiding.",
        "{a} spoke of an early memory of waiting at a school gate to be collected; {c} was "
        "tearful and later linked it to the group's breaks.",
        "Towards the end {b} challenged the leaders for 'always being so calm'. The group "
        "seemed to hold its breath; then several members said they had wanted to say the same.",
        "{a} brought a dream of a house with too many rooms. The group played with it "
        "generously, and {b} offered that the house might be the group.",
        "{c} asked {a} for feedback and then seemed unable to take it in; {b} named this "
        "gently, and {c} could hear it the second time.",
        "{a} compared the group to a family dinner where nobody says what they mean. {b} "
        "disagreed: 'here we do, eventually'.",
    ),
    "interventions": (
        "Drew attention to the pattern of advice-giving and wondered what feelings it was "
        "helping the group avoid.",
        "Linked the irritation with the leaders to the group's experience of gaps and "
        "absences.",
        "Named the silence as something shared rather than a failure, and waited.",
        "Invited {q} to say what it is like to listen, without pressing for more.",
        "Offered a group-as-a-whole interpretation: the anger at one member might be "
        "carrying feelings about who is missing.",
        "Supported {a} and {b} in staying with their disagreement rather than smoothing it "
        "over.",
        "Reflected the group's warmth back to {a}, and noted how different it was from "
        "{a}'s account of family life.",
        "Asked the group what it made of the way the session began, rather than taking it "
        "up with one member alone.",
        "Wondered aloud whether the group was testing whether the leaders could bear "
        "criticism.",
        "Linked {c}'s wish for answers to the group's wish that the leaders take the anxiety "
        "away.",
    ),
    "plan": (
        "Hold the theme of absence; watch how the group responds to gaps in the circle.",
        "Keep an eye on {q}'s participation; a gentle invitation if the silence continues.",
        "Continue to explore rivalry for the leaders' attention.",
        "Return to the disagreement between {a} and {b} if the group does not.",
        "Take the co-leaders' different readings of the session to supervision.",
        "No change; continue to follow the group's lead.",
    ),
    "first": (
        "Said a little about the reasons for coming; listened closely for the rest of the "
        "session.",
        "Asked practical questions about the group, then took up {other}'s invitation to "
        "say what brought {name} here.",
    ),
    "late": (
        "Settled quickly and joined the discussion in the second half.",
        "Came in quietly; later said the lateness had to do with not wanting to come today.",
        "Apologised at length, which the group took up.",
    ),
    "silent": (
        "Did not speak this session; attentive, and nodded when addressed.",
        "Quiet throughout; looked engaged, especially when {other} spoke.",
    ),
    "some": (
        "Spoke a couple of times, briefly; most engaged when {other} talked about family.",
        "Contributed once early on and once near the end.",
        "Spoke briefly but to the point; {other} picked up what {name} said.",
    ),
    "active": (
        "Engaged throughout and spoke several times.",
        "Active; at times took up much of the group's time, which {other} pointed out.",
        "Spoke early and set the tone of the session.",
        "Involved throughout; responded to {other} with unusual directness.",
    ),
    "response": (
        "Took in feedback from {other} about seeming distant, and said it was hard to hear "
        "but fair.",
        "Made a link between the group's silence and the silences at home growing up.",
        "Seemed more able to stay with difficult feelings than in earlier sessions.",
        "Became defensive when challenged, then came back to the point later, which is new.",
        "Said that {other}'s honesty had helped.",
        "Noticed a wish to rescue {other} and held back, which {name} said felt strange but "
        "right.",
    ),
    "member_plan": (
        "Continue to support {name} in voicing disagreement directly.",
        "Notice with {name} the moments of withdrawal, as they happen in the room.",
        "No change to the plan.",
        "Invite {name} to say more about today's link, if {name} returns to it.",
    ),
    "process": (
        "I noticed a pull to rescue {a} when the group went quiet, and held back. The wish "
        "to rescue may have been the group's wish too.",
        "I felt sleepy in the middle of the session, which usually tells me something is "
        "being kept out of the room. The politeness today felt defensive.",
        "After the session the co-leader and I disagreed about whether {b}'s challenge was "
        "aimed at me. One for supervision: we may be acting out the parental split the group "
        "keeps describing.",
        "I am aware of liking {a} more easily than {b}, and of how that might show. Watch my "
        "tone.",
        "Irritated by {q}'s silence, then guilty about the irritation. This may be close to "
        "{q}'s familiar experience of being in a family.",
        "Relief when the session ended, which I want to understand before next week. "
        "Something in {c}'s story stayed with me on the way home.",
        "I spoke more than usual today, filling silences: perhaps my own anxiety about the "
        "group's numbers.",
        "The group felt alive today; I noticed my pleasure in that and wondered whose "
        "pleasure it was.",
    ),
}

SUPPORT: dict[str, tuple[str, ...]] = {
    "themes_orientation": (
        "Each member's loss; hopes and worries about the group.",
        "What it is like to speak about the dead among strangers.",
    ),
    "themes_cohesion": (
        "Recognising oneself in another's story.",
        "The relief of not having to explain.",
    ),
    "themes_working": (
        "Guilt, and the things left unsaid.",
        "Anger, and with whom it is safe to be angry.",
        "How friends and family have helped, and how they have not.",
        "Keeping a connection with the person who died.",
    ),
    "themes_termination": (
        "Hopes and worries for the months ahead, and the group's own ending.",
        "Saying goodbye, and what members will take with them.",
    ),
    "here_and_now": (
        "{a} told the story of the last weeks of the illness; {b} said it was the first time "
        "hearing someone else describe the same exhaustion.",
        "The group talked about what people say that does not help ('at least it was "
        "quick'). There was laughter and anger in equal measure.",
        "{a} brought a photograph; the group looked at it together and asked about the "
        "person, which {a} said felt like being allowed to keep them.",
        "{a} worried aloud about 'not grieving properly' because the tears had stopped; "
        "others described similar phases.",
        "Talk of the coming holidays and the empty place at the table; {b} plans to light a "
        "candle.",
        "{a} was quiet and tearful; {c} moved closer, which {a} later said had helped.",
        "{b} described sorting through clothes and not being able to finish; the group "
        "talked about going at one's own pace.",
        "Members compared the first days with the worst ones; {c} said the worst were the "
        "ordinary days.",
    ),
    "interventions": (
        "Gave information on common grief reactions (sleep, appetite, concentration) and "
        "normalised them.",
        "Introduced the idea of continuing bonds and invited members to say how they still "
        "feel connected.",
        "Kept time gently so that each member had space to speak.",
        "Reflected the group's care for one another and linked it to the session's theme.",
        "Encouraged {a} to say more about the guilt rather than reassuring it away.",
        "Closed with a short grounding exercise.",
        "Offered a handout on sleep and grief, and discussed it briefly.",
    ),
    "plan": (
        "Next session: {next}. Members may bring a photograph or an object if they wish.",
        "Next session: {next}. Check in with {q} at the start.",
        "Next session: {next}.",
    ),
    "first": (
        "Spoke about the loss that brought {name} here; tearful, and said it was a relief "
        "to be among people who understand.",
    ),
    "late": ("Joined the round when ready.", "Came in flustered and settled after a while."),
    "silent": (
        "Listened throughout; said at the close that listening was what was possible today.",
    ),
    "some": (
        "Spoke briefly in the opening round and again near the end.",
        "Spoke once, movingly, about a small daily reminder.",
    ),
    "active": (
        "Spoke openly and responded warmly to others.",
        "Engaged; offered support to {other}.",
    ),
    "response": (
        "Found it helpful to hear {other} describe similar feelings.",
        "Said the session's theme was hard but important.",
        "Seemed lighter by the end of the session.",
        "Recognised the anger as part of grieving rather than a failing.",
        "Talked with {other} afterwards about routines that help in the evenings.",
    ),
    "process": (
        "I found myself wanting to hurry {a} through the story, which tells me more about "
        "my own discomfort than about {a}.",
        "The group was generous with {b} today. My own losses felt close to the surface; "
        "one for supervision.",
        "{q} seemed far away; I wondered whether the group's warmth was hard to bear.",
        "I talked too much in the first half, filling the room with information when the "
        "members needed quiet.",
        "A heavy session. I left tired but not depleted: the group carries its own weight now.",
    ),
    "member_plan": (
        "Continue; no concerns.",
        "Check in next week about sleep.",
        "Continue to encourage {name} to lean on friends between sessions.",
    ),
}

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
                "bring anything that happens outside back into the group.")
    s[7]["attendance"] = {"jonah": "absent_no_notice"}
    s[8].update(attendance={"jonah": "absent_no_notice"}, plan="Write to Jonah after a second "
                "absence without notice, inviting him to come and talk about it in the group.")
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
                spec = ClinicianSpec(name=name, role=role, credentials=credentials)
                self.clin[key] = clinicians.create_clinician(self.vault, spec).id
            for p in MEMBERS:
                spec = MemberSpec(
                    full_name=p.full_name, preferred_name=p.preferred_name,
                    pronouns=p.pronouns, dob=date(self.today.year - p.age, *p.birthday),
                    phone=p.phone, email=p.email, emergency_contact=p.emergency,
                    presenting_concerns=p.concerns, referral_source=p.referral)
                self.member_ids[p.key] = members.create_member(self.vault, spec).id
        process_dates = self._process_group()
        self._support_group(niamh_told=process_dates[11])

    def _group(self, spec: GroupSpec, script: Script, dates: list[date], *, support: bool,
               cancelled: int = 0, drafts: int = 1) -> None:
        with clock.frozen_at(self.setup):
            g = groups.create_group(self.vault, spec)
        run = _GroupRun(support, g.id, spec.start_time or time(18, 0),
                        ("lead",) if support else ("lead", "co"),
                        SUPPORT if support else PROCESS, *script)
        for number, day in enumerate(dates[1:], start=1):
            self._session(run, number, day, cancelled=number == cancelled,
                          draft=number > len(dates) - 1 - drafts)
        self._roster_until(run, self.today, len(dates))
        topic = SUPPORT_TOPICS[(len(dates) - 1) % 12] if support else ""
        with clock.frozen_at(self._when(dates[-1], (timedelta(days=1), time(9, 0)))):
            meetings.schedule_meeting(self.vault, g.id,
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
                    run.memberships[key] = members.add_membership(
                        self.vault, self.member_ids[key], run.group_id, status, on, reason).id
                else:
                    members.change_status(self.vault, run.memberships[key], status, on,
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
            m = meetings.schedule_meeting(self.vault, run.group_id, start, topic=topic)
        if cancelled:
            with clock.frozen_at(start - timedelta(hours=5)):  # called off that morning
                meetings.cancel_meeting(self.vault, m.id)
            return
        leaders = tuple(self.clin[k] for k in step.get("leaders", run.leaders))
        with clock.frozen_at(start + timedelta(minutes=m.length_minutes)):  # written after it
            meetings.hold_meeting(self.vault, m.id, list(leaders))
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
            if step.get("private"):
                body = "\n\n".join(
                    self._deck(run, "process").draw().format(**_rotate(names, i))
                    for i in range(2))
                notes.save_private_note(self.vault, m.id, body, self.clin["lead"])
        if not draft:
            self._sign(run, m.id, day, step, leaders, group_note, written)

    def _sign(self, run: _GroupRun, meeting_id: int, day: date, step: Step,
              leaders: tuple[int, ...], group_note: int, written: dict[str, _Written]) -> None:
        """Sign the session's notes the day after, then co-sign and add addenda later.

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
                notes.sign_meeting_notes(self.vault, meeting_id, co, ("member",),
                                         member_ids=theirs)
            notes.sign_meeting_notes(self.vault, meeting_id, lead, kinds)
        with clock.frozen_at(self._when(day, RISK_REVIEW)):  # risk is always reviewed
            for w in written.values():
                if w.risk:
                    notes.cosign_note(self.vault, "member", w.note_id, sup)
        if (self.today - day).days > SUPERVISION_LAG_DAYS:  # reviewed in supervision
            with clock.frozen_at(self._when(day, SUPERVISION)):
                notes.cosign_note(self.vault, "group", group_note, sup)
        with clock.frozen_at(self._when(day, ADDENDUM)):
            if "group_addendum" in step:
                notes.add_addendum(self.vault, "group", group_note, co, step["group_addendum"])
            for w in written.values():
                if w.addendum:
                    notes.add_addendum(self.vault, "member", w.note_id, lead, w.addendum)

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
        meetings.record_attendance_many(self.vault, meeting_id, rows)
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
        seating.save_seating(self.vault, meeting_id, circle)

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
            seating.add_interactions(self.vault, meeting_id, pairs)
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
        return notes.save_group_note(self.vault, meeting_id, fields).id

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
            note = notes.save_member_note(self.vault, meeting_id, self.member_ids[key], fields)
            written[key] = _Written(note.id, fields.risk_flag, special.get("addendum", ""))
        return written
