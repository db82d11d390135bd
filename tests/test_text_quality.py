"""The Vietnamese syllable check and the text-quality measure that sends junk text layers to OCR."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS

from procreg.parsers.text_quality import is_syllable, page_quality


@pytest.mark.parametrize(
    "word",
    [
        "nghiêng",
        "quyết",
        "giêng",
        "gìn",
        "người",
        "trường",
        "nghĩa",
        "Việt",
        "ỦY",
        "khuỷu",
        "xoong",
        "thuở",
        "chuyển",
        "quốc",
        "giữ",
        "hoặc",
        "khoẻ",
        "khỏe",
        "yêu",
        "oanh",
        "tuần",
        "ĐỊNH",
        "a",
    ],
)
def test_valid_syllables(word: str) -> None:
    assert is_syllable(word)


@pytest.mark.parametrize(
    "word",
    [
        "CQNG",
        "HQI",
        "VIPT",
        "phdng",
        "NÐ",
        "bôc",
        "tiêt",  # stop coda with a level tone
        "lưc",
        "UBND",
        "https",
        "hộchiếu",
        "à̀",
        "xyz",
        "Thg",
    ],
)
def test_invalid_syllables(word: str) -> None:
    assert not is_syllable(word)


def test_every_corpus_text_is_vietnamese() -> None:
    for path in sorted(CORPUS.glob("*/*.txt")):
        quality = page_quality(path.read_text(encoding="utf-8"))
        assert not quality.is_junk(), (path.name, quality)
        assert quality.valid > 0.95 and quality.marked > 0.8, (path.name, quality)


def test_foreign_ocr_junk_is_caught() -> None:
    from fixtures.scans import junk_text

    for path in sorted(CORPUS.glob("*/*.txt")):
        text = Path(path).read_text(encoding="utf-8")
        assert page_quality(junk_text(text)).is_junk(), path.name
    quality = page_quality(
        "CQNG HOA XA HQI CHU NGHIA VIPT NAM Doc lap - Tu do - Hanh phuc Giao Vin phdng UBND tinh"
    )
    assert quality.is_junk() and quality.marked == 0.0


def test_short_texts_are_not_judged() -> None:
    assert not page_quality("Trang 3").is_junk()
    assert not page_quality("Ký bởi: ỦY BAN NHÂN DÂN TỈNH Thời gian ký: 01.12.2025").is_junk()
    assert page_quality("").tokens == 0
