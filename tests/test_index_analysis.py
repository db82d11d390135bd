"""The Vietnamese analyzers: NFC before tokenising, accents kept or folded, no stop list, no stemmer."""

from __future__ import annotations

import unicodedata

from procreg.index.analysis import exact_analyzer, exact_tokens, folded_analyzer, folded_tokens
from procreg.index.query import date_bounds


def _texts(analyzer: object, text: str) -> list[str]:
    return [t.text for t in analyzer(text)]  # type: ignore[operator]


def test_exact_keeps_accents_and_lowercases() -> None:
    assert _texts(exact_analyzer(), "Quy trình KIỂM SOÁT tài liệu") == [
        "quy",
        "trình",
        "kiểm",
        "soát",
        "tài",
        "liệu",
    ]


def test_folded_removes_accents_and_d_stroke() -> None:
    assert _texts(folded_analyzer(), "Đấu thầu tải TÀI liệu") == ["dau", "thau", "tai", "tai", "lieu"]


def test_decomposed_text_never_splits_a_syllable() -> None:
    nfd = unicodedata.normalize("NFD", "quy trình nội bộ")
    assert nfd != "quy trình nội bộ"
    assert _texts(exact_analyzer(), nfd) == ["quy", "trình", "nội", "bộ"]
    assert _texts(folded_analyzer(), nfd) == ["quy", "trinh", "noi", "bo"]
    assert exact_tokens(nfd) == ["quy", "trình", "nội", "bộ"]
    assert folded_tokens(nfd) == ["quy", "trinh", "noi", "bo"]


def test_short_syllables_survive_no_stop_list_no_stemmer() -> None:
    # The stock English analyzers drop "y", "an", "ở" and stem "quy" to "qui".
    assert _texts(exact_analyzer(), "y tế an toàn ở quy định") == [
        "y",
        "tế",
        "an",
        "toàn",
        "ở",
        "quy",
        "định",
    ]


def test_character_offsets_point_into_the_nfc_text() -> None:
    text = "Bổ nhiệm giám định viên"
    spans = [text[t.startchar : t.endchar] for t in folded_analyzer()(text, chars=True)]
    assert spans == ["Bổ", "nhiệm", "giám", "định", "viên"]


def test_analyzers_are_equal_after_pickling() -> None:
    import pickle

    a = folded_analyzer()
    assert pickle.loads(pickle.dumps(a)) == a


def test_date_bounds_periods() -> None:
    assert date_bounds("2024-02") == ("2024-02-01", "2024-02-29")
    assert date_bounds("2025") == ("2025-01-01", "2025-12-31")
    assert date_bounds("20250305") == ("2025-03-05", "2025-03-05")
    assert date_bounds("03/2025") == ("2025-03-01", "2025-03-31")
