"""Yalom's eleven therapeutic factors: the fixed vocabulary a group note records.

Keys are stored in the vault (``MeetingNote.factors``), so they never change; labels and
explanations are what the screen and the PDF show.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    explanation: str


FACTORS: tuple[Factor, ...] = (
    Factor("hope", "Instillation of hope",
           "Seeing others improve gives members hope that they can too."),
    Factor("universality", "Universality",
           "Members learn they are not alone in their problems."),
    Factor("information", "Imparting information",
           "Teaching and advice from the leader or other members."),
    Factor("altruism", "Altruism",
           "Members help one another and feel useful."),
    Factor("family", "Corrective recapitulation of the primary family group",
           "Old family patterns are relived and worked through in the group."),
    Factor("socializing", "Development of socializing techniques",
           "Members learn and practise social skills."),
    Factor("imitation", "Imitative behavior",
           "Members take on helpful behaviour they see in the leader or others."),
    Factor("interpersonal", "Interpersonal learning",
           "Members learn how they affect others through feedback in the group."),
    Factor("cohesiveness", "Group cohesiveness",
           "A sense of belonging, acceptance and trust in the group."),
    Factor("catharsis", "Catharsis",
           "Expressing strong feelings brings relief when it is met with acceptance."),
    Factor("existential", "Existential factors",
           "Facing responsibility, isolation and mortality; accepting what cannot change."),
)

FACTOR_KEYS: frozenset[str] = frozenset(f.key for f in FACTORS)
_BY_KEY = {f.key: f for f in FACTORS}


def factor(key: str) -> Factor:
    """The factor with this key; KeyError for an unknown key."""
    return _BY_KEY[key]


def is_factor(key: str) -> bool:
    return key in _BY_KEY
