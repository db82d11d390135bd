"""Search finds what people type: typos, loose codes, joined syllables, abbreviations, status, listings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from procreg.index.backend import SearchOptions
from procreg.index.suggest import telex_plain
from procreg.index.whoosh_backend import WhooshBackend
from procreg.registry.models import IndexDoc
from procreg.registry.service.ingesting import ingest
from procreg.registry.service.lifecycle import withdraw
from procreg.registry.service.searching import search

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "tests" / "corpus" / "vn-admin-docs").glob("*.txt"))


@pytest.fixture(scope="module")
def corpus_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("typed") / "home"
    assert not ingest(CORPUS, home=home).failed
    return home


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("giam dihn phap y", "giám định pháp y"),
        ("khoang sna", "khoáng sản"),
        ("thiet bi yte", "thiết bị y tế"),
    ],
)
def test_typos_get_the_right_suggestion_first(corpus_home: Path, typed: str, meant: str) -> None:
    result = search(typed, home=corpus_home)
    assert result.suggestions and result.suggestions[0].query == meant
    assert result.suggestions[0].total > 0
    assert result.corrected == meant and result.hits  # what the index lacks is searched as meant
    assert any(f"“{meant}”" in notice for notice in result.notices)


def test_nothing_near_gives_no_suggestion(corpus_home: Path) -> None:
    result = search("xyzxyz", home=corpus_home)
    assert result.total == 0 and result.suggestions == () and result.corrected is None


@pytest.mark.parametrize("query", ["QT.GĐ.01", "QT.GĐ01", "QT GD 01", "qtgd01", "QTGĐ01", "code:qt.gd.1"])
def test_codes_as_people_write_them(corpus_home: Path, query: str) -> None:
    hits = search(query, home=corpus_home).hits
    assert hits and hits[0].kind == "procedure" and hits[0].code == "QT.GĐ.01", [h.code for h in hits]


@pytest.mark.parametrize("query", ["1.013871", "1013871", "13871", "code:1013871"])
def test_national_codes_with_or_without_dots_and_zeros(corpus_home: Path, query: str) -> None:
    first_two = {(h.kind, h.code) for h in search(query, home=corpus_home).hits[:2]}
    assert first_two == {("procedure", "QT.GĐ.01"), ("catalog", "1.013871")}  # the TTHC and its quy trình


@pytest.mark.parametrize("query", ["code:QT.GĐ", "QT.GĐ", 'code:"qt gd"'])
def test_a_code_prefix_lists_the_family_in_code_order(corpus_home: Path, query: str) -> None:
    codes = [h.code for h in search(query, home=corpus_home).hits if h.kind == "procedure"]
    assert codes == ["QT.GĐ.01", "QT.GĐ.02"]


def test_filter_only_queries_list_by_code(corpus_home: Path) -> None:
    hits = search('field:"thiet bi y te"', home=corpus_home, limit=50).hits
    procedures = [h.code for h in hits if h.kind == "procedure"]
    assert procedures == ["QT.TBYT.01", "QT.TBYT.02", "QT.TBYT.03", "QT.TBYT.06"]
    assert [h.kind for h in hits] == sorted((h.kind for h in hits), key=["procedure", "catalog"].index)


def test_joined_syllables_are_found(corpus_home: Path) -> None:
    joined = [h.code for h in search("giamdinh phap y", home=corpus_home).hits[:2]]
    assert sorted(joined) == ["QT.GĐ.01", "QT.GĐ.02"]


@pytest.mark.parametrize(("short", "long"), [("UBND", "ủy ban nhân dân"), ("TTHC", "thủ tục hành chính")])
def test_abbreviations_and_their_long_form_find_each_other(corpus_home: Path, short: str, long: str) -> None:
    by_short = {h.id for h in search(f"thăm dò khoáng sản {short}", home=corpus_home, limit=100).hits}
    by_long = {h.id for h in search(f"thăm dò khoáng sản {long}", home=corpus_home, limit=100).hits}
    assert by_short and by_short == by_long


def test_gd_finds_giam_dinh(corpus_home: Path) -> None:
    hits = search("bo nhiem GĐ vien phap y", home=corpus_home).hits
    assert hits[0].code == "QT.GĐ.01"


def test_in_force_before_withdrawn_which_stays_found_and_marked(corpus_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(corpus_home, home)
    withdraw("QT.GĐ.01", on="2026-01-10", reason="Thay thế", home=home, today="2026-01-10")
    hits = search("giam dinh", home=home, limit=100).hits
    procedures = [(h.code, h.status) for h in hits if h.kind == "procedure"]
    assert procedures[0] == ("QT.GĐ.02", "active")
    assert ("QT.GĐ.01", "withdrawn") in procedures  # still listed, after every procedure in force
    retired = {"superseded", "abolished", "withdrawn"}
    first_retired = next(i for i, h in enumerate(hits) if h.status in retired)
    assert all(h.status in retired for h in hits[first_retired:])
    found = search("giam dinh status:withdrawn", home=home).hits
    assert [(h.code, h.status) for h in found] == [("QT.GĐ.01", "withdrawn")]


def test_joined_syllables_in_the_text_are_found_by_split_words(tmp_path: Path) -> None:
    body = "Quy trình giải quyết thủtục hành chính"  # two syllables run together by a PDF text layer
    doc = IndexDoc(id="doc:1", kind="document", title="Văn bản", body=body)
    backend = WhooshBackend.create(tmp_path / "index", [doc])
    try:
        assert [h.id for h in backend.search("thu tuc hanh chinh", SearchOptions()).hits] == ["doc:1"]
        assert [h.id for h in backend.search('"thủ tục"', SearchOptions()).hits] == ["doc:1"]
    finally:
        backend.close()


def test_telex_leftovers() -> None:
    assert telex_plain("dinhj") == "dinh" and telex_plain("ddinh") == "dinh"
    assert telex_plain("giaam") == "giam"
    assert telex_plain("giam") is None


def test_snippets_carry_no_table_punctuation(corpus_home: Path) -> None:
    for query in ("ban sao", "giay to", "gia han chung chi", "thanh phan ho so", "giam dinh phap y"):
        for hit in search(query, home=corpus_home, limit=20).hits:
            words = hit.snippet.split()
            assert "|" not in words and "x" not in words and "X" not in words, hit.snippet


@pytest.mark.vietnamese  # it checks the Vietnamese wording
def test_index_rebuild_reports_progress_and_a_summary(corpus_home: Path, tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from procreg.cli import cli
    from procreg.registry.api import Registry

    home = tmp_path / "home"
    shutil.copytree(corpus_home, home)
    seen: list[tuple[int, int]] = []
    report = Registry(home).rebuild_index(progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (report.documents, report.documents)
    assert report.documents == report.procedures + report.catalog + report.texts and report.size_bytes > 0
    human = CliRunner().invoke(cli, ["--home", str(home), "index", "rebuild"])
    assert human.exit_code == 0 and human.stdout.startswith("Đã dựng lại chỉ mục tìm kiếm: ")
    assert "quy trình" in human.stdout and "giây" in human.stdout
    data = json.loads(CliRunner().invoke(cli, ["--home", str(home), "index", "rebuild", "--json"]).stdout)
    assert set(data) == {"documents", "procedures", "catalog", "texts", "seconds", "size_bytes"}
