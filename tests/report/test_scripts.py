"""Every script on paper: Arabic joined, right-to-left lines in reading order, CJK and emoji
in the text layer, and a character no font has listed before the file is written."""

from __future__ import annotations

import io
import unicodedata

from pypdf import PdfReader
from reportlab.lib.enums import TA_RIGHT

from groupleader.report import bidi
from groupleader.report.fonts import CJK, SYMBOLS, collect_unprintable, runs, unprintable
from groupleader.report.pdf_output import PdfMeta, build_pdf
from groupleader.report.scripts import ScriptParagraph
from groupleader.report.styles import para
from tests.report.pdfcheck import NEEDS_PDFTOTEXT, all_text, flat

ARABIC = ("تحدثت فاطمة اليوم عن خوفها من التغيير وعن ما حدث في الأسبوع الماضي في البيت "
          "وقالت إنها تشعر بالوحدة أحيانا لكنها تثق بالمجموعة أكثر من قبل")
HEBREW = ("דנה סיפרה היום על הפחד שלה מהשינוי ועל מה שקרה בשבוע שעבר בבית ואמרה "
          "שהיא מרגישה לפעמים בודדה אבל סומכת על הקבוצה יותר מבעבר")
MELTING = "\U0001fae0"  # a newer emoji no embedded font has


def pdf_of(*texts: str) -> bytes:
    return build_pdf([para(t) for t in texts], PdfMeta(title="t", subject="s"))


def font_names(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    return {str(f.get_object()["/BaseFont"]).split("+")[-1]
            for page in reader.pages for f in page["/Resources"]["/Font"].values()}


def test_arabic_letters_are_joined_by_harfbuzz() -> None:
    p = para("فاطمة الزهراء")
    p.wrap(400, 100)
    drawn = "".join(str(f.text) for line in p.blPara.lines for f in line.words)
    # joined letters are the contextual (initial, medial, final) forms, not the letters typed
    forms = [unicodedata.name(c) for c in drawn if "\ufe70" <= c <= "\ufeff"]
    assert any("INITIAL" in n for n in forms) and any("FINAL" in n for n in forms)
    assert any("MEDIAL" in n for n in forms)


def test_a_wrapped_arabic_paragraph_reads_back_in_logical_order_line_by_line() -> None:
    text = all_text(pdf_of(ARABIC * 1, ARABIC + " " + ARABIC))
    lines = [line.strip() for line in text.splitlines() if bidi.has_rtl(line)]
    assert len(lines) >= 3  # it wrapped
    assert ARABIC in flat(text)
    assert flat(" ".join(lines)).startswith(ARABIC + " " + ARABIC)


def test_a_wrapped_hebrew_paragraph_keeps_its_line_order_and_reads_right_to_left() -> None:
    long = " ".join([HEBREW] * 3)
    p = para(long)
    assert isinstance(p, ScriptParagraph) and p.style.alignment == TA_RIGHT
    text = all_text(pdf_of(long))
    lines = [line.strip() for line in text.splitlines() if bidi.has_rtl(line)]
    assert len(lines) >= 3
    assert flat(" ".join(lines)) == flat(long)  # line 1 first: the lines are in reading order


def test_a_hebrew_name_in_an_english_sentence_keeps_the_sentence_order() -> None:
    text = flat(all_text(pdf_of("Dana said שלום and left.")))
    assert text.index("Dana said") < text.index("שלום") < text.index("left.")


def test_the_paragraph_direction_is_its_first_strong_character() -> None:
    assert bidi.base_direction("«שלום» said Dana") == "RTL"
    assert bidi.base_direction("123 Dana said שלום") == "LTR"
    assert bidi.visual("שלום (עולם) 12") == "12 (םלוע) םולש"  # brackets mirrored


def test_cjk_and_emoji_are_in_the_text_layer_and_drawn_by_a_fallback_face() -> None:
    line = "王小明说：今天很好。한국어 日本語のテキスト 😀 \U0001f9d1 \U0001f468"
    data = pdf_of(line)
    assert flat(line) in flat(all_text(data))
    assert {"DroidSansFallback", "Symbola"} <= font_names(data)
    faces = {face for face, _piece in runs(line)}
    assert {CJK, SYMBOLS} <= faces


def test_the_cjk_face_is_embedded_only_when_the_text_needs_it() -> None:
    used = font_names(pdf_of("Plain text, Ελληνικά, Русский, עברית, العربية"))
    assert used == {"DejaVuSans", "DejaVuSans-Bold"}  # bold: the footer


def test_a_character_no_font_has_is_listed_and_kept_in_the_text_layer() -> None:
    assert unprintable([f"ok {MELTING} 😀 王"]) == [MELTING]
    with collect_unprintable() as found:
        data = pdf_of(f"She felt {MELTING} today")
    assert found == [MELTING]
    assert f"She felt {MELTING} today" in all_text(data)


BRACKETED = ["שרה דיברה עם Rafa (he/him) היום.",
             "שרה (בת 34) אמרה: \"אני מפחדת\" [ראו סעיף 3.2] — Rafa (he/him) ענה.",
             "שרה אמרה (בשקט) שלום.", "נוטלת 20 מ\"ג פעמיים ביום"]


def test_a_right_to_left_line_is_ordered_as_python_bidi_orders_it() -> None:
    """Brackets pair up (UAX #9 rule N0): "(he/him)" inside a Latin run stays intact.
    (python-bidi's display string leaves right-to-left brackets unmirrored; ours mirrors
    them, rule L4, so the order is compared.)"""
    from bidi import get_display

    for text in BRACKETED:
        order = bidi.visual_order(text, "RTL")
        assert "".join(text[i] for i in order) == get_display(text, base_dir="R")
    assert bidi.log2vis("שרה (בת 34)", "RTL") == "(34 תב) הרש"


@NEEDS_PDFTOTEXT
def test_brackets_in_a_latin_run_of_a_hebrew_paragraph_print_intact(tmp_path) -> None:
    import subprocess

    path = tmp_path / "p.pdf"
    path.write_bytes(pdf_of(BRACKETED[0]))
    words = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                           text=True, check=True).stdout
    shown = [w.split(">", 1)[1] for w in words.split("</word>") if "<word" in w]
    assert "(he/him)" in shown and "(Rafa" not in shown and "(he/him" not in shown
    at = shown.index("Rafa")
    assert shown[at + 1] == "(he/him)"  # left to right on paper, as python-bidi shows it


def _lines(data: bytes) -> list[str]:
    """The extracted lines of page 1 that hold right-to-left text, as read back."""
    return [line.strip() for line in all_text(data).splitlines() if bidi.has_rtl(line)]


MIXED = ["המפגש ה-12 עם Dana ב-2026",
         "אָמַר שלום 345 ו-Rafa (he/him) היום.",
         "נוטלת 20 מ\"ג פעמיים ביום, מאז 3.2.2026",
         "שרה (בת 34) אמרה: [ראו סעיף 3.2] «לא עכשיו»",
         "في عام 2026 قال Dana مرحبا (٣ مرات)"]
HARAKAT = "قالَ مُحَمَّدٌ: السَّلامُ عَلَيْكُم يا فاطِمَةُ"


def test_a_line_mixing_right_to_left_words_numbers_and_latin_reads_back_in_logical_order(
        ) -> None:
    """pypdf reads the drawn runs in drawing order; each line is drawn in reading order, so
    the text comes back exactly as typed (numbers, Latin words and brackets in place)."""
    assert _lines(pdf_of(*MIXED)) == MIXED


def test_arabic_with_harakat_reads_back_letter_and_mark_in_logical_order() -> None:
    data = pdf_of(HARAKAT)
    assert _lines(data) == [HARAKAT]
    # joined: the glyphs drawn are the contextual forms (or ligatures), not the letters typed
    assert "ﻗ" not in HARAKAT and font_names(data) == {"DejaVuSans", "DejaVuSans-Bold"}


HARAKAT_ON_UNJOINED = "لَا لِأَنَّ الْأُسْبُوعَ إِلَى"


def test_marks_on_letters_drawn_unjoined_read_back_after_their_letter() -> None:
    """HarfBuzz puts a mark in its letter's cluster when the letter does not join on (the
    alef of "لِأَنَّ", "الْأُسْبُوعَ", "إِلَى"), mark first, as drawn right to left; it
    still reads back after its letter, and no word falls apart."""
    assert _lines(pdf_of(HARAKAT_ON_UNJOINED)) == [HARAKAT_ON_UNJOINED]
    for word in [*HARAKAT_ON_UNJOINED.split(), "إِ"]:  # "إِ": a word of one cluster
        assert _lines(pdf_of(word)) == [word]


def test_a_wrapped_mixed_right_to_left_paragraph_reads_back_line_by_line_in_order() -> None:
    long = " ".join(MIXED[:4] * 3)
    lines = _lines(pdf_of(long))
    assert len(lines) >= 4  # it wrapped
    assert " ".join(lines) == long  # line 1 first, each line in reading order


@NEEDS_PDFTOTEXT
def test_the_raw_drawing_order_is_the_reading_order(tmp_path) -> None:
    """`pdftotext -raw` keeps the order the text was drawn in: each word comes in reading
    order (one drawn segment per line)."""
    import subprocess

    path = tmp_path / "p.pdf"
    path.write_bytes(pdf_of(MIXED[0]))
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    drawn = "".join(ch for ch in raw if ch not in "\u202a\u202b\u202c")
    assert "".join(MIXED[0].split()) in "".join(drawn.split())


@NEEDS_PDFTOTEXT
def test_right_to_left_lines_still_show_their_runs_in_display_order(tmp_path) -> None:
    """On paper the line reads right to left: "2026" is leftmost, then "ב", "Dana", "עם",
    "12", and "המפגש" rightmost (positions from poppler)."""
    import re
    import subprocess

    path = tmp_path / "p.pdf"
    path.write_bytes(pdf_of(MIXED[0]))
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    words = [(float(v), w) for v, w in re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>',
                                                   out)]

    def x(part: str) -> float:  # poppler gives each word's characters left to right
        return min(v for v, w in words if part in w)

    assert x("2026") < x("ב") < x("Dana") < x("םע") < x("12") < x("שגפמה")


def test_a_label_of_several_lines_in_right_to_left_scripts_prints_only_its_words() -> None:
    """Lines joined with <br/> (the seating diagram's labels): a line break adds nothing
    to the page or the text layer."""
    from groupleader.report.scripts import font_markup, paragraph
    from groupleader.report.styles import styles

    lines = ["فاطمة الزهراء بنت عبد", "الرحمن", "שרה לוי", "Rafael 😀"]
    data = build_pdf([paragraph("<br/>".join(font_markup(line) for line in lines),
                                styles()["cell"])], PdfMeta(title="t", subject="s"))
    text = all_text(data)
    assert "None" not in text
    for line in lines:
        assert line in text, line


@NEEDS_PDFTOTEXT
def test_a_number_glued_to_an_arabic_word_shows_left_to_right(tmp_path) -> None:
    """HarfBuzz shapes "ب-2026" as one right-to-left run; on paper the number still reads
    2026 (poppler lists a word's characters left to right as they stand), and the text
    layer reads as typed."""
    import subprocess

    line = "في عام ب-2026 قال"
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf_of(line))
    assert _lines(path.read_bytes()) == [line]
    words = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert ">2026" in words and "6202" not in words


LIGATURES = "".join(chr(c) for c in range(0xFB00, 0xFB07))  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ


def test_latin_words_beside_arabic_print_without_historic_or_latin_ligatures() -> None:
    """A paragraph with Arabic is shaped by HarfBuzz; its Latin words must print as in
    any other paragraph ("Trust", not "Truﬆ"), and read back so a search finds them."""
    text = "Trust costs still first office Lindqvist — مرحبا بالجميع لا"
    p = para(text)
    p.wrap(480, 100)
    drawn = "".join(getattr(w, "text", "") for line in p.blPara.lines for w in line.words)
    assert not set(drawn) & set(LIGATURES), drawn
    assert "\ufefb" in drawn  # lam-alef, a required ligature, still forms
    layer = all_text(pdf_of(text))
    assert not set(layer) & set(LIGATURES)
    assert "Lindqvist" in layer and "Trust costs still first office" in layer


def test_two_characters_no_font_has_keep_each_its_own_code_point_in_the_text_layer() -> None:
    """U+06D4 and U+06C1 are both drawn as the .notdef box; each must read back as
    itself (the HEH GOAL read back as the full stop: "ٹھیک ۔وں۔")."""
    text = "میں ٹھیک ہوں۔"
    assert {"\u06c1", "\u06d4"} <= set(unprintable([text]))
    assert text in all_text(pdf_of(text))


def test_a_lam_alef_with_a_mark_on_the_lam_reads_back_in_logical_order() -> None:
    """"لَا" is one ligature glyph and a fatha glyph: it read back "َلا"."""
    layer = flat(all_text(pdf_of("قال لَا يا صديقي")))
    assert "لَا" in layer and "َلا" not in layer
