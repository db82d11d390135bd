"""Query parsing: words, phrases, filters, date ranges, booleans; malformed queries become plain words."""

from __future__ import annotations

import pytest

from procreg.index.query import And, Code, DateRange, Filter, Not, Or, Phrase, Word, parse_query


def test_words_and_phrase() -> None:
    q = parse_query('giam dinh "phap y"')
    assert q.node == And((Word("giam"), Word("dinh"), Phrase(("phap", "y"))))
    assert q.notices == ()
    assert q.words == ("giam", "dinh", "phap", "y")


def test_filters_and_aliases() -> None:
    assert parse_query("code:QT.GĐ.01").node == Filter("code", "QT.GĐ.01")
    assert parse_query("mã:qt.gd.01").node == Filter("code", "qt.gd.01")
    assert parse_query("code:QT.GĐ.*").node == Filter("code", "QT.GĐ.", prefix=True)
    assert parse_query('unit:"văn phòng" tài').node == And((Filter("unit", "văn phòng"), Word("tài")))
    assert parse_query("status:active kind:decision").node == And(
        (Filter("status", "active"), Filter("kind", "decision"))
    )


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("issued_on:2025-01-01..2025-12-31", "2025-01-01", "2025-12-31"),
        ("issued_on:2025", "2025-01-01", "2025-12-31"),
        ("issued_on:2025-03..", "2025-03-01", None),
        ("issued_on:..2025-03", None, "2025-03-31"),
        ("issued_on:[20250101 TO 20251231]", "2025-01-01", "2025-12-31"),
        ("issued_on:[2025-06-01 TO]", "2025-06-01", None),
        ("review_due:>=2026-01", "2026-01-01", None),
        ("issued_on:1/3/2025..31/3/2025", "2025-03-01", "2025-03-31"),
    ],
)
def test_date_ranges(text: str, start: str | None, end: str | None) -> None:
    node = parse_query(text).node
    assert isinstance(node, DateRange)
    assert (node.start, node.end) == (start, end)


def test_exclusive_date_bounds() -> None:
    assert parse_query("issued_on:>2025").node == DateRange("issued_on", "2025-12-31", None, start_excl=True)
    assert parse_query("issued_on:<2025").node == DateRange("issued_on", None, "2025-01-01", end_excl=True)


def test_booleans_precedence_and_negation() -> None:
    assert parse_query("a OR b c").node == Or((Word("a"), And((Word("b"), Word("c")))))
    assert parse_query("(a OR b) -c").node == And((Or((Word("a"), Word("b"))), Not(Word("c"))))
    assert parse_query("a AND NOT b").node == And((Word("a"), Not(Word("b"))))
    # lower-case "or"/"and" are words, not operators
    assert parse_query("a or b").node == And((Word("a"), Word("or"), Word("b")))


def test_codes_and_numbers_are_one_token() -> None:
    assert parse_query("QT.GĐ.01").node == Code("QT.GĐ.01", ("QT", "GĐ", "01"))
    assert parse_query("1490/QĐ-UBND").node == Code("1490/QĐ-UBND", ("1490", "QĐ", "UBND"))
    assert parse_query("y-tế").node == Phrase(("y", "tế"))


@pytest.mark.vietnamese  # it checks the Vietnamese wording
@pytest.mark.parametrize(
    ("text", "words", "reason"),
    [
        ('"quy trinh noi', ("quy", "trinh", "noi"), "ngoặc kép"),
        ("code: quy trinh", ("quy", "trinh"), "trống"),
        ("(tai lieu", ("tai", "lieu"), "ngoặc đơn"),
        ("tai lieu)", ("tai", "lieu"), "ngoặc đơn"),
        ("AND tai", ("tai",), "AND"),
        ("tai OR", ("tai",), "OR"),
        ("tai NOT", ("tai",), "NOT"),
        ("issued_on:2025-13-01 tai", ("2025", "13", "01", "tai"), "ngày"),
        ("issued_on:[2025", ("2025",), "khoảng"),
    ],
)
def test_malformed_queries_are_searched_as_plain_words(
    text: str, words: tuple[str, ...], reason: str
) -> None:
    q = parse_query(text)
    assert q.plain
    assert q.words == words
    assert len(q.notices) == 1 and reason in q.notices[0]


@pytest.mark.vietnamese  # it checks the Vietnamese wording
def test_empty_query_and_unknown_filter() -> None:
    assert parse_query("   ").node is None
    q = parse_query("foo:bar")
    assert q.node is not None and not q.plain
    assert "không phải bộ lọc" in q.notices[0]


def test_nfd_query_is_normalised() -> None:
    import unicodedata

    assert parse_query(unicodedata.normalize("NFD", "tài liệu")).words == ("tài", "liệu")
