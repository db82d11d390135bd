"""TCVN3, VNI and Windows-1258 to Unicode: the tables, detection by characters, font names, round trips."""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from procreg.parsers.legacy import Encoding, decode, decode_8bit, decode_cp1258, encode, font_encoding
from procreg.parsers.legacy.detect import Segment, judge, looks_unconverted
from procreg.parsers.legacy.syllables import is_syllable
from procreg.parsers.read import read_document

TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # none, huyền, sắc, hỏi, ngã, nặng
VOWELS = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")


def every_letter() -> list[str]:
    """Every Vietnamese letter: 12 vowels x 6 tones and đ, lower and upper case (146 letters)."""
    lower = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES] + ["đ"]
    return lower + [c.upper() for c in lower]


LETTERS = every_letter()


def roundtrip(text: str, encoding: Encoding) -> str:
    return "".join(decode(piece, kind) if kind else piece for piece, kind in encode(text, encoding))


def test_every_letter_is_counted() -> None:
    assert len(LETTERS) == 146 == len(set(LETTERS))
    assert all(unicodedata.is_normalized("NFC", c) and len(c) == 1 for c in LETTERS)


@pytest.mark.parametrize("encoding", [Encoding.TCVN3, Encoding.VNI])
def test_every_letter_round_trips(encoding: Encoding) -> None:
    for letter in LETTERS:
        runs = encode(letter, encoding)
        assert all(kind is not None for _, kind in runs), (letter, runs)  # every letter is encodable
        assert roundtrip(letter, encoding) == letter


@pytest.mark.parametrize("encoding", [Encoding.TCVN3, Encoding.VNI])
@given(st.lists(st.sampled_from([*LETTERS, " ", "-", ".", "1", "b", "Q", "ng", "tr", "\n"]), max_size=60))
def test_unicode_to_legacy_to_unicode_is_the_identity(encoding: Encoding, parts: list[str]) -> None:
    text = "".join(parts)
    assert roundtrip(text, encoding) == unicodedata.normalize("NFC", text)


@given(st.text(alphabet=st.sampled_from([*LETTERS, " ", ",", "0"]), max_size=40))
def test_decomposed_input_round_trips_to_nfc(text: str) -> None:
    decomposed = unicodedata.normalize("NFD", text)
    for encoding in (Encoding.TCVN3, Encoding.VNI):
        out = roundtrip(decomposed, encoding)
        assert out == unicodedata.normalize("NFC", text)
        assert unicodedata.is_normalized("NFC", out)


def _cp1258_bytes(ch: str) -> bytes:
    """A letter as Windows-1258 writes it: precomposed when the code page has it, else base + tone mark."""
    try:
        return ch.encode("cp1258")
    except UnicodeEncodeError:
        nfd = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in nfd if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES))
        return base.encode("cp1258") + tone.encode("cp1258")


def test_windows_1258_with_separate_tone_marks_comes_out_nfc() -> None:
    data = b" ".join(_cp1258_bytes(c) for c in LETTERS)
    assert b"\xec" in data and b"\xf2" in data and b"\xd2" in data and b"\xde" in data and b"\xcc" in data
    text = decode_cp1258(data)
    assert unicodedata.is_normalized("NFC", text)
    assert text.split(" ") == LETTERS


@given(st.lists(st.sampled_from(LETTERS), min_size=1, max_size=30))
def test_windows_1258_property(letters: list[str]) -> None:
    assert decode_cp1258(b"".join(_cp1258_bytes(c) for c in letters)) == "".join(letters)


def test_known_words() -> None:
    # Words from real legacy files, and a PDF producer's stand-ins (U+2212 for ư, U+2219 for ã).
    assert decode("QuyÕt ®Þnh cña Thñ t−íng", Encoding.TCVN3) == "Quyết định của Thủ tướng"
    assert decode("Gi¸ trÞ s¶n xuÊt c«ng nghiÖp t¨ng", Encoding.TCVN3) == "Giá trị sản xuất công nghiệp tăng"
    assert decode("x\u2219 héi", Encoding.TCVN3) == "xã hội"
    assert decode("CéNG HOµ X· HéI", Encoding.TCVN3_CAPS) == "CỘNG HOÀ XÃ HỘI"
    assert decode("Quyeát ñònh cuûa Thuû töôùng", Encoding.VNI) == "Quyết định của Thủ tướng"
    assert (
        decode("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", Encoding.VNI)
        == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    )
    assert decode("Aùp duïng", Encoding.VNI) == "Áp dụng"  # a mark in the other case than its letter
    # A symbol font's private-use characters are its bytes.
    assert decode("Quy\uf0d5t", Encoding.TCVN3) == "Quyết"


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        (".VnTime", Encoding.TCVN3),
        (".VnTimeH", Encoding.TCVN3_CAPS),
        ("VnTime", Encoding.TCVN3),
        ("VnTimeH", Encoding.TCVN3_CAPS),
        (".VnArial NarrowH", Encoding.TCVN3_CAPS),
        (".VnCentury Schoolbook", Encoding.TCVN3),
        ("ABCDEF+.VnTime,Bold", Encoding.TCVN3),
        ("MPDFAA+VnTimeH-BoldItalic", Encoding.TCVN3_CAPS),
        ("vntimeh", Encoding.TCVN3_CAPS),
        ("VNI-Times", Encoding.VNI),
        ("VNI-Helve", Encoding.VNI),
        ("VNI-Top", Encoding.VNI),
        ("VNI Times", Encoding.VNI),
        ("QWERTY+VNI-Helve-Condense,Bold", Encoding.VNI),
        ("Times New Roman", None),
        ("Verdana", None),
        ("DejaVuSans", None),
        ("", None),
        (None, None),
    ],
)
def test_font_names(name: str | None, encoding: Encoding | None) -> None:
    assert font_encoding(name) is encoding


def test_syllables() -> None:
    for word in (
        "Quyết",
        "định",
        "nghiêng",
        "người",
        "khuya",
        "quốc",
        "Nguyễn",
        "giữa",
        "thuở",
        "ĐẠI",
        "xoong",
    ):
        assert is_syllable(word), word
    for word in ("QuyÕt", "®Þnh", "Quyeát", "ñònh", "cña", "t−íng", "hàt", "quyêt", "NĐ", "chynh"):
        assert not is_syllable(word), word


def segment(text: str, encoding: Encoding | None) -> Segment:
    return Segment(list(text), encoding)


def test_a_font_name_alone_decides_nothing() -> None:
    unicode_in_vntime = segment("Quyết định của Thủ tướng Chính phủ", Encoding.TCVN3)
    legacy_in_vntime = segment("QuyÕt ®Þnh cña Thñ t−íng ChÝnh phñ", Encoding.TCVN3)
    unicode_in_vni = segment("Cộng hòa xã hội chủ nghĩa Việt Nam", Encoding.VNI)
    legacy_in_vni = segment("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", Encoding.VNI)
    assert judge(
        [unicode_in_vntime, legacy_in_vntime, unicode_in_vni, legacy_in_vni], by_characters=False
    ) == [
        None,
        Encoding.TCVN3,
        None,
        Encoding.VNI,
    ]


def test_unsure_segments_follow_their_font_family() -> None:
    legacy = segment("QuyÕt ®Þnh cña Thñ t−íng ChÝnh phñ", Encoding.TCVN3)
    lone = segment("có", Encoding.TCVN3)  # a syllable both ways: "có" in Unicode, "cú" in TCVN3
    capitals = segment("UBND", Encoding.TCVN3_CAPS)
    assert judge([legacy, lone, capitals], by_characters=False) == [
        Encoding.TCVN3,
        Encoding.TCVN3,
        Encoding.TCVN3_CAPS,
    ]
    modern = segment("Quyết định của Thủ tướng Chính phủ", Encoding.TCVN3)
    assert judge([modern, segment("có", Encoding.TCVN3)], by_characters=False) == [None, None]


def test_unsure_segments_follow_their_neighbours() -> None:
    # A modern file in .VnTime with one old paragraph pasted in: a lone "có" is read like the text around it.
    segments = [
        segment("Quyết định của Thủ tướng Chính phủ", Encoding.TCVN3),
        segment("có", Encoding.TCVN3),
        segment("hiệu lực từ ngày ký", Encoding.TCVN3),
        segment("QuyÕt ®Þnh cña Thñ t−íng ChÝnh phñ", Encoding.TCVN3),
        segment("có", Encoding.TCVN3),
        segment("hiÖu lùc tõ ngµy ký ban hµnh", Encoding.TCVN3),
    ]
    tcvn3 = Encoding.TCVN3
    assert judge(segments, by_characters=False) == [None, None, None, tcvn3, tcvn3, tcvn3]


def test_by_characters_needs_strong_evidence() -> None:
    mojibake = [segment("QuyÕt ®Þnh cña Thñ t−íng ChÝnh phñ vÒ viÖc ban hµnh", None)]
    assert judge(mojibake, by_characters=True) == [Encoding.TCVN3]
    assert judge(mojibake, by_characters=False) == [None]
    vni = [segment("Quyeát ñònh cuûa Thuû töôùng Chính phuû veà vieäc ban haønh", None)]
    assert judge(vni, by_characters=True) == [Encoding.VNI]
    # A stray Latin-1 word in Unicode text, French names, a single odd word: left alone.
    for text in ("Café Hà Nội; résumé", "Renée Dupont, Genève, Zürich", "QuyÕt"):
        assert judge([segment(text, None)], by_characters=True) == [None], text


def test_looks_unconverted() -> None:
    assert looks_unconverted("QuyÕt ®Þnh cña Thñ t−íng ChÝnh phñ vÒ viÖc ban hµnh quy chÕ lµm viÖc. " * 3)
    assert looks_unconverted("Quyeát ñònh cuûa Thuû töôùng Chính phuû veà vieäc ban haønh quy cheá. " * 3)
    assert not looks_unconverted("Quyết định của Thủ tướng Chính phủ về việc ban hành quy chế. " * 5)
    assert not looks_unconverted("Renée Dupont, Genève, Zürich, Müller, Ångström. " * 3)


def test_8bit_files_are_read_by_statistics(tmp_path: Path) -> None:
    text = "Quyết định của Thủ tướng Chính phủ về việc ban hành quy chế làm việc của Ủy ban nhân dân tỉnh."
    tcvn3 = "".join(piece for piece, _ in encode(text, Encoding.TCVN3)).encode("latin-1")
    vni = "".join(piece for piece, _ in encode(text, Encoding.VNI)).encode("cp1252")
    cp1258 = b"".join(_cp1258_bytes(c) if not c.isascii() else c.encode() for c in text)
    found = {data: decode_8bit(data) for data in (tcvn3, vni, cp1258)}
    assert found[tcvn3] is not None and found[tcvn3][1] == "TCVN3"
    assert found[vni] is not None and found[vni][1] == "VNI"
    assert found[cp1258] == (text, "Windows-1258")
    # TCVN3 has no capitals with a tone: "Ủy" comes back in lower case from a plain 8-bit file.
    assert found[tcvn3][0] == text.replace("Ủy", "ủy")
    assert found[vni][0] == text
    assert decode_8bit("Grüße aus Köln, schöne Straße".encode("latin-1")) is None
    path = tmp_path / "vni.txt"
    path.write_bytes(
        "".join(p for p, _ in encode(("Điều 1. " + text + "\n") * 3, Encoding.VNI)).encode("cp1252")
    )
    raw = read_document(path)
    assert raw.warnings == ("not UTF-8: read as 8-bit Vietnamese in VNI",)
    assert raw.blocks[0].text.startswith("Điều 1. Quyết định của Thủ tướng")  # type: ignore[union-attr]


def test_txt_lines_converted_only_where_legacy(tmp_path: Path) -> None:
    lines = [
        "Số: 12/QĐ-UBND",
        "QuyÕt ®Þnh vÒ viÖc ban hµnh quy chÕ lµm viÖc cña Së Ngo¹i vô",
        "Quyết định này có hiệu lực kể từ ngày ký.",
        "§iÒu 2. Ch¸nh V¨n phßng Së chÞu tr¸ch nhiÖm thi hµnh QuyÕt ®Þnh nµy.",
    ]
    path = tmp_path / "mixed.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    raw = read_document(path)
    assert [b.text for b in raw.blocks] == [  # type: ignore[union-attr]
        "Số: 12/QĐ-UBND",
        "Quyết định về việc ban hành quy chế làm việc của Sở Ngoại vụ",
        "Quyết định này có hiệu lực kể từ ngày ký.",
        "Điều 2. Chánh Văn phòng Sở chịu trách nhiệm thi hành Quyết định này.",
    ]
    assert raw.warnings == ("2 lines in the legacy encoding TCVN3 converted to Unicode",)


def test_unconvertible_legacy_text_is_refused(tmp_path: Path) -> None:
    from procreg.registry.errors import InputError

    # VISCII-like bytes read as code page 1252: legacy-looking, and neither TCVN3 nor VNI makes words of it.
    junk = (
        "Qu\u00ffÕt Ð¾nh c\u00fe\u00a4a Th\u00fe\u00a4 t\u00df\u00a9ng ChÆnh ph\u00fe\u00a4 vÞ vi\u00d7c. "
        * 6
    )
    path = tmp_path / "junk.txt"
    path.write_text(junk, encoding="utf-8")
    with pytest.raises(InputError, match="legacy Vietnamese encoding procreg cannot convert") as info:
        read_document(path)
    assert info.value.path == str(path)


# ----------------------------------------------------------------------------------------- PDF glyphs


class FakePDF:
    """Stands for pdfplumber's PDF object: the hook keeps what it reported per document on it."""


class FakePage:
    def __init__(self, chars: list[dict[str, object]], pdf: FakePDF) -> None:
        self.objects = {"char": chars}
        self.pdf = pdf


def glyphs(text: str, font: str, *, top: float = 100.0, marks: str = "") -> list[dict[str, object]]:
    """One glyph per character, 5 pt apart on one line; characters in ``marks`` take no width (VNI marks)."""
    out: list[dict[str, object]] = []
    x = 50.0
    for ch in text:
        width = 0.0 if ch in marks else 5.0
        out.append({"text": ch, "fontname": font, "x0": x, "x1": x + width, "top": top, "size": 10.0})
        x += width
    return out


def page_text(page: FakePage) -> str:
    return "".join(str(c["text"]) for c in page.objects["char"])


def test_pdf_glyphs_are_converted_by_font_name_and_characters() -> None:
    from procreg.parsers.legacy import convert_pdf_page

    pdf = FakePDF()
    tcvn3 = glyphs("- QuyÕt ®Þnh cña Thñ t-íng ChÝnh phñ vÒ ®Çu t- n-íc ngoµi 2021 - 2025", "ABCDEF+.VnTime")
    caps = glyphs("CéNG HOµ", "ABCDEF+.VnTimeH,Bold", top=120)
    vni = glyphs("Quyeát ñònh cuûa Thuû töôùng", "GHIJKL+VNI-Times", top=140, marks="áùûø")
    modern = glyphs("Nghị định số 118/2025/NĐ-CP", ".VnTime", top=160)  # Unicode text, old font name
    page = FakePage(tcvn3 + caps + vni + modern, pdf)
    warnings = convert_pdf_page(page, 1)
    assert page_text(page) == (
        "- Quyết định của Thủ tướng Chính phủ về đầu tư nước ngoài 2021 - 2025"
        "CỘNG HOÀ"
        "Quyết định của Thủ tướng"
        "Nghị định số 118/2025/NĐ-CP"
    )
    later_pages = "converted to Unicode (and on the later pages that have it)"
    assert warnings == [
        f"page 1: text in the legacy encoding TCVN3 {later_pages}",
        f"page 1: text in the legacy encoding VNI {later_pages}",
    ]
    later = FakePage(glyphs("QuyÕt ®Þnh", "ABCDEF+.VnTime"), pdf)
    assert convert_pdf_page(later, 2) == []  # said once per document
    assert page_text(later) == "Quyết định"


def test_pdf_glyphs_in_a_font_that_names_nothing() -> None:
    from procreg.parsers.legacy import convert_pdf_page

    text = "QuyÕt ®Þnh cña Thñ t\u2212íng ChÝnh phñ vÒ viÖc ban hµnh quy chÕ lµm viÖc cña Uû ban"
    page = FakePage(glyphs(text, "F1") + glyphs("Trang 1 – Bản sao điện tử", "F2", top=20), FakePDF())
    convert_pdf_page(page, 1)
    assert page_text(page) == (
        "Quyết định của Thủ tướng Chính phủ về việc ban hành quy chế làm việc của Uỷ ban"
        "Trang 1 – Bản sao điện tử"
    )


def test_a_pdf_page_that_cannot_be_converted_is_refused() -> None:
    from procreg.parsers.legacy import convert_pdf_page
    from procreg.registry.errors import InputError

    junk = (
        "Qu\u00ffÕt Ð¾nh c\u00fe\u00a4a Th\u00fe\u00a4 t\u00df\u00a9ng ChÆnh ph\u00fe\u00a4 vÞ vi\u00d7c. "
        * 4
    )
    page = FakePage(glyphs(junk, "F1"), FakePDF())
    with pytest.raises(InputError, match="cannot convert; nothing was stored") as info:
        convert_pdf_page(page, 3)
    assert info.value.where == "page 3"


def _corpus_words() -> list[str]:
    import re

    from conftest import PLAN_TXT

    return sorted(set(re.findall(r"[^\W\d_]+", PLAN_TXT.read_text(encoding="utf-8"))))


CORPUS_WORDS = _corpus_words()


@given(st.lists(st.lists(st.sampled_from(CORPUS_WORDS), min_size=1, max_size=12), min_size=1, max_size=8))
def test_unicode_text_is_never_converted(lines: list[list[str]]) -> None:
    from procreg.parsers.legacy import convert_lines

    text = "\n".join(" ".join(words) for words in lines)
    assert convert_lines(text) == (text, Counter())
    assert not looks_unconverted(text)


@given(st.lists(st.sampled_from(CORPUS_WORDS), min_size=20, max_size=60))
def test_legacy_text_of_corpus_words_converts_back(words: list[str]) -> None:
    from procreg.parsers.legacy import convert_lines

    text = " ".join(words)
    for encoding in (Encoding.TCVN3, Encoding.VNI):
        legacy = "".join(piece for piece, _ in encode(text, encoding))
        # Enough words that read differently in the encoding (VNI writes "Chính" as Unicode does).
        shown = legacy.split()
        assume(sum(1 for a, b in zip(shown, words, strict=True) if a != b and len(b) > 1) >= 12)
        converted, counts = convert_lines(legacy)
        if encoding is Encoding.TCVN3:  # a .txt has no capitals font: capitals with a tone come back small
            assert converted.lower() == text.lower()
        else:
            assert converted == text
