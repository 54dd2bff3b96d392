"""A member's name on the sign-in sheet: the given (or preferred) name and one initial.

The sheet is handed round the room, so it never shows more of a family name than its
initial, however the name was typed: "Kowalczyk, Ewa" (family name, comma, given name),
"Nguyễn Văn An" and "Tanabe Hiroko" (family name first), "Dr Maria Kowalski" (a title),
"Maria Kowalski (Mia)" (a preferred name in brackets). Two members who would print the
same are told apart by a middle name's initial, else by a number; never by more letters
of the family name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

TITLES = frozenset({
    "dr", "mr", "mrs", "ms", "mx", "miss", "prof", "professor", "rev", "sir", "dame",
    "herr", "frau", "fr", "sra", "srta", "mme", "mlle", "dott", "ing",
})
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"})

# Family names that, at the start of a name, mean it is written family name first: the
# commonest Vietnamese ones (the given name is then the last word), common Chinese and
# Japanese ones; names that are also common given names elsewhere (Mai, Abe, Kim, Lin)
# are left out, since a wrong guess would print a whole family name. A name in Chinese,
# Japanese or Korean script is taken as family name first too.


def _word_set(words: str) -> frozenset[str]:
    return frozenset(unicodedata.normalize("NFC", w).casefold() for w in words.split())


FAMILY_FIRST = _word_set(
    "Nguyễn Nguyen Trần Tran Lê Phạm Pham Hoàng Hoang Huỳnh Huynh Phan Vũ Võ Đặng Dang "
    "Bùi Bui Đỗ Hồ Ngô Dương Duong Lý Đinh Dinh Trịnh Trinh Đào Lương Luong "
    "Wang Zhang Liu Chen Yang Huang Zhao Zhou Xu Sun Zhu Guo Gao Luo Zheng Liang Xie "
    "Tang Feng Deng "
    "Sato Satō Suzuki Takahashi Tanaka Watanabe Ito Itō Yamamoto Nakamura Kobayashi Kato "
    "Katō Yoshida Yamada Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu "
    "Yamazaki Ikeda Hashimoto Yamashita Ishikawa Nakajima Maeda Fujita Ogawa "
    "Goto Gotō Okada Hasegawa Murakami Kondo Kondō Ishii Saito Saitō Sakamoto Endo Endō "
    "Aoki Fujii Nishimura Fukuda Ota Ōta Miura Fujiwara Okamoto Matsuda Nakagawa Tanabe "
    "Harada Takeda Sakai Kudo Kudō Yokoyama Miyazaki Uchida Takagi Ando Andō "
    "Shimada Taniguchi Ohno Takano Maruyama Imai Kojima Kubo Matsui Chiba Iwasaki Sakurai "
    "Noguchi Matsuo Kikuchi Nomura Arai Watanabe Sugiyama Ueda Morita Hirano Sugawara "
    "Takada Kaneko Nakano Kawaguchi")


@dataclass(frozen=True)
class NameParts:
    """A name taken apart: the given name printed, the middle names, the family name."""

    given: str
    middle: tuple[str, ...]
    family: str


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"\s+", unicodedata.normalize("NFC", name).strip()) if w]


def _bare(word: str) -> str:
    return word.strip(".,").casefold()


def _cjk(word: str) -> bool:
    return any(unicodedata.name(c, "").startswith(("CJK UNIFIED", "HIRAGANA", "KATAKANA",
                                                     "HANGUL")) for c in word)


def _initial(word: str) -> str:
    """The first letter of `word` (skipping an apostrophe or the like), upper case."""
    letter = next((c for c in word if c.isalpha()), "")
    return letter.upper()


def name_parts(full_name: str, preferred_name: str = "") -> NameParts:
    """The given name, middle names and family name of `full_name` as typed."""
    full = unicodedata.normalize("NFC", full_name)
    bracketed = re.findall(r"\(([^)]*)\)", full)
    full = re.sub(r"\([^)]*\)", " ", full)
    preferred = _words(preferred_name or (bracketed[0] if bracketed else ""))
    if "," in full:
        family_part, _, given_part = full.partition(",")
        family_words = [w for w in _words(family_part) if _bare(w) not in TITLES]
        given_words = [w for w in _words(given_part)
                       if _bare(w) not in TITLES and _bare(w) not in SUFFIXES]
        if family_words and given_words:
            return _with_preferred(NameParts(given_words[0], tuple(given_words[1:]),
                                             family_words[-1]), preferred)
        full = family_part + " " + given_part
    words = [w for w in _words(full) if _bare(w) not in SUFFIXES]
    while len(words) > 1 and _bare(words[0]) in TITLES:
        words = words[1:]
    if not words:
        return NameParts(preferred[0] if preferred else "", (), "")
    if len(words) == 1 and _cjk(words[0]) and len(words[0]) >= 2:
        # "王小明", "김지수": written without a space, family name first, one character
        # (a Korean syllable) long in the great majority of names
        word = words[0]
        return _with_preferred(NameParts(word[1:], (), word[0]), preferred)
    if len(words) == 1:
        return _with_preferred(NameParts(words[0], (), ""), preferred)
    if _bare(words[0]) in FAMILY_FIRST or all(_cjk(w) for w in words):
        parts = NameParts(words[-1], tuple(words[1:-1]), words[0])
    else:
        parts = NameParts(words[0], tuple(words[1:-1]), words[-1])
    return _with_preferred(parts, preferred)


def _with_preferred(parts: NameParts, preferred: list[str]) -> NameParts:
    """The preferred name's first word as the given name, unless it is the family name
    (someone called by their family name still prints their given name)."""
    if preferred and _bare(preferred[0]) != _bare(parts.family):
        return NameParts(preferred[0], parts.middle, parts.family)
    return parts


def signin_name(full_name: str, preferred_name: str = "", middle: bool = False) -> str:
    """"Maria K.": the given (or preferred) name and the family name's initial only;
    with `middle`, the middle names' initials too ("Anna M. K.")."""
    parts = name_parts(full_name, preferred_name)
    if not parts.family:
        return parts.given
    shown = [parts.given]
    if middle:
        shown += [f"{_initial(w)}." for w in parts.middle if _initial(w)]
    initial = _initial(parts.family)
    if initial and not _cjk(parts.family):  # a CJK family name's "initial" is the whole
        shown.append(f"{initial}.")  # name (王, 김): the sheet gives the given name only
    return " ".join(shown)


def distinct_names(people: list[tuple[str, str]]) -> list[str]:
    """Sign-in names for (full name, preferred name) pairs, in the same order. Two that
    would print the same get their middle initials; any still the same are numbered
    ("Anna K. (1)", "Anna K. (2)") in the order of their full names."""
    names = [signin_name(f, p) for f, p in people]

    def clashes() -> list[list[int]]:
        seen: dict[str, list[int]] = {}
        for i, name in enumerate(names):
            seen.setdefault(name.casefold(), []).append(i)
        return [group for group in seen.values() if len(group) > 1]

    for group in clashes():
        for i in group:
            names[i] = signin_name(*people[i], middle=True)
    for group in clashes():
        ordered = sorted(group, key=lambda i: (unicodedata.normalize("NFC", people[i][0]),
                                                people[i][1], i))
        for number, i in enumerate(ordered, start=1):
            names[i] = f"{names[i]} ({number})"
    return names
