"""Replace people's names and contact details in free text: the one de-identification step.

`collect.py` runs every piece of member-related text through a `Redactor` before it
reaches a report dataclass, so no later code (layout, metadata, file names) can print
a name that was meant to be hidden. One `Redactor` is built per export (per batch):
its tables (a dictionary of folded name words, and a few compiled patterns) are built
once, and each text is folded once and read word by word.

Matching is done on folded text (groupleader/folding.py, the folding Find uses): case,
accents, NFD/NFC, apostrophe and hyphen variants are ignored, so "Zoe", "ZOË" and
"Zoe" + a combining diaeresis all match the member stored as "Zoë".

It is **pseudonymised for supervision, not HIPAA Safe Harbor de-identification**: what
follows is everything it removes, and everything else stays.

Replaced, for every member of the vault who is hidden (every member in a de-identified
export, every member but the subject in a member extract), by their alias:
- every word (two letters or more) of the full name, the preferred name and each "also
  written as" form, in any case, with or without accents, apostrophe and hyphen variants
  ("O'Brien", "O’Brien", "O`Brien", "OBrien", "O Brien"), a hyphenated name as one word
  ("Annemarie"), with a possessive or plural ("Zoë's", "Zoës", "Lindqvists"), a case
  ending after an apostrophe ("Arturo'nun") or an elided word before one ("l'Arturo",
  "dell'Arturo"); a run of such words ("Zoë Kaplan", "Anne–Marie") becomes one alias,
  and in a script with capitals a capitalised word never goes on with a lower-case one
  ("Will Turner will phone" keeps "will"); a word two hidden members share ("Anna")
  becomes "[member]" unless a neighbouring word tells them apart, and one that is a
  member's name and someone's emergency contact becomes "[name]" (`NAME`);
- Hebrew words with up to three of the one-letter prefixes ו ה ב כ ל מ ש, and Arabic
  words with up to two of و ف ب ك ل (and لل for ل + ال), when the rest is a name; an
  Arabic name with its article (الزهراء) also without it (زهراء);
- Chinese, Japanese and Korean names, found inside running text (no spaces needed):
  the whole name (stored as "王小明" or "王 小明", written "王小明", "王 小明" or "田中・花子"),
  every part of two characters or more alone (the given name 小明 of 王小明 and 민준 of
  김민준, a four-character name's halves 田中 / 花子 or 欧阳 / 明华, a Japanese family name
  田中 alone, since that is how Japanese names people), and a one-character family name
  only before an honorific (王先生, 林さん, 김씨, 김 씨): alone, 王 would blank 国王 and 王子.
  A given name that is also an everyday word (希望 "hope", 美丽, さくら, 사랑:
  `CJK_COMMON_WORD_NAMES`) is replaced, like a single character, only inside the whole
  name or before an honorific. Hangul written as decomposed jamo and kana with
  separate voicing marks match too, and katakana match hiragana;
- names in the emergency-contact field, by "[contact]" (not in a member extract): its
  capitalised words that are not titles ("Mrs"), relation words ("sister"), place or
  organisation words ("Care Home", "Park Road") or ordinary words ("Call after 6 PM"),
  wherever they are written capitalised; in Chinese, Japanese or Korean, what is left of
  the field's words once relation words (丈夫, 妈妈, 남편...) are taken off, by the rule
  above;
- the member's phone numbers (their own and any in the contact field) in any
  separators, with or without the country code, and the last seven digits alone; their
  e-mail address; their date of birth written "3 March 1979", "3rd of March 1979",
  "March 3rd, 1979", "3 Mar '79", "03-Mar-1979", "03/03/79", "3.3.1979", "1979-03-03",
  "19790303" or "03031979" (day or month first), by "[removed]";
- the vault's general terms to hide (and the CLI's --hide), as whole phrases folded the
  same way, by "[removed]"; one that is an everyday word (`EVERYDAY_WORDS`: Will, May,
  call) only where written capitalised;
- with `scrub_contacts` (every de-identified export): any e-mail address, by
  "[e-mail removed]", and any phone number libphonenumber finds in the text (local
  forms too, in the region of the members' own numbers), any run of nine digits or
  more that is not a date, or a seven-digit local number ("867-5309"), by
  "[phone removed]", whoever's it is; an address written "will.t at example.org".

A name that is also a common word (Will, Hope, Grace, May, Park, ...: `COMMON_WORD_NAMES`)
is replaced only where it names the person: next to another word of their name, after
Mr/Mrs/Ms, capitalised in the middle of a sentence (but not "in May", "May 3" or
"Park Road", nor beside a capitalised word that is no one's name, "Amazing Grace",
"Faith, Hope and Charity", nor in a title), or at the start of a sentence when a verb
like "said" or a possessive follows. Words accepted as no name (`not_names`, the CLI's
--keep) are not listed, and such a common-word name is then replaced only after a title
or with another word of the name. Elsewhere it is left as it is and, when capitalised,
listed in the review as a possible name, so "Will phone her tomorrow" and "she had lost
hope" keep their meaning.

The alias is the member's pseudonym in the group (initials, unique in the group) or their
initials. A Chinese, Japanese or Korean name has no initials (its first character is the
family name): such a member is "X." or the initials of a spelling in another script
("Wang Xiaoming" -> "W.X."), and a stored pseudonym made of the name's own characters
("王.") is never printed (`Identity` replaces it).

In a member extract the subject's own contacts' names stay, as the rest of their text.

Not removed: a name recorded nowhere on a member (nor as a general term); an inflected
form ("Νίκου" for Νίκος, "Jankowi" for Jan); a contact's name written in lower case; a
one-character CJK family name without an honorific, and a CJK name never recorded;
ages, places, employers, diagnoses and other indirect identifiers unless hidden as a
general term; dates other than the date of birth (the sessions' dates stay), and a date
of birth in other languages' month names; the group's name, kind and room; the
clinicians' names; the events of the sessions. A reader who knows the group may still
recognise someone.

The redactor's `review` lists every replacement in its context and the possible names
left: capitalised words in mid-sentence that are not a known word (clinicians, the
group, weekdays, months, a short list of common capitalised words), and capitalised
words before "said", "told" and the like. Scripts without case (Hebrew, Arabic, CJK)
give no possible names: only the known names of the vault are found in them.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import phonenumbers

from groupleader.folding import fold, fold_map, is_cjk, safe_alias

AMBIGUOUS = "[member]"
CONTACT = "[contact]"
NAME = "[name]"  # a word that is a member's name and another member's contact
TERM = "[removed]"
REMOVED = "[removed]"
EMAIL_REMOVED = "[e-mail removed]"
PHONE_REMOVED = "[phone removed]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_RUN = re.compile(r"(?<![\w+])\+?\d[\d \t().\-/]{4,}\d(?!\w)")
_LONG_DIGITS = re.compile(r"(?<!\w)\+?(?:\d[\s().\-/]{0,2}){8,}\d(?!\w)")
_DIGITS = re.compile(r"\d")
# A word: letters and digits, not the Chinese, Japanese or Korean characters (a name in
# those scripts is found by its own pattern, and "今天Wang" holds the word "Wang").
_NOT_CJK = r"[^\W_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7a3]"
_TOKEN = re.compile(rf"{_NOT_CJK}+(?:'{_NOT_CJK}+)*")
_SPLIT = re.compile(r"[\s\-/,;()\"]+")



def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Names that are also ordinary words: replaced only where they name the person.
COMMON_WORD_NAMES = _wordset("""
will hope grace may joy faith bill rose mark pat sue rob art dawn summer autumn june april
august frank guy jack ray sky iris ivy lily daisy amber ruby pearl jade crystal star rich
dean drew gene grant lane miles nick penny robin sandy chase hunter forest river page
cliff chuck don herb max sunny honey angel destiny harmony melody bliss precious patience
prudence charity constance mercy trinity heather holly violet hazel fern willow sage
brook brooke rain storm gale wade carol chance christian earl king noble sterling victor
young barry bob buck rusty woody jay kit ash bay bird dusty hale june lee love park
hill wood stone field brown white black gold ford bell moon song
van von der den de da di del la le el al bin ibn ben bat abu st
""")
_MONTH_WORDS = frozenset({"may", "june", "april", "august"})
_MONTH_CONTEXT = _wordset("""in on since until till by of from through early late mid next
last this every each during before after""")
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "mister", "madam"})
_TITLE_DOT = re.compile(r"(?<![^\W\d_])(?:mr|mrs|ms|mx|dr|prof|rev|fr|sr|st)$", re.IGNORECASE)
PERSON_VERBS = _wordset("""
said says told tells shared shares spoke speaks reported reports asked asks arrived arrives
left leaves came comes felt feels talked talks described describes explained explains cried
cries laughed laughs agreed agrees disagreed mentioned mentions noted notes stated states
disclosed discloses attended attends missed misses was is has had seemed seems appeared
appears responded responds replied replies answered answers joined joins returned returns
sat sits looked looks smiled smiles wept weeps became becomes admitted admits denied
denies wants wanted wrote writes called calls phoned texted emailed and thinks thought
""")
_STRONG_PERSON_VERBS = PERSON_VERBS - {"is", "was", "has", "had", "and", "seemed", "seems",
                                       "appeared", "appears", "became", "becomes", "notes",
                                       "states", "calls", "wants", "thinks", "looks"}
_RELATION_WORDS = _wordset("""
her his their the my our a an and or of to at in on c/o mother mom mum mama father dad papa
sister brother wife husband partner spouse son daughter aunt uncle cousin friend
neighbour neighbor grandmother grandfather grandma grandpa nan gran niece nephew boyfriend
girlfriend fiance fiancee guardian carer caregiver parent parents mobile cell phone tel
home work email contact emergency next kin
""")
# Capitalised in the middle of a sentence without being a name.
_KNOWN_CAPITALISED = _wordset("""
i i'm i've i'd i'll monday tuesday wednesday thursday friday saturday sunday january
february march april may june july august september october november december christmas
easter ramadan eid hanukkah passover diwali god english british french german spanish
hebrew arabic jewish muslim christian catholic mr mrs ms dr miss mx gp nhs er ok tv
internet zoom whatsapp facebook instagram session group note plan she he they we you it
her his their our this that these those there then everyone someone nobody no one both
all each the a an mum mom dad
""")
_HEBREW_PREFIXES = frozenset("והבכלמש")
_ARABIC_PREFIXES = frozenset("وفبكل")
_MONTHS = {"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
           "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
           "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10,
           "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUM_DATE = re.compile(r"(?<![\d/.\-])(\d{1,4})([./\-])(\d{1,2})\2(\d{2,4})(?![\d/\-]|\.\d)")
_YEAR = r"['’‘]?(\d{4}|\d{2})(?!\d)"  # "1979", "79", "'79"
_DAY_MONTH = re.compile(rf"(?<!\w)(\d{{1,2}})(?:st|nd|rd|th)?\.?(?:\s+|[\-/])(?:of\s+)?"
                        rf"({_MONTH_ALT})\.?(?:,?\s+|[\-/]){_YEAR}", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"(?<!\w)({_MONTH_ALT})\.?(?:\s+|[\-/])(\d{{1,2}})(?:st|nd|rd|th)?"
                        rf"(?:,?\s+|[\-/]){_YEAR}", re.IGNORECASE)
_ORDINALS = {w: i + 1 for i, w in enumerate((
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
    "seventeenth", "eighteenth", "nineteenth", "twentieth"))}
_ORDINALS.update({f"twenty{sep}{w}": 20 + d for sep in ("-", " ", "")
                  for w, d in _ORDINALS.items() if d <= 9})
_ORDINALS.update({"thirtieth": 30, "thirty-first": 31, "thirty first": 31, "thirtyfirst": 31})
_ORDINAL_ALT = "|".join(sorted((re.escape(w) for w in _ORDINALS), key=len, reverse=True))
_WORD_DAY_MONTH = re.compile(rf"(?<!\w)(?:the\s+)?({_ORDINAL_ALT})\s+(?:of\s+)?({_MONTH_ALT})\.?"
                             rf",?\s+{_YEAR}", re.IGNORECASE)
_MONTH_WORD_DAY = re.compile(rf"(?<!\w)({_MONTH_ALT})\.?\s+(?:the\s+)?({_ORDINAL_ALT}),?\s+"
                             rf"{_YEAR}", re.IGNORECASE)
# A local number of seven digits ("867-5309", "555 2671"), someone else's too.
_LOCAL_PHONE = re.compile(r"(?<![\w.\-/])\d{3}[\-. ]\d{4}(?![\w\-/]|[.,]\d)")
# An e-mail address written to dodge machines ("will.t at example.org", "x [at] y dot com"):
# the local part has a dot, an underscore or a digit, so "him at example.org" stays.
_OBFUSCATED_EMAIL = re.compile(
    r"(?<![\w.])[\w+-]*[._\d][\w.+-]*\s*(?:\[at\]|\(at\)|\sat\s)\s*[\w-]+"
    r"(?:\s*(?:\.|\[dot\]|\(dot\)|\sdot\s)\s*[a-z]{2,})+(?!\w)", re.IGNORECASE)
_COMPACT_DATE = re.compile(r"(?<![\d\w])(\d{8})(?![\d\w])")  # 19790303, 03031979


@dataclass(frozen=True)
class Identity:
    """What identifies one member, and the alias that stands in for them."""

    member_id: int
    full_name: str
    preferred_name: str
    alias: str
    phone: str = ""
    email: str = ""
    emergency_contact: str = ""
    dob: date | None = None
    also_written_as: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # A pseudonym made of a CJK name's own characters ("王." for 王小明) names them.
        names = (self.full_name, self.preferred_name, *self.also_written_as)
        object.__setattr__(self, "alias", safe_alias(self.alias, names))


@dataclass(frozen=True)
class Replacement:
    """One replacement, with the text either side of it (for the review)."""

    before: str
    original: str
    replacement: str
    after: str


@dataclass(frozen=True)
class PossibleName:
    """A word left in the text that may be a name."""

    word: str
    before: str
    after: str
    reason: str


@dataclass
class Review:
    """What the redactor did and what it left, over every text it was given."""

    replacements: list[Replacement] = field(default_factory=list)
    possible: list[PossibleName] = field(default_factory=list)

    def possible_words(self) -> list[str]:
        """Each possible name once, in the order first met."""
        seen: dict[str, str] = {}
        for p in self.possible:
            seen.setdefault(fold(p.word), p.word)
        return list(seen.values())


# ---------------------------------------------------------------- building the tables

Key = tuple[str, int]  # ("m", id) a member, ("c", id) their emergency contact, ("k", id) kept
_Orig = Callable[[int], int]  # a position in folded text -> its position in the original


@lru_cache(maxsize=65536)
def _name_words(name: str) -> tuple[str, ...]:
    """The folded words of a name and its hyphenated parts joined (cached: a vault's
    names are read again by every export)."""
    return (*_words(name), *_joined(name))


def _joined(value: str) -> list[str]:
    """A hyphenated name written as one word ("Anne-Marie" -> "annemarie")."""
    return [w.replace("-", "") for w in fold(value).split()
            if "-" in w.strip("-") and len(w.replace("-", "")) >= 4]


def _words(value: str) -> list[str]:
    """The folded words of a name (split at spaces and hyphens, possessive-free)."""
    out = []
    for raw in _SPLIT.split(fold(value)):
        word = raw.strip(".'’:")
        if word.endswith("'s") and len(word) > 4:
            word = word[:-2]
        if len(word) >= 2 and not word.isdigit():
            out.append(word)
        # as a note's words are read ("Tee&" is "tee" there, "<b>Bold</b>" is "bold")
        out += [piece for piece in _TOKEN.findall(word)
                if piece != word and len(piece) >= 2 and not piece.isdigit()]
    return out


# Chinese, Japanese and Korean names (written without spaces between words).
# Honorifics after a family name ("王先生", "林さん", "김씨"): a one-character family name
# is replaced only before one of these. Korean 씨 may follow a space ("김 씨") but not
# begin a longer word ("이 씨앗", "this seed"); 선생님 only written on ("김선생님"),
# since "이 선생님" is also "this teacher".
_HONORIFIC = (r"(?=先生|女士|小姐|太太|夫人|老师|老師|医生|醫生|大夫|同学|同學|阿姨|叔叔"
              r"|さん|さま|様|くん|ちゃん|氏|선생님"
              r"| ?씨(?:가|는|도|를|의|와|랑|에게|한테|께서)?(?![가-힣]))")
_CJK_SEP = "[ \u30fb\u00b7]?"  # "田中 花子", "田中・花子" (folding made U+3000 a space)
_CJK_SEP_CHARS = re.compile(_CJK_SEP[:-1])
_CJK_SPLIT = re.compile(r"[\s\-/,;()\"\u30fb\u00b7.（）、，：:]+")
# Given names that are also ordinary words ("希望" hope, "美丽" beautiful, "사랑" love):
# replaced only as part of the whole name or before an honorific, as a single character is.
CJK_COMMON_WORD_NAMES = _wordset("""
希望 美丽 美麗 幸福 快乐 快樂 平安 和平 光明 文明 自由 建国 建國 国庆 國慶 春花 秋月 海燕
明天 爱国 愛國 胜利 勝利 红梅 紅梅 白雪 天使 永远 永遠 真理 智慧 晓东
さくら ひかり 光 あい 愛 はな 花 ゆき 雪 そら 空 みどり 緑 あおい 希 望 恵 桜 海
하늘 사랑 기쁨 슬기 보람 바다 은혜 소망 믿음 나래 한결 가을 봄 별 달 빛나 노을 아름
""")
# Words of a contact field in these scripts that say who the contact is, not their name.
_CJK_RELATIONS = ("妻子", "丈夫", "先生", "太太", "母亲", "母親", "父亲", "父親", "妈妈", "媽媽",
                  "爸爸", "姐姐", "妹妹", "哥哥", "弟弟", "儿子", "兒子", "女儿", "女兒", "朋友",
                  "紧急联系人", "緊急聯絡人", "联系人", "聯絡人", "电话", "電話", "手机", "手機",
                  "伴侣", "伴侶", "男友", "女友", "配偶", "母", "父", "妻", "夫", "姉", "妹", "兄",
                  "弟", "息子", "娘", "友人", "携帯", "어머니", "아버지", "엄마", "아빠", "아내",
                  "남편", "언니", "누나", "오빠", "형", "동생", "아들", "딸", "친구", "연락처",
                  "전화", "휴대폰")


@dataclass
class _CjkForms:
    """One person's CJK name forms: replaced anywhere, or only before an honorific."""

    anywhere: set[tuple[str, ...]] = field(default_factory=set)  # parts of one form
    titled: set[str] = field(default_factory=set)

    def add_name(self, name: str) -> None:
        if not _ANY_CJK.search(name):
            return  # most names: nothing to do here
        parts = [p for p in _CJK_SPLIT.split(fold(name))
                 if p and all(is_cjk(c) for c in p)]
        if not parts:
            return
        if len(parts) > 1:
            self.anywhere.add(tuple(parts))  # "田中 花子" written "田中花子" or "田中・花子"
            pieces = list(parts)
            if len(parts[0]) == 1:
                self.titled.add(parts[0])  # a one-character family name: "王 小明"
                pieces = parts[1:]
        else:
            whole = parts[0]
            pieces = [whole]
            if _has_kana(whole):
                # a family name in kanji before a given name in kana ("田中ゆうこ"): the
                # two apart; a name all in kana ("さくら") is one piece
                runs = _KANA_RUNS.findall(whole)
                if len(runs) > 1:
                    if len(runs[0]) == 1:
                        self.titled.add(runs[0])
                    pieces += [r for r in runs if len(r) > 1 or r is not runs[0]]
            elif len(whole) in (2, 3):  # 王芳, 王小明, 김민준: family name, given name
                self.titled.add(whole[0])
                self.anywhere.add((whole[0], whole[1:]))  # also "王・小明", "王 小明"
                if len(whole) == 3:
                    pieces.append(whole[1:])
            elif len(whole) == 4:  # 欧阳明华, 田中花子: two and two
                self.anywhere.add((whole[:2], whole[2:]))
                pieces += [whole[:2], whole[2:]]
        for piece in pieces:
            if len(piece) == 1 or piece in CJK_COMMON_WORD_NAMES:
                self.titled.add(piece)
            else:
                self.anywhere.add((piece,))

    def add_contact(self, value: str) -> None:
        """The names in an emergency-contact field ("妻子王芳 138...", "남편 이준호")."""
        if not _ANY_CJK.search(value):
            return
        for run in re.findall(r"[^\W\d_]+", fold(value)):
            if not all(is_cjk(c) for c in run):
                continue
            changed = True
            while changed:
                changed = False
                for word in _CJK_RELATIONS:
                    if len(run) > len(word) and run.startswith(word):
                        run, changed = run[len(word):], True
                    elif len(run) > len(word) and run.endswith(word):
                        run, changed = run[:-len(word)], True
            if len(run) >= 2 and run not in _CJK_RELATIONS:
                self.add_name(run)


# Any Chinese, Japanese or Korean character, composed or as jamo (folding composes them).
_ANY_CJK = re.compile("[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                      "\uac00-\ud7a3\uff66-\uff9f\U00020000-\U0002fa1f]")
_KANA_RUNS = re.compile(r"[\u3040-\u30ff]+|[^\u3040-\u30ff]+")


def _has_kana(word: str) -> bool:
    return any("\u3040" <= c <= "\u30ff" for c in word)


def _cjk_pattern(anywhere: Iterable[tuple[str, ...]], titled: Iterable[str]
                 ) -> re.Pattern[str] | None:
    """One pattern for every CJK name form of the vault: group "a" a form replaced
    anywhere, group "t" one replaced before an honorific."""
    forms = sorted(set(anywhere), key=lambda f: -sum(map(len, f)))
    singles = sorted(set(titled), key=len, reverse=True)
    alternatives = []
    if forms:
        alternatives.append("(?P<a>" + "|".join(
            _CJK_SEP.join(map(re.escape, f)) for f in forms) + ")")
    if singles:
        alternatives.append("(?P<t>" + "|".join(map(re.escape, singles)) + ")" + _HONORIFIC)
    return re.compile("|".join(alternatives)) if alternatives else None


# Capitalised in a contact field without being a person's name: titles, places,
# organisations and the words of "Call after 6 PM".
_CONTACT_NOT_NAMES = _TITLES | _wordset("""
dr prof rev sir dame lady lord care home homes road rd street st lane ln avenue ave drive
dr close court ct way place square park garden gardens house hall centre center hospital
clinic practice surgery nursing residential ward unit trust service services council
school college university church mosque synagogue temple office ltd inc llc co company
group shelter hostel flat apartment apt floor north south east west upper lower new old
call ring phone text message after before between until from pm am any time only if not
evenings evening mornings morning weekdays weekends day days night nights daytime urgent
please also first second then or and with at on in by for of the
""") | _KNOWN_CAPITALISED


@lru_cache(maxsize=16384)
def _contact_words(value: str) -> tuple[str, ...]:
    """The words of an emergency-contact field that are a person's name.

    Only capitalised words count, and not titles ("Mrs"), place or organisation words
    ("Care Home, Park Road") or ordinary words ("Call after 6 PM"): the rest of the
    field is not a name and must not be hidden anywhere else.
    """
    if not value.strip():
        return ()
    out = []
    for raw in _SPLIT.split(value):
        word = raw.strip(".,'’:")
        if len(word) < 2 or not any(c.isalpha() for c in word) or any(c.isdigit() for c in word):
            continue
        folded = fold(word)
        if folded in _RELATION_WORDS or folded in _CONTACT_NOT_NAMES or "@" in word:
            continue
        cased = word[0].upper() != word[0].lower()
        if cased and (not word[0].isupper() or (word.isupper() and len(word) <= 3)):
            continue  # "sister", "mobile", "PM": not names
        out.append(folded)
    return tuple(out)


@lru_cache(maxsize=16384)
def _phone_digits(phone: str, region: str) -> frozenset[str]:
    """The digit strings a phone number is written as: international, national, local.

    Worked out from the digits and the table of country codes, without parsing the
    number (parsing thousands of members' numbers was most of the cost of a matcher).
    """
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 5:
        return frozenset()
    forms = {digits}
    international = phone.lstrip().startswith("+")
    if not international and digits.startswith("00"):
        digits, international = digits[2:], True
    if international:
        code = next((digits[:n] for n in (1, 2, 3)
                     if int(digits[:n] or 0) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE), "")
        national = digits[len(code):]
    else:
        code = str(phonenumbers.country_code_for_region(region) or "")
        national = (digits[len(code):] if code and digits.startswith(code)
                    and len(digits) > 10 else digits)
    bare = national.lstrip("0")  # "+44 (0)7700 ...", "07700 ..."
    forms |= {national, bare, "0" + bare} | ({code + bare} if code else set())
    for d in (digits, national):
        if len(d) >= 9:
            forms.add(d[-7:])  # the local number without its area code
    return frozenset(f for f in forms if len(f) >= 5)


def _region(identities: Iterable[Identity]) -> str:
    """The region of the numbers written without a country code: the members' own."""
    counts: dict[str, int] = {}
    for ident in identities:
        if ident.phone.strip().startswith("+"):
            try:
                code = phonenumbers.parse(ident.phone, None).country_code
            except phonenumbers.NumberParseException:
                continue
            if code is None:
                continue
            region = phonenumbers.region_code_for_country_code(code)
            counts[region] = counts.get(region, 0) + 1
    return max(counts, key=lambda r: counts[r]) if counts else "US"


def _year_forms(y: int) -> set[int]:
    return {y} if y >= 100 else {1900 + y, 2000 + y}


def _dates_in(value: str) -> Iterable[tuple[int, int, set[date]]]:
    """(start, end, the dates it may mean) for each written date in `value`."""
    for m in _NUM_DATE.finditer(value):
        a, b, c = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if len(m.group(1)) == 4:
            triples = [(a, b, c)]
        elif len(m.group(4)) in (2, 4):
            triples = [(y, b, a) for y in _year_forms(c)] + [(y, a, b) for y in _year_forms(c)]
        else:
            continue
        yield m.start(), m.end(), _valid(triples)
    for m in _COMPACT_DATE.finditer(value):
        d = m.group(1)
        yield m.start(), m.end(), _valid([(int(d[:4]), int(d[4:6]), int(d[6:])),
                                          (int(d[4:]), int(d[2:4]), int(d[:2])),
                                          (int(d[4:]), int(d[:2]), int(d[2:4]))])
    for m in _DAY_MONTH.finditer(value):
        month = _MONTHS[m.group(2).casefold()]
        yield m.start(), m.end(), _valid([(y, month, int(m.group(1)))
                                          for y in _year_forms(int(m.group(3)))])
    for m in _MONTH_DAY.finditer(value):
        month = _MONTHS[m.group(1).casefold()]
        yield m.start(), m.end(), _valid([(y, month, int(m.group(2)))
                                          for y in _year_forms(int(m.group(3)))])
    for m in _WORD_DAY_MONTH.finditer(value):  # "the fourteenth of March 1979"
        day, month = _ORDINALS[" ".join(m.group(1).casefold().split())], \
            _MONTHS[m.group(2).casefold()]
        yield m.start(), m.end(), _valid([(y, month, day)
                                          for y in _year_forms(int(m.group(3)))])
    for m in _MONTH_WORD_DAY.finditer(value):  # "March the fourteenth, 1979"
        day, month = _ORDINALS[" ".join(m.group(2).casefold().split())], \
            _MONTHS[m.group(1).casefold()]
        yield m.start(), m.end(), _valid([(y, month, day)
                                          for y in _year_forms(int(m.group(3)))])


def _valid(triples: list[tuple[int, int, int]]) -> set[date]:
    out = set()
    for y, mo, d in triples:
        try:
            out.add(date(y, mo, d))
        except ValueError:
            continue
    return out


# ---------------------------------------------------------------- the redactor


@dataclass
class _Hit:
    start: int  # in the original text
    end: int
    keys: frozenset[Key]
    common: bool
    possessive: bool = False


class Redactor:
    """Replaces the identities' names (except `keep`) and contact details in text."""

    def __init__(
        self, identities: Iterable[Identity], keep: Iterable[int] = (),
        scrub_contacts: bool = True, terms: Iterable[str] = (), known: Iterable[str] = (),
        review: bool = True, not_names: Iterable[str] = (),
    ) -> None:
        self.identities = {i.member_id: i for i in identities}
        self.keep = frozenset(keep)
        self.scrub_contacts = scrub_contacts
        self.review = Review()
        self._reviewing = review
        self._region = _region(self.identities.values())
        owners: dict[str, set[Key]] = {}
        cjk_kept = _CjkForms()  # CJK names of a kept member stay as they are
        cjk_anywhere: dict[tuple[str, ...], set[Key]] = {}
        cjk_titled: dict[str, set[Key]] = {}
        contacts: dict[str, set[Key]] = {}  # matched only capitalised
        heads: dict[str, set[str]] = {}  # "brien" -> {"o"}: "O Brien" is one name
        self._emails: set[str] = set()
        self._phones: set[str] = set()
        self._dobs: set[date] = set()
        for ident in self.identities.values():
            kept = ident.member_id in self.keep
            key: Key = ("m", ident.member_id)
            names = (ident.full_name, ident.preferred_name, *ident.also_written_as)
            forms = cjk_kept if kept else _CjkForms()
            for name in names:
                forms.add_name(name)
                for word in _name_words(name):
                    ascii_word = word.isascii()
                    if not ascii_word and all(is_cjk(c) for c in word):
                        continue  # in `forms`
                    hebrew = not ascii_word and any("\u05d0" <= c <= "\u05ea" for c in word)
                    # A geresh is part of a Hebrew word ("ג'ני" is not "גני").
                    variants = {word} if hebrew else {word, word.replace("'", "")}
                    head, _, tail = word.partition("'")
                    if not hebrew and tail and len(head) <= 2 and len(tail) >= 4:
                        variants.add(tail)  # "O Brien", "D Angelo": written without the O
                        heads.setdefault(tail, set()).add(head)
                    if word.startswith("ال") and len(word) >= 5:
                        variants.add(word[2:])
                    for form in variants:
                        owners.setdefault(form, set()).add(("k", ident.member_id) if kept
                                                           else key)
            if kept:
                # the subject's own contacts ("Wife: Bill Turner") stay as written in
                # their extract, even where a word is also another member's name
                for word in _contact_words(ident.emergency_contact):
                    owners.setdefault(word, set()).add(("k", ident.member_id))
                cjk_kept.add_contact(ident.emergency_contact)
                continue
            contact_forms = _CjkForms()
            if not self.keep:  # an extract reduces other members' names only
                for word in _contact_words(ident.emergency_contact):
                    if not all(is_cjk(c) for c in word):
                        contacts.setdefault(word, set()).add(("c", ident.member_id))
                contact_forms.add_contact(ident.emergency_contact)
            for found, k in ((forms, key), (contact_forms, ("c", ident.member_id))):
                for parts in found.anywhere:
                    cjk_anywhere.setdefault(parts, set()).add(k)
                for single in found.titled:
                    cjk_titled.setdefault(single, set()).add(k)
            if ident.email.strip():
                self._emails.add(ident.email.strip().casefold())
            for phone in (ident.phone, ident.emergency_contact):
                for run in _PHONE_RUN.findall(phone):
                    self._phones |= _phone_digits(run, self._region)
            if ident.dob is not None:
                self._dobs.add(ident.dob)
        # A word a kept member bears (a member extract's subject) stays as it is, unless
        # a neighbouring word makes it another member's ("Anna Smith").
        self._owners = {w: frozenset(k) for w, k in owners.items()
                        if any(kind != "k" for kind, _ in k)}
        kept_cjk = {"".join(f) for f in cjk_kept.anywhere} | cjk_kept.titled
        self._contacts = {w: frozenset(k) for w, k in contacts.items()
                          if not any(kind == "k" for kind, _ in owners.get(w, ()))}
        self._cjk_owners: dict[str, frozenset[Key]] = {}
        for parts, keys in cjk_anywhere.items():
            joined = "".join(parts)
            if joined not in kept_cjk:
                self._cjk_owners[joined] = self._cjk_owners.get(joined, frozenset()) | keys
        self._cjk_titled = {w: frozenset(k) for w, k in cjk_titled.items()
                            if w not in kept_cjk}
        self._cjk = _cjk_pattern((f for f in cjk_anywhere if "".join(f) in self._cjk_owners),
                                 self._cjk_titled)
        terms = () if self.keep else terms  # the subject's own text is never changed
        phrases = {" ".join(fold(t).split()) for t in terms}
        phrases = {p for p in phrases if len(p) >= 2}
        # A term that is an everyday word ("Will", "May", "call") is hidden only where it
        # is written capitalised, as a name is: "will" and "may" stay verbs.
        capital = {p for p in phrases if p in EVERYDAY_WORDS}
        self._terms = _alternation(phrases - capital)
        self._capital_terms = _alternation(capital)
        # Words the reviewer said are no name in this export (`--keep`): never listed as
        # possible names, and a common-word name among them is replaced only after a
        # title or beside another word of the name ("Mrs Hope", "Hope Grant").
        self.not_names = frozenset(w for t in not_names for w in _words(t))
        self._heads = heads
        self._ends: set[str] | None = None  # `_phone_ends`, made when first needed
        self._known = (_KNOWN_CAPITALISED | {w for k in known for w in _words(k)}
                       | self.not_names)

    # ------------------------------------------------------------ public

    def fresh(self, *, review: bool) -> Redactor:
        """This redactor with a review of its own (empty), noting replacements when
        `review`: the matcher's tables, built once, are shared, and never changed after
        `__init__` (a copy's phone endings are made on the copy)."""
        twin = copy.copy(self)
        twin.review = Review()
        twin._reviewing = review
        return twin

    def text(self, value: str) -> str:
        """`value` with the hidden names and every listed contact detail replaced."""
        if not value:
            return value
        spans: list[tuple[int, int, str]] = []
        self._secrets(value, spans)
        folded, index = fold_map(value)

        def orig(i: int) -> int:
            if index is None:
                return i
            return index[i] if i < len(index) else len(value)

        if self._terms is not None:
            for m in self._terms.finditer(folded):
                spans.append((orig(m.start()), orig(m.end()), TERM))
        if self._capital_terms is not None:
            for m in self._capital_terms.finditer(folded):
                if value[orig(m.start())].isupper():
                    spans.append((orig(m.start()), orig(m.end()), TERM))
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(folded)]
        hits = self._name_hits(value, folded, orig, tokens)
        if self._cjk is not None and index is not None:
            for m in self._cjk.finditer(folded):
                if m.lastgroup == "a":
                    keys = self._cjk_owners[_CJK_SEP_CHARS.sub("", m.group())]
                else:
                    keys = self._cjk_titled[m.group()]
                hits.append(_Hit(orig(m.start()), orig(m.end()), keys, False))
            hits.sort(key=lambda h: h.start)
        left: list[_Hit] = []  # common-word names left as they are, for the review
        merged = self._merge(value, hits)
        starts = [(h.start, h.end) for h in merged]
        for hit in merged:
            if any(kind == "k" for kind, _ in hit.keys):
                continue
            if hit.common and (fold(value[hit.start:hit.end]) in self.not_names
                               and not _after_title(value, hit)
                               or not self._names_someone(value, hit, starts)):
                if fold(value[hit.start:hit.end]) in self.not_names:
                    continue  # accepted as no name: not listed again
                if value[hit.start:hit.start + 1].isupper():
                    left.append(hit)
                continue
            spans.append((hit.start, hit.end, self._alias(hit.keys)))
        out, applied = self._apply(value, spans)
        if self._reviewing:
            for hit in left:
                self._possible(value, hit.start, hit.end, "a member's name that is also a "
                               "common word, left as it is", out, applied)
            self._scan_possible(value, out, applied, folded, orig, spans, tokens)
        return out

    def hides(self, member_id: int | None) -> bool:
        return member_id is not None and member_id not in self.keep

    @property
    def _phone_ends(self) -> set[str]:
        """Every ending of seven digits or more of a hidden number ("the end of it")."""
        if self._ends is None:
            self._ends = {p[i:] for p in self._phones if len(p) >= 7
                          for i in range(len(p) - 6)}
        return self._ends

    # ------------------------------------------------------------ contact details

    def _secrets(self, value: str, spans: list[tuple[int, int, str]]) -> None:
        if "@" in value:
            for m in _EMAIL.finditer(value):
                if self.scrub_contacts:
                    spans.append((m.start(), m.end(), EMAIL_REMOVED))
                elif m.group().casefold() in self._emails:
                    spans.append((m.start(), m.end(), REMOVED))
        if self.scrub_contacts and "at" in value.casefold():
            for m in _OBFUSCATED_EMAIL.finditer(value):
                spans.append((m.start(), m.end(), EMAIL_REMOVED))
        if not _DIGITS.search(value):
            return
        if self._dobs:
            for start, end, days in _dates_in(value):
                if days & self._dobs:
                    spans.append((start, end, REMOVED))
        if self._phones:
            for m in _PHONE_RUN.finditer(value):
                digits = re.sub(r"\D", "", m.group())
                if digits in self._phones or (len(digits) >= 7 and (
                        digits in self._phone_ends or any(
                            digits[i:] in self._phones for i in range(len(digits) - 6)))):
                    spans.append((*_paren(value, m.start(), m.end()), REMOVED))
        if self.scrub_contacts and len(_DIGITS.findall(value)) >= 6:
            for pm in phonenumbers.PhoneNumberMatcher(
                    value, self._region, leniency=phonenumbers.Leniency.POSSIBLE):
                if (not _looks_like_date(pm.raw_string)
                        and len(_DIGITS.findall(pm.raw_string)) >= 5):  # not "in 1979"
                    spans.append((*_paren(value, pm.start, pm.end), PHONE_REMOVED))
            for m in _LONG_DIGITS.finditer(value):
                if not _looks_like_date(m.group()):
                    spans.append((*_paren(value, m.start(), m.end()), PHONE_REMOVED))
        if self.scrub_contacts:
            for m in _LOCAL_PHONE.finditer(value):
                spans.append((m.start(), m.end(), PHONE_REMOVED))

    # ------------------------------------------------------------ names

    def _lookup(self, word: str) -> tuple[int, int, frozenset[Key]] | None:
        """(chars cut at the front, at the back, owners) of a folded word, or None."""
        owners = self._owners.get(word)
        if owners is not None:
            return 0, 0, owners
        if word.endswith("'s") and word[:-2] in self._owners:
            return 0, 2, self._owners[word[:-2]]
        if (word.endswith("s") and len(word) >= 4 and word[:-1] in self._owners
                and word[:-1] not in COMMON_WORD_NAMES and word[0] < "\u0370"):
            return 0, 0, self._owners[word[:-1]]  # "the Lindqvists", "Zoës" (no apostrophe)
        if "'" in word and not "\u05d0" <= word[0] <= "\u05ea":
            if word.replace("'", "") in self._owners:
                return 0, 0, self._owners[word.replace("'", "")]
            head, _, suffix = word.rpartition("'")
            if len(suffix) <= _SUFFIX_MAX and (owners := self._name_form(head)):
                # a case ending written after an apostrophe: "Arturo'nun", "O'Brien'ın"
                return 0, len(suffix) + 1, owners
            elided, _, name = word.partition("'")
            if (len(elided) <= _ELIDED_MAX and elided.isalpha()
                    and (owners := self._name_form(name))):
                # an elided word before it: "l'Arturo", "d'Arturo", "dell'O'Brien"
                return len(elided) + 1, 0, owners
        first = word[0]
        if first in _HEBREW_PREFIXES:
            for cut in range(1, min(3, len(word) - 2) + 1):
                if word[cut - 1] not in _HEBREW_PREFIXES:
                    break
                if word[cut:] in self._owners:
                    return cut, 0, self._owners[word[cut:]]
        elif first in _ARABIC_PREFIXES:
            if word.startswith("لل") and "ال" + word[2:] in self._owners:
                return 1, 0, self._owners["ال" + word[2:]]
            for cut in range(1, min(2, len(word) - 2) + 1):
                if word[cut - 1] not in _ARABIC_PREFIXES:
                    break
                if word[cut:] in self._owners:
                    return cut, 0, self._owners[word[cut:]]
        return None

    def _name_form(self, word: str) -> frozenset[Key] | None:
        """The owners of `word` as written or without its apostrophes ("o'brien")."""
        return self._owners.get(word) or self._owners.get(word.replace("'", ""))

    def _contact_lookup(self, value: str, word: str, start: int
                        ) -> tuple[int, int, frozenset[Key]] | None:
        """A contact's name word, only where it is written capitalised ("Tom", not "tom")."""
        first = value[start:start + 1]
        if first.upper() != first.lower() and not first.isupper():
            return None  # a cased script: only the capitalised word is a name
        if word in self._contacts:
            return 0, 0, self._contacts[word]
        if word.endswith("'s") and word[:-2] in self._contacts:
            return 0, 2, self._contacts[word[:-2]]
        return None

    def _name_hits(self, value: str, folded: str, orig: _Orig,
                   tokens: list[tuple[int, int, str]]) -> list[_Hit]:
        """The hidden names among `tokens` (the folded text's words: start, end, word)."""
        hits = []
        contacts = self._contacts
        for t_start, t_end, token in tokens:
            found = self._lookup(token)
            if contacts:
                contact = self._contact_lookup(value, token, orig(t_start))
                if found is None:
                    found = contact
                elif contact is not None and contact[:2] == found[:2]:
                    # a member's name that is also someone's contact ("Bill" of member
                    # Rose Bill and of Will's wife Bill): it may be either
                    found = found[0], found[1], found[2] | contact[2]
            if found is None:
                continue
            front, back, keys = found
            word = token[front:len(token) - back]
            begin = t_start + front
            for head in self._heads.get(word, ()):
                at = begin - len(head) - 1
                if (at >= 0 and folded[at:begin] == head + " "
                        and (at == 0 or not folded[at - 1].isalnum())):
                    begin = at  # "O Brien" as one name
            hits.append(_Hit(orig(begin), orig(t_end - back), keys,
                             word in COMMON_WORD_NAMES, possessive=back > 0))
        return hits

    def _merge(self, value: str, hits: list[_Hit]) -> list[_Hit]:
        """Neighbouring words of one person's name ("Zoë Kaplan") as one hit."""
        merged: list[_Hit] = []
        for hit in hits:
            if merged:
                last = merged[-1]
                gap = value[last.end:hit.start]
                shared = last.keys & hit.keys
                if (shared and not last.possessive and fold(gap) in (" ", "-", "\u00a0")
                        and _continues(value, last, hit)):
                    merged[-1] = _Hit(last.start, hit.end, shared, False, hit.possessive)
                    continue
                if last.end > hit.start:
                    continue  # overlaps (a CJK name inside a matched word)
            merged.append(hit)
        return merged

    def _names_someone(self, value: str, hit: _Hit, names: Sequence[tuple[int, int]] = ()
                       ) -> bool:
        """Whether a common-word name ("Will", "Hope") names the person here."""
        word = value[hit.start:hit.end]
        if not word[:1].isupper():
            return False
        before = value[:hit.start]
        prev = _TOKEN.findall(fold(before[-12:]))
        prev_word = prev[-1] if prev else ""
        after = value[hit.end:hit.end + 20]
        nxt = _TOKEN.findall(fold(after))
        next_word = nxt[0] if nxt else ""
        if prev_word in _TITLES:
            return True
        lowered = fold(word)
        if lowered in _MONTH_WORDS and (
                prev_word in _MONTH_CONTEXT or prev_word.isdigit() or next_word.isdigit()):
            return False
        if next_word in _PLACE_WORDS:
            return False  # "Park Road", "Hill Street"
        if _sentence_start(before):
            # Only a verb a person does ("said", "cried"): "Hope was the theme",
            # "Hope and fear", "Will phone" are left for the review.
            return hit.possessive or next_word in _STRONG_PERSON_VERBS
        if hit.possessive or next_word in _STRONG_PERSON_VERBS:
            return True
        # Beside a capitalised word that is no one's name ("Amazing Grace", "Good Will",
        # "the Rose Bowl", "Faith, Hope and Charity") or in a title ("Finding Hope and
        # Joy"): a phrase, not the person; left for the review.
        return not (_in_phrase(value, hit, names, self._known)
                    or _in_title(value, hit, names))

    def _alias(self, keys: frozenset[Key]) -> str:
        members = {ident for kind, ident in keys if kind == "m"}
        if members:  # a member's own name that is also their contact's ("Turner")
            keys = frozenset(k for k in keys if k[0] != "c" or k[1] not in members)
        if len(keys) == 1:
            kind, ident = next(iter(keys))
            if kind == "m":
                return self.identities[ident].alias
            return CONTACT
        if all(kind == "c" for kind, _ in keys):
            return CONTACT
        if any(kind == "c" for kind, _ in keys):
            return NAME  # a member or someone's contact: never one of them by name
        return AMBIGUOUS

    # ------------------------------------------------------------ output and review

    def _apply(self, value: str, spans: list[tuple[int, int, str]]
               ) -> tuple[str, list[tuple[int, int, str]]]:
        """The text with `spans` replaced, and the spans applied (for `_out_position`).

        The review shows each replacement in the text as it will be printed, so its
        context never holds a name replaced elsewhere in the sentence.
        """
        if not spans:
            return value, []
        spans.sort(key=lambda s: (s[0], -s[1]))
        pieces: list[str] = []
        applied: list[tuple[int, int, str]] = []
        placed: list[tuple[int, int, str]] = []  # (position in the output, end, original)
        at = 0
        length = 0
        for start, end, replacement in spans:
            if start < at:
                continue  # inside a span already replaced
            if replacement.endswith(".") and value[end:end + 1] == ".":
                end += 1  # "... M.K." rather than "... M.K.." at the end of a sentence
            length += start - at
            pieces += [value[at:start], replacement]
            placed.append((length, length + len(replacement), value[start:end]))
            length += len(replacement)
            applied.append((start, end, replacement))
            at = end
        pieces.append(value[at:])
        out = "".join(pieces)
        if self._reviewing:
            for begin, stop, original in placed:
                self.review.replacements.append(Replacement(
                    _context_before(out, begin), original, out[begin:stop],
                    _context_after(out, stop)))
        return out, applied

    def _possible(self, value: str, start: int, end: int, reason: str,
                  out: str | None = None, applied: list[tuple[int, int, str]] | None = None
                  ) -> None:
        text, begin, stop = value, start, end
        if out is not None and applied is not None:
            text, begin = out, _out_position(applied, start)
            stop = begin + (end - start)
        self.review.possible.append(PossibleName(
            value[start:end], _context_before(text, begin), _context_after(text, stop),
            reason))

    def _scan_possible(self, value: str, out: str, applied: list[tuple[int, int, str]],
                       folded: str, orig: _Orig, spans: list[tuple[int, int, str]],
                       tokens: list[tuple[int, int, str]]) -> None:
        """Note the words left that may be names, for the review (`tokens`: the folded
        text's words, as `_name_hits` had them)."""
        taken = bytearray(len(value) + 1)  # 1 where a span already placed covers it
        for s, e, _ in spans:
            taken[s:e] = b"\x01" * (e - s)
        # where a word after a comma may begin: only such a lower-case word can name a
        # relative (`_after_relation`), and most words of a note are lower-case
        after_comma = {m.end() for m in _COMMA_GAP.finditer(folded)} if "," in folded else ()
        known, owners, contacts = self._known, self._owners, self._contacts
        for t_start, t_end, token in tokens:
            start, end = orig(t_start), orig(t_end)
            word = value[start:end]
            if (len(word) < 2 or token in known or token in owners
                    or token in contacts or taken[start]):
                continue
            if not word[0].isupper():
                if t_start in after_comma and _after_relation(folded, t_start, t_end):
                    self._possible(value, start, end, "a word naming a partner or relative",
                                   out, applied)
                continue
            if word.isupper() and (len(word) < 3 or token in _ACRONYMS
                                   or not _VOWELS.search(token)):
                continue
            if token.endswith("'s") and token[:-2] in known:
                continue
            if not _sentence_start(value[:start]):
                self._possible(value, start, end, "a capitalised word", out, applied)
                continue
            if (value[end:end + 1] == ":" and _line_start(value[:start])
                    and token not in _HEADINGS):
                self._possible(value, start, end, "a word heading a line", out, applied)
                continue
            nxt = _TOKEN.findall(folded[t_end:t_end + 20])
            if nxt and nxt[0] in _STRONG_PERSON_VERBS:
                self._possible(value, start, end, "a capitalised word before a verb of "
                               "speaking", out, applied)
            elif (nxt and not token.endswith("s") and token not in COMMON_WORD_NAMES
                  and (nxt[0] in _DOING_VERBS or (nxt[0].endswith("ed") and len(nxt[0]) > 4))):
                self._possible(value, start, end, "a capitalised word before a verb",
                               out, applied)


_COMMA_GAP = re.compile(r",\s*")
_PLACE_WORDS = _wordset("""road rd street st avenue ave lane ln drive close court way place
square gardens garden hill park crescent terrace row grove centre center hospital clinic
school station""")
_ACRONYMS = _wordset("""
cbt dbt act emdr ptsd adhd ocd phq gad suds aa na er icu ane gp nhs usa uk eu id ok tv
sms atm asap fyi rsvp bpd mdd ssri snri ect ivf hiv aids std sti ama dna
""")
_VOWELS = re.compile(r"[aeiouy]|[^\x00-\x7f]")
_HEADINGS = _wordset("""
notes note summary risk risks goal goals mood homework attendance topic topics theme themes
update updates action actions outcome outcomes present absent observation observations
comment comments plan plans focus agenda check-in check-out follow-up followup next review
concerns concern strengths progress intervention interventions response assessment
""")
_DOING_VERBS = _wordset("""
hit hits hurt hurts took takes got gets went goes made makes ran runs saw sees met meets
kept keeps threw throws broke breaks sent sends brought brings gave gives held holds
shouted shouts screamed yelled pushed grabbed threatened punched slapped kicked left
""")
_RELATIVES = _wordset("""
partner husband wife boyfriend girlfriend fiance fiancee spouse son daughter brother
sister mother father mum mom dad friend ex cousin aunt uncle
""")
_NOT_NAMES_AFTER_RELATIVE = _wordset("""
who whom whose and or but is was has had said says the a an her his their she he they it
that this which when where because also too then now again later still just very not
""")


# Everyday words: a term to hide that is one of these is hidden only where capitalised.
EVERYDAY_WORDS = (COMMON_WORD_NAMES | PERSON_VERBS | _DOING_VERBS | _PLACE_WORDS | _HEADINGS
                  | _RELATION_WORDS | _NOT_NAMES_AFTER_RELATIVE | _wordset("""
call phone ring text help come go see meet talk speak work live stay leave return start
stop try want need feel think know say tell ask give take make keep hold let put bring
can could would should shall must might may will do does did done be been being am are
were have has had get got go goes going new old good bad best better well more most less
day days week weeks month year time today tomorrow yesterday morning evening night
who what why how which where when whom whose if else than then so as at by in on of to
up down out off over under again once about after before between back home family
beginnings beginning ending endings members member risk session sessions group check
safety support hope care"""))


# After an apostrophe, at most this many letters are a case ending of the name before it
# (Turkish 'nun, 'ndan, 'yla; Finnish 'n); before one, at most this many an elided word
# (French l', d', qu'; Italian dell', nell').
_SUFFIX_MAX = 5
_ELIDED_MAX = 4
_WORD_COMMA = re.compile(r"([^\W\d_]+)\s*,\s*$")


def _after_relation(text: str, start: int, end: int) -> bool:
    """Whether the lower-case word `text[start:end]` stands where a relative's name would
    ("her partner, kevin, ..."): after a relation word and a comma, and followed by a
    comma or a verb. Only the text near the word is looked at, never copied whole: a note
    has hundreds of words."""
    before = start
    while before > 0 and text[before - 1].isspace():
        before -= 1
    if before == 0 or text[before - 1] != ",":
        return False
    prev = _WORD_COMMA.search(text[max(0, start - 48):start])
    if prev is None or prev.group(1) not in _RELATIVES:
        return False
    after = end
    while after < len(text) and text[after].isspace():
        after += 1
    if text[after:after + 1] == ",":
        return True
    nxt = _TOKEN.findall(text[end:end + 20])
    return bool(nxt and nxt[0] in _STRONG_PERSON_VERBS)


_WORD_AT = re.compile(r"[^\W\d_][\w'’\-]*")
_LIST_WORDS = frozenset({"and", "or", "&"})
_MINOR_WORDS = _wordset("""a an the and or nor but of in on at to for with from by as into
over so yet vs via""")
# Capitalised at the start of a sentence without making a phrase with the next word.
_OPENERS = _wordset("""when after before then today yesterday tomorrow later also but and
so if although though because while since until once now here there again still maybe
perhaps finally first next last meanwhile afterwards earlier tonight even only just
this week""")


def _alternation(phrases: set[str]) -> re.Pattern[str] | None:
    """One pattern for whole `phrases` (longest first), or None."""
    if not phrases:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(
        re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")(?!\w)")


def _after_title(value: str, hit: _Hit) -> bool:
    prev = _TOKEN.findall(fold(value[max(0, hit.start - 12):hit.start]))
    return bool(prev) and prev[-1] in _TITLES


def _words_around(value: str, hit: _Hit) -> tuple[list[re.Match[str]], int]:
    """The words of the line around `hit`, and the index of the hit's first word."""
    line_start = value.rfind("\n", 0, hit.start) + 1
    line_end = value.find("\n", hit.end)
    line_end = len(value) if line_end < 0 else line_end
    words = list(_WORD_AT.finditer(value, line_start, line_end))
    at = next((i for i, w in enumerate(words) if w.start() >= hit.start), len(words))
    return words, at


def _in_name(position: int, names: Sequence[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in names)


def _in_phrase(value: str, hit: _Hit, names: Sequence[tuple[int, int]],
               known: frozenset[str] | set[str]) -> bool:
    """Whether a capitalised word that is no one's name stands beside `hit`, directly
    ("Good Will") or in a list ("Faith, Hope and Charity")."""
    words, at = _words_around(value, hit)
    end = next((i for i in range(at, len(words)) if words[i].end() >= hit.end), at)

    def capital_neighbours(step: int, start: int) -> Iterable[tuple[re.Match[str], bool]]:
        i, listed = start + step, False
        while 0 <= i < len(words):
            w = words[i]
            if w.group() in _LIST_WORDS:
                listed, i = True, i + step
                continue
            a, b = (w.end(), words[i - step].start()) if step < 0 else (
                words[i - step].end(), w.start())
            gap = value[a:b]
            if gap.strip() not in ("", ",") or not w.group()[:1].isupper():
                return
            yield w, listed or "," in gap
            if not (listed or "," in gap):
                return  # only a list goes on past one word
            i += step

    for step, start in ((-1, at), (1, end)):
        for w, _listed in capital_neighbours(step, start):
            folded = fold(w.group())
            if (_in_name(w.start(), names) or folded in known
                    or any(c.isdigit() for c in folded)):
                continue  # a name, a known word, a label ("L2 Will will call")
            if ((folded in _OPENERS or folded in EVERYDAY_WORDS)
                    and _sentence_start(value[:w.start()])):
                continue  # "Then Grace came", "Call Will on Monday"
            return True
    return False


def _in_title(value: str, hit: _Hit, names: Sequence[tuple[int, int]]) -> bool:
    """Whether `hit` is in a line written as a title ("Finding Hope and Joy with Zoe"):
    three words or more besides the small ones, all capitalised, one of them no one's
    name, and no comma, colon or sentence inside."""
    words, _ = _words_around(value, hit)
    if not words:
        return False
    line_start = value.rfind("\n", 0, hit.start) + 1
    line_end = value.find("\n", hit.end)
    line = value[line_start:len(value) if line_end < 0 else line_end]
    if any(c in line for c in ",;:.!?"):
        return False  # a sentence ("Call Will on Monday."), not a title
    major = [w for w in words if fold(w.group()) not in _MINOR_WORDS]
    return (len(major) >= 3 and all(w.group()[:1].isupper() for w in major)
            and any(not _in_name(w.start(), names) for w in major))


def _continues(value: str, last: _Hit, hit: _Hit) -> bool:
    """Whether `hit` goes on the name `last` begins: in a script with case, a word after a
    capitalised name word is capitalised too ("Will Turner", not "Will will" or "May may");
    a name written all in lower case ("zoe kaplan") goes on in lower case, unless one of
    its words is also a common word ("will", "may")."""
    first, word = value[hit.start:hit.start + 1], value[last.start:last.start + 1]
    if first.upper() == first.lower():
        return True  # no case (Hebrew, Arabic, CJK)
    if first.isupper():
        return True
    return not word.isupper() and not (last.common or hit.common)


def _line_start(before: str) -> bool:
    return not before.strip(" \t") or before.rstrip(" \t").endswith("\n")


def _out_position(applied: list[tuple[int, int, str]], position: int) -> int:
    """Where `position` of the original text is in the text with `applied` replaced."""
    shift = 0
    for start, end, replacement in applied:
        if end > position:
            break
        shift += len(replacement) - (end - start)
    return position + shift


def _paren(value: str, start: int, end: int) -> tuple[int, int]:
    """A number's span with the "(" of its area code when the ")" is inside it, so
    "(206) 555-0101" leaves no stray "("."""
    text = value[start:end]
    if ")" in text and "(" not in text.split(")")[0] and value[:start].rstrip().endswith("("):
        start = value.rindex("(", 0, start)
    return start, end


def _looks_like_date(raw: str) -> bool:
    return bool(re.fullmatch(r"\s*\d{1,4}[./\-]\d{1,2}[./\-]\d{2,4}\s*", raw))


def _sentence_start(before: str) -> bool:
    """Whether a word after `before` starts a sentence, a list item or a clause set off
    by ")", a dash or a colon ("1) Will phone", "Safety plan — Will phone")."""
    stripped = before.rstrip(" \t\"'“‘«(*•\u00a0")
    if not stripped or before.endswith("\n"):
        return True
    if stripped[-1] == "." and _TITLE_DOT.search(stripped[:-1]):
        return False  # "Dr. Levi": a title's full stop ends no sentence
    if stripped[-1] in ".!?:\n)–—":  # not ";": "; Grace may join" goes on the sentence
        return True
    return stripped[-1] == "-" and (len(stripped) == 1 or stripped[-2].isspace()
                                    or stripped[-2] == "\n")


def _context_before(value: str, start: int) -> str:
    return " ".join(value[max(0, start - 40):start].split()[-6:])


def _context_after(value: str, end: int) -> str:
    return " ".join(value[end:end + 40].split()[:6])


class NoRedaction(Redactor):
    """Text passes unchanged (an ordinary, identified report)."""

    def __init__(self) -> None:
        super().__init__((), scrub_contacts=False, review=False)

    def text(self, value: str) -> str:
        return value

    def hides(self, member_id: int | None) -> bool:
        return False
