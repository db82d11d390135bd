"""The Whoosh backend on constructed IndexDocs: ranking, accents, filters, versions, ties, check."""

from __future__ import annotations

import dataclasses
import unicodedata
from pathlib import Path

import pytest

from procreg.index.backend import IndexUnusable, SearchOptions
from procreg.index.state import STATE_FILE, write_state
from procreg.index.whoosh_backend import WhooshBackend
from procreg.registry.models import IndexDoc


def _proc(n: int, title: str, body: str = "", **kw: object) -> IndexDoc:
    fields: dict[str, object] = {"version": 1, "status": "active", **kw}
    return IndexDoc(id=f"proc:{n}", kind="procedure", title=title, body=body, **fields)  # type: ignore[arg-type]


DOCS = [
    _proc(
        1,
        "Kiểm soát tài liệu",
        "Quy trình kiểm soát tài liệu nội bộ",
        code="QT.VP.01",
        unit=("Văn phòng Sở",),
    ),
    _proc(
        2,
        "Kiểm soát tải liệu",
        "Quy trình kiểm soát tải liệu nội bộ",
        code="QT.VP.02",
        unit=("Phòng Tài chính",),
    ),
    _proc(
        3,
        "Bổ nhiệm giám định viên pháp y",
        "Tiếp nhận hồ sơ; thẩm định; trình Giám đốc Sở Y tế",
        code="QT.GĐ.01",
        unit=("Sở Y tế",),
        field="Giám định",
        issued_on="2025-11-20",
        review_due="2026-11-20",
    ),
    _proc(
        4,
        "Bổ nhiệm giám định viên pháp y",
        "phiên bản cũ",
        code="QT.GĐ.01",
        status="superseded",
        current=False,
    ),
    IndexDoc(
        id="doc:5",
        kind="document",
        title="Quyết định phê duyệt quy trình đấu thầu",
        body=unicodedata.normalize("NFD", "Phê duyệt quy trình nội bộ đấu thầu lựa chọn nhà đầu tư"),
        number="1490/QĐ-UBND",
        doc_kind="decision",
        issued_on="2025-11-18",
    ),
    IndexDoc(id="cat:6", kind="catalog", title="Cấp phép hội nghị quốc tế", body="1.000001", code="1.000001"),
]


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> WhooshBackend:
    b = WhooshBackend.create(tmp_path_factory.mktemp("ix") / "index", DOCS)
    yield b  # type: ignore[misc]
    b.close()


def _ids(backend: WhooshBackend, query: str, **kw: object) -> list[str]:
    return [h.id for h in backend.search(query, SearchOptions(limit=50, **kw)).hits]  # type: ignore[arg-type]


def test_accented_query_ranks_the_exact_word_first(backend: WhooshBackend) -> None:
    assert _ids(backend, "tài liệu") == ["proc:1", "proc:2"]
    assert _ids(backend, "tải liệu") == ["proc:2", "proc:1"]


def test_unaccented_query_finds_both_and_breaks_the_tie_by_id(backend: WhooshBackend) -> None:
    result = backend.search("tai lieu", SearchOptions())
    assert [h.id for h in result.hits] == ["proc:1", "proc:2"]
    assert result.hits[0].score == result.hits[1].score
    assert result.total == 2


def test_case_and_accents_give_the_same_set(backend: WhooshBackend) -> None:
    sets = {frozenset(_ids(backend, q)) for q in ("quy trinh noi bo", "QUY TRÌNH NỘI BỘ", "quy trình nội bộ")}
    assert sets == {frozenset({"proc:1", "proc:2", "doc:5"})}


def test_nfd_text_is_found_by_nfc_and_unaccented_queries(backend: WhooshBackend) -> None:
    assert _ids(backend, "đấu thầu") == ["doc:5"]
    assert _ids(backend, "dau thau") == ["doc:5"]
    assert _ids(backend, unicodedata.normalize("NFD", "lựa chọn")) == ["doc:5"]


def test_title_outranks_body(backend: WhooshBackend) -> None:
    # "giám định" is in proc:3's title and in its body only as "Giám đốc"... rank by title
    assert _ids(backend, "giam dinh")[0] == "proc:3"


def test_code_filter_and_code_word(backend: WhooshBackend) -> None:
    assert _ids(backend, "code:QT.GĐ.01") == ["proc:3"]
    assert _ids(backend, "code:qt.gd.01") == ["proc:3"]
    assert _ids(backend, "QT.GĐ.01") == ["proc:3"]
    assert _ids(backend, "code:QT.VP.*") == ["proc:1", "proc:2"]
    assert _ids(backend, "1490/QĐ-UBND") == ["doc:5"]
    assert _ids(backend, "number:1490/qd-ubnd") == ["doc:5"]


def test_superseded_versions_only_with_all_versions(backend: WhooshBackend) -> None:
    assert _ids(backend, "code:QT.GĐ.01", all_versions=True) == ["proc:3", "proc:4"]
    assert set(_ids(backend, "bo nhiem", all_versions=True)) == {"proc:3", "proc:4"}
    assert _ids(backend, "bo nhiem") == ["proc:3"]


def test_filters(backend: WhooshBackend) -> None:
    assert _ids(backend, 'unit:"van phong" kiem soat') == ["proc:1"]
    assert _ids(backend, "kiem soat", unit="phong tai chinh") == ["proc:2"]
    assert _ids(backend, "field:giam") == ["proc:3"]
    assert _ids(backend, "kind:decision") == ["doc:5"]
    assert _ids(backend, "quy trinh", kind="document") == ["doc:5"]
    assert _ids(backend, "kind:catalog") == ["cat:6"]
    assert _ids(backend, "status:active kiem") == ["proc:1", "proc:2"]
    assert _ids(backend, "issued_on:2025-11-01..2025-11-19") == ["doc:5"]
    assert _ids(backend, "issued_on:[20251101 TO 20251130]") == ["proc:3", "doc:5"]
    assert _ids(backend, "review_due:2026") == ["proc:3"]


def test_booleans(backend: WhooshBackend) -> None:
    assert _ids(backend, "tai NOT tải") == ["proc:1"]  # accented NOT excludes the exact word only
    assert _ids(backend, "kiem NOT tai") == []
    assert _ids(backend, "dau OR hoi") == ["cat:6", "doc:5"] or _ids(backend, "dau OR hoi") == [
        "doc:5",
        "cat:6",
    ]
    assert set(_ids(backend, "(tai OR hoi) -tải")) == {"proc:1", "cat:6"}


@pytest.mark.vietnamese  # it checks the Vietnamese wording
def test_malformed_query_is_plain_words_with_a_notice(backend: WhooshBackend) -> None:
    result = backend.search('"tai lieu', SearchOptions())
    assert [h.id for h in result.hits] == ["proc:1", "proc:2"]
    assert result.notices and "ngoặc kép" in result.notices[0]
    empty = backend.search("code:", SearchOptions())
    assert empty.total == 0 and empty.notices


def test_zero_hits_suggest_from_the_vocabulary(backend: WhooshBackend) -> None:
    result = backend.search("kiem soat tai lieuu", SearchOptions())
    assert result.suggestion == "kiểm soát tài liệu"  # accents from the text that has it
    assert [(s.query, s.total) for s in result.suggestions][:1] == [("kiểm soát tài liệu", 2)]
    # nothing matched as typed: the suggestion's hits are given, with a notice
    assert result.corrected == "kiểm soát tài liệu" and result.total == 2
    assert any("“kiểm soát tài liệu”" in n for n in result.notices)
    none = backend.search("zzzzqqq", SearchOptions())
    assert none.suggestion is None and none.suggestions == () and none.total == 0


def test_snippet_marks_folded_matches(backend: WhooshBackend) -> None:
    hit = backend.search("tai lieu", SearchOptions(marks=("<", ">"))).hits[0]
    assert hit.snippet == "Quy trình kiểm soát <tài> <liệu> nội bộ"
    assert hit.code == "QT.VP.01" and hit.unit == "Văn phòng Sở" and hit.kind == "procedure"
    doc = backend.search("dau thau", SearchOptions()).hits[0]
    assert doc.code == "1490/QĐ-UBND"
    assert unicodedata.is_normalized("NFC", doc.snippet)


def test_limit_and_total(backend: WhooshBackend) -> None:
    result = backend.search("quy trinh", SearchOptions(limit=1))
    assert len(result.hits) == 1 and result.total == 3


def test_update_replace_delete_and_check(tmp_path: Path) -> None:
    b = WhooshBackend.create(tmp_path / "index", DOCS[:3])
    assert b.check(DOCS[:3]).clean
    changed = dataclasses.replace(DOCS[0], title="Kiểm soát hồ sơ")
    check = b.check([changed, DOCS[1], DOCS[3]])
    assert (check.missing, check.stale, check.extra) == (("proc:4",), ("proc:1",), ("proc:3",))
    b.update([changed, DOCS[3]], ["proc:3"])
    assert b.check([changed, DOCS[1], DOCS[3]]).clean
    assert [h.id for h in b.search("ho so", SearchOptions()).hits] == ["proc:1"]
    b.close()


def test_ties_are_broken_by_id_whatever_the_insertion_order(tmp_path: Path) -> None:
    docs = [_proc(n, "Tiếp nhận hồ sơ", "giống nhau") for n in (12, 3, 100, 9)]
    b = WhooshBackend.create(tmp_path / "index", docs)
    assert [h.id for h in b.search("tiep nhan", SearchOptions(limit=3)).hits] == [
        "proc:3",
        "proc:9",
        "proc:12",
    ]
    b.close()


@pytest.mark.vietnamese  # it checks the Vietnamese wording
def test_schema_change_and_broken_index_are_unusable(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    with pytest.raises(IndexUnusable):
        WhooshBackend.open(index_dir)
    WhooshBackend.create(index_dir, DOCS[:1]).close()
    write_state(index_dir, schema=-1)
    with pytest.raises(IndexUnusable, match="lược đồ"):
        WhooshBackend.open(index_dir)
    WhooshBackend.create(index_dir, DOCS[:1]).close()
    for toc in index_dir.glob("*.toc"):
        toc.write_bytes(b"garbage")
    with pytest.raises(IndexUnusable, match="không mở được"):
        WhooshBackend.open(index_dir)
    assert (index_dir / STATE_FILE).exists()


def test_ties_stay_broken_by_id_after_incremental_updates(tmp_path: Path) -> None:
    docs = [_proc(n, "Tiếp nhận hồ sơ", "giống nhau") for n in (3, 9, 12)]
    b = WhooshBackend.create(tmp_path / "index", docs)
    b.update([dataclasses.replace(docs[0], version=2)])  # proc:3 now has the highest docnum
    assert [h.id for h in b.search("tiep nhan", SearchOptions(limit=2)).hits] == ["proc:3", "proc:9"]
    assert [h.id for h in b.search("kind:procedure", SearchOptions(limit=2)).hits] == ["proc:3", "proc:9"]
    b.close()


def test_posting_cache_is_bounded(tmp_path: Path) -> None:
    from procreg.index.postings import PostingCache

    b = WhooshBackend.create(tmp_path / "index", DOCS)
    pc = PostingCache(b.searcher().reader())
    pc.bound = 3
    for term in ("quy", "trinh", "kiem", "soat", "tai"):
        assert pc.get("text_f", term)
    assert sum(len(v) for v in pc._cache.values()) <= 3 or len(pc._cache) == 1
    b.close()


def test_unit_filter_with_punctuation(tmp_path: Path) -> None:
    docs = [_proc(1, "Cấp phép", "x", unit=("Sở Văn hóa, Thể thao và Du lịch",))]
    b = WhooshBackend.create(tmp_path / "index", docs)
    assert [h.id for h in b.search('unit:"so van hoa, the thao"', SearchOptions()).hits] == ["proc:1"]
    assert [h.id for h in b.search("cap", SearchOptions(unit="Văn hóa, Thể thao")).hits] == ["proc:1"]
    b.close()
