"""The OCR worker's image steps on synthetic pages: the skew angle and the ruling lines of a scanned table."""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy", reason="numpy not installed: pip install 'procreg[ocr]'")
Image = pytest.importorskip("PIL.Image")

from procreg.parsers.ocr_worker import find_rules, skew_angle  # noqa: E402


def _text_page(seed: int = 1) -> object:
    """A 300 dpi page of 'text': rows of short dark dashes (words) on white, with a little noise."""
    rng = np.random.default_rng(seed)
    page = np.full((1200, 2400), 255, dtype=np.uint8)
    for row in range(100, 1100, 40):
        x = 60
        while x < 2300:
            width = int(rng.integers(20, 70))
            page[row : row + 14, x : x + width] = 30
            x += width + int(rng.integers(8, 20))
    return Image.fromarray(page)


@pytest.mark.parametrize("angle", [-1.4, -0.6, 0.0, 0.8, 1.5])
def test_skew_angle_levels_a_rotated_page(angle: float) -> None:
    rotated = _text_page().rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    found = skew_angle(np.asarray(rotated))
    assert found == pytest.approx(-angle, abs=0.1)


def test_ruling_lines_of_a_table_not_its_text() -> None:
    page = np.asarray(_text_page()).copy()
    page[300:303, 100:800] = 255  # clear a band for the table
    page[300:703, 100:800] = 255
    page[300:303, 100:800] = 0  # three horizontal lines
    page[500:502, 100:800] = 0
    page[700:703, 100:800] = 0
    page[300:703, 100:103] = 0  # three vertical lines
    page[300:703, 450:452] = 0
    page[300:703, 797:800] = 0
    rules = find_rules(page < 160)
    horizontal = sorted((r for r in rules if r[2] - r[0] > r[3] - r[1]), key=lambda r: r[1])
    vertical = sorted(r for r in rules if r[2] - r[0] <= r[3] - r[1])
    assert [r[1] for r in horizontal] == [300, 500, 700]
    assert [r[0] for r in vertical] == [100, 450, 797]
    assert all(r[3] - r[1] <= 4 for r in horizontal) and all(r[2] - r[0] <= 4 for r in vertical)
    assert find_rules(np.asarray(_text_page()) < 160) == []  # words and rows of words are no lines
