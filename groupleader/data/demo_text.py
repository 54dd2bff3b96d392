"""The demo vault's cast and sentence banks: invented people and the words of their notes.

Every name, contact detail and story here is invented; phone numbers are in the 555-01xx
range kept for fiction and e-mail addresses are at example.org. The builder that tells
the story with them is `groupleader.data.demo`.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------- people

CLINICIANS = (  # key, name, role, credentials
    ("lead", "Dr. Helena Marsh", "leader", "PsyD, group psychotherapist"),
    ("co", "Samuel Okafor-Lund", "co_leader", "LCSW"),
    ("sup", "Dr. Ingrid Tallberg", "supervisor", "PhD, training analyst"),
)
# Each demo profile's signing PIN (published in docs/demo.md: the demo is for trying out).
PINS = {"lead": "4821", "co": "7395", "sup": "5160"}


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
    also_written_as: tuple[str, ...] = ()  # how the notes also spell the name


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
            "To find a way of remembering her son that does not only hurt.", 1.0,
            also_written_as=("Naama",)),
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
