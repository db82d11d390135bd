"""The SQLite registry with hand-built parser records: schema, versions, abolition, events, units."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from procreg.procedures.identity import procedure_key
from procreg.registry.errors import NotFound, StoreError
from procreg.registry.models import (
    CatalogEntry,
    Citation,
    Event,
    ParsedDocument,
    Procedure,
    Signer,
    Step,
    Target,
)
from procreg.registry.service.finding import catalog_entries, document_by_number, find_procedure
from procreg.registry.service.registering import register_document, register_document_once
from procreg.registry.store import SCHEMA_VERSION, Store


def _steps(
    hours: tuple[float | None, ...] = (None, 4.0, 4.0, 120.0, 16.0, 8.0, 8.0, None),
) -> tuple[Step, ...]:
    units = ["Bộ phận Một cửa", "Văn thư", "Lãnh đạo phòng", "Chuyên viên", "Lãnh đạo phòng", "Lãnh đạo Sở"]
    return tuple(
        Step(
            order=i,
            label=f"B{i}",
            text=f"Bước thứ {i}",
            responsible=(units[(i - 1) % len(units)],),
            hours=h,
            duration_text="Giờ hành chính" if h is None else f"{h / 8:g} ngày",
        )
        for i, h in enumerate(hours, 1)
    )


def _proc(
    code: str | None = "QT.GĐ.01", name: str = "Bổ nhiệm giám định viên pháp y", **kw: object
) -> Procedure:
    base = Procedure(
        name=name,
        code=code,
        catalog_code="1.013871",
        field="Giám định tư pháp",
        time_limit="20 ngày",
        time_limit_hours=160.0,
        steps=_steps(),
        forms=("Mẫu 01", "Mẫu 02"),
    )
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


def _doc(
    sha: str,
    *,
    number: str = "3005/QĐ-UBND",
    issued_on: str | None = "2025-12-01",
    procedures: tuple[Procedure, ...] = (),
    catalog: tuple[CatalogEntry, ...] = (),
    change_type: str | None = None,
    kind: str = "decision",
) -> ParsedDocument:
    return ParsedDocument(
        path=f"/tmp/{sha}.txt",
        format="txt",
        sha256=sha,
        kind=kind,  # type: ignore[arg-type]
        number=number,
        issued_on=issued_on,
        issuer="UBND tỉnh Hà Tĩnh",
        title="Công bố danh mục và quy trình nội bộ",
        signer=Signer(name="Trần Báu Hà", position="Phó Chủ tịch"),
        citations=(Citation(type="Quyết định", number="1085/QĐ-TTg", date="2022-09-15"),),
        targets=(Target(section="II.3", value=90.0, text="90% thủ tục"),),
        catalog=catalog,
        procedures=procedures,
        change_type=change_type,
        text="toàn văn",
    )


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Store.open(tmp_path / "registry.db") as s:
        yield s


def test_open_creates_schema_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = tmp_path / "home" / "registry.db"
    with Store.open(db) as s:
        assert s.data_version() == 0
        assert s.integrity_check() == "ok"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    with Store.open(db) as s:  # re-open: no migration, nothing written
        assert s.data_version() == 0


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "registry.db"
    Store.open(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store.open(db)


def test_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    db = tmp_path / "registry.db"
    db.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError):
        Store.open(db)


def test_add_document_registers_everything_and_bumps_data_version(store: Store) -> None:
    cat = CatalogEntry(name="Bổ nhiệm giám định viên pháp y", code="1.013871", field="Giám định tư pháp")
    result = register_document(store, _doc("a" * 64, procedures=(_proc(),), catalog=(cat,)))
    assert result.created
    assert result.counts.procedures == 1 and result.counts.steps == 8 and result.counts.catalog == 1
    assert store.data_version() == 1
    assert store.has_document("a" * 64)

    proc = find_procedure(store, "QT.GĐ.01")
    assert proc.version == 1 and proc.status == "active" and proc.kind == "process"
    assert [s.label for s in proc.steps] == [f"B{i}" for i in range(1, 9)]
    assert proc.steps[3].hours == 120.0 and proc.steps[0].hours is None
    assert proc.units[:3] == ("Bộ phận Một cửa", "Văn thư", "Lãnh đạo phòng")
    assert proc.document_number == "3005/QĐ-UBND" and proc.cites == ("1085/QĐ-TTg",)
    assert [(e.kind, e.on, e.by, e.evidence) for e in proc.events] == [
        ("published", "2025-12-01", "UBND tỉnh Hà Tĩnh", "3005/QĐ-UBND")
    ]
    (catrec,) = catalog_entries(store)
    assert catrec.procedure_id == proc.id and catrec.document_number == "3005/QĐ-UBND"
    (doc,) = store.documents()
    assert store.citations(doc.id)[0].number == "1085/QĐ-TTg"
    assert store.targets()[0][1].value == 90.0
    assert document_by_number(store, "3005/QĐ-UBND") == doc


def test_same_bytes_twice_writes_nothing(store: Store) -> None:
    register_document(store, _doc("a" * 64, procedures=(_proc(),)))
    version = store.data_version()
    again = register_document_once(store, _doc("a" * 64, procedures=(_proc(),)))
    assert not again.created
    assert store.data_version() == version
    assert len(store.procedures()) == 1


def test_lookup_by_code_name_folded_and_did_you_mean(store: Store) -> None:
    register_document(store, _doc("a" * 64, procedures=(_proc(),)))
    assert find_procedure(store, "qt.gđ.01").code == "QT.GĐ.01"
    assert find_procedure(store, "QT.GD.01").code == "QT.GĐ.01"  # accents left out
    assert find_procedure(store, "1.013871").code == "QT.GĐ.01"  # national code
    assert find_procedure(store, "bo nhiem giam dinh vien phap y").code == "QT.GĐ.01"
    assert find_procedure(store, "giam dinh vien").code == "QT.GĐ.01"  # a unique part of the name
    with pytest.raises(NotFound, match=r"did you mean: #\d+ QT.GĐ.01"):
        find_procedure(store, "bổ nhiệm giám đinh viên pháp ý x")
    with pytest.raises(NotFound):
        find_procedure(store, "QT.XYZ.99")


def test_new_content_same_key_is_version_2_and_old_superseded(store: Store) -> None:
    register_document(store, _doc("a" * 64, procedures=(_proc(),)))
    changed = _proc(steps=_steps((None, 4.0, 4.0, 100.0, 16.0, 8.0, 8.0, None)), edition="02")
    result = register_document(
        store, _doc("b" * 64, number="3100/QĐ-UBND", issued_on="2026-01-05", procedures=(changed,))
    )
    assert len(result.new_versions) == 1
    current = find_procedure(store, "QT.GĐ.01")
    assert current.version == 2 and current.status == "active"
    versions = store.procedure_versions(current.key)
    assert [(v.version, v.status) for v in versions] == [(1, "superseded"), (2, "active")]
    assert current.supersedes_id == versions[0].id
    old_events = versions[0].events
    assert [e.kind for e in old_events] == ["published", "superseded"]
    assert old_events[1].evidence == "3100/QĐ-UBND" and old_events[1].on == "2026-01-05"
    assert len(store.procedures()) == 1
    assert len(store.procedures(include_superseded=True)) == 2


def test_older_decision_ingested_later_becomes_version_1(store: Store) -> None:
    newer = _proc(steps=_steps((None, 8.0, None)))
    register_document(
        store, _doc("b" * 64, number="3100/QĐ-UBND", issued_on="2026-01-05", procedures=(newer,))
    )
    register_document(store, _doc("a" * 64, issued_on="2025-12-01", procedures=(_proc(),)))
    versions = store.procedure_versions("QT.GĐ.01")
    assert [(v.version, v.status, v.document_number) for v in versions] == [
        (1, "superseded", "3005/QĐ-UBND"),
        (2, "active", "3100/QĐ-UBND"),
    ]
    assert find_procedure(store, "QT.GĐ.01").document_number == "3100/QĐ-UBND"


def test_unchanged_republication_adds_an_event_not_a_version(store: Store) -> None:
    register_document(store, _doc("a" * 64, procedures=(_proc(),)))
    register_document(
        store, _doc("b" * 64, number="3100/QĐ-UBND", issued_on="2026-01-05", procedures=(_proc(),))
    )
    proc = find_procedure(store, "QT.GĐ.01")
    assert proc.version == 1
    assert [e.evidence for e in proc.events] == ["3005/QĐ-UBND", "3100/QĐ-UBND"]


def test_abolishing_decision_marks_procedures_and_catalog_never_deletes(store: Store) -> None:
    cat = CatalogEntry(name="Bổ nhiệm giám định viên pháp y", code="1.013871")
    register_document(store, _doc("a" * 64, procedures=(_proc(),), catalog=(cat,)))
    gone = CatalogEntry(name="Bổ nhiệm giám định viên pháp y", change="abolished")
    result = register_document(
        store,
        _doc(
            "c" * 64,
            number="84/2025/QĐ-UBND",
            issued_on="2026-02-01",
            catalog=(gone,),
            change_type="abolished",
        ),
    )
    assert result.abolished == 2
    assert [p.status for p in store.procedures()] == ["abolished"]
    proc = find_procedure(store, "QT.GĐ.01")
    assert proc.status == "abolished"
    assert proc.events[-1].kind == "abolished" and proc.events[-1].evidence == "84/2025/QĐ-UBND"
    assert catalog_entries(store) == []
    assert {c.status for c in catalog_entries(store, include_inactive=True)} == {"abolished"}
    assert len(store.procedures(status="abolished")) == 1


def test_procedure_key_falls_back_to_national_code_then_name() -> None:
    assert procedure_key(_proc(), None) == "QT.GĐ.01"
    assert procedure_key(_proc(code=None), None) == "1.013871"
    keyless = _proc(code=None, catalog_code=None)
    assert procedure_key(keyless, "UBND tỉnh Hà Tĩnh") == (
        "name:bo nhiem giam dinh vien phap y|giam dinh tu phap|ubnd tinh ha tinh"
    )


def test_events_are_append_only(store: Store, tmp_path: Path) -> None:
    register_document(store, _doc("a" * 64, procedures=(_proc(),)))
    proc = find_procedure(store, "QT.GĐ.01")
    store.add_event(proc.id, Event(kind="reviewed", on="2026-03-02", by="Nguyễn Văn A"))
    conn = sqlite3.connect(tmp_path / "registry.db")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE events SET by = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM events")
    conn.close()
    assert [e.kind for e in find_procedure(store, "QT.GĐ.01").events] == ["published", "reviewed"]


def test_failed_write_leaves_nothing(store: Store) -> None:
    bad_step = Step(order=1, label="B1", text=None)  # type: ignore[arg-type]  # NOT NULL violation mid-file
    proc = _proc(steps=(*_steps(), dataclasses.replace(bad_step, order=9)))
    before = store.data_version()
    with pytest.raises(sqlite3.IntegrityError):
        register_document(store, _doc("d" * 64, procedures=(_proc(code="QT.OK.01"), proc)))
    assert store.data_version() == before
    assert store.documents() == [] and store.procedures(include_superseded=True) == []
    assert not store.has_document("d" * 64)


def test_units_alias_and_merge(store: Store) -> None:
    register_document(store, _doc("a" * 64, procedures=(_proc(),)))
    names = {u.name: u for u in store.units()}
    assert names["Văn thư"].steps == 2 and names["Văn thư"].procedures == 1
    moved = store.add_unit_alias("Văn thư", "Văn thư Sở")
    assert moved == 2
    names = {u.name: u for u in store.units()}
    assert "Văn thư" not in names and names["Văn thư Sở"].aliases == ("Văn thư",)
    assert store.unit_aliases() == {"van thu": "Văn thư Sở"}
    assert "Văn thư Sở" in find_procedure(store, "QT.GĐ.01").units
    assert store.merge_units("lanh dao phong", "Lãnh đạo Phòng TCHC") == 2
    with pytest.raises(NotFound):
        store.merge_units("Không có", "X")


def test_filters_by_unit_field_status(store: Store) -> None:
    register_document(
        store, _doc("a" * 64, procedures=(_proc(), _proc(code="QT.GĐ.02", name="Miễn nhiệm", field="Khác")))
    )
    assert len(store.procedures(unit="van thu")) == 2
    assert [p.code for p in store.procedures(field="giam dinh")] == ["QT.GĐ.01"]
    assert store.procedures(status="withdrawn") == []


def test_edited_file_replaces_its_earlier_targets(store: Store) -> None:
    register_document(store, _doc("a" * 64), path="/docs/kh.txt")
    newer = dataclasses.replace(_doc("b" * 64), targets=(Target(section="II.3", value=95.0),))
    register_document(store, newer, path="/docs/kh.txt")
    assert [t.value for _, t in store.targets()] == [95.0]
    assert len(store.documents()) == 2  # the earlier text is kept


def test_later_catalog_of_same_issuer_supersedes_earlier_row(store: Store) -> None:
    row = CatalogEntry(name="Cấp giấy phép", code="1.000001")
    register_document(store, _doc("a" * 64, number="10/QĐ-UBND", issued_on="2025-01-01", catalog=(row,)))
    register_document(store, _doc("b" * 64, number="20/QĐ-UBND", issued_on="2025-06-01", catalog=(row,)))
    other = dataclasses.replace(
        _doc("c" * 64, number="30/QĐ-UBND", catalog=(row,)), issuer="UBND tỉnh Nghệ An"
    )
    register_document(store, other)
    active = catalog_entries(store)
    assert sorted(c.document_number or "" for c in active) == ["20/QĐ-UBND", "30/QĐ-UBND"]
    statuses = {c.document_number: c.status for c in catalog_entries(store, include_inactive=True)}
    assert statuses["10/QĐ-UBND"] == "superseded"


def test_abolition_by_name_stays_within_the_issuer(store: Store) -> None:
    keyless = _proc(code=None, catalog_code=None, name="Thủ tục X")
    register_document(
        store, dataclasses.replace(_doc("a" * 64, procedures=(keyless,)), issuer="UBND tỉnh Nghệ An")
    )
    gone = CatalogEntry(name="Thủ tục X", change="abolished")
    result = register_document(store, _doc("c" * 64, catalog=(gone,), change_type="abolished"))
    assert result.abolished == 0
    assert find_procedure(store, "Thủ tục X").status == "active"


def test_catalog_only_entry_is_explained_when_not_found(store: Store) -> None:
    register_document(store, _doc("a" * 64, catalog=(CatalogEntry(name="Thẩm định hồ sơ đề nghị"),)))
    with pytest.raises(NotFound, match="catalog entry of 3005/QĐ-UBND"):
        find_procedure(store, "tham dinh ho so de nghi")


def test_alias_of_an_alias_resolves_to_the_canonical(store: Store) -> None:
    store.add_unit_alias("VT", "Văn thư")
    store.add_unit_alias("Văn thư Sở", "VT")
    assert store.unit_aliases() == {"vt": "Văn thư", "van thu so": "Văn thư"}


def test_ambiguous_code_asks_for_the_id_and_id_lookup_works(store: Store) -> None:
    twice = (
        _proc(code=None),
        _proc(code=None, steps=_steps((None, 8.0))),
    )  # one national code, two processes
    register_document(store, _doc("a" * 64, procedures=twice))
    with pytest.raises(NotFound, match=r"2 procedures match '1.013871': #1 .*; #2 .*give the id"):
        find_procedure(store, "1.013871")
    assert find_procedure(store, "#2").id == 2 and find_procedure(store, "2").steps[1].hours == 8.0
    assert find_procedure(store, "1.013871@ubnd tinh ha tinh#2").id == 2  # the key itself


def test_catalog_links_to_a_qualified_process_of_the_same_decision(store: Store) -> None:
    cat = CatalogEntry(name="Công nhận kết quả thăm dò khoáng sản")
    proc = _proc(
        code="QT.ĐCKS.01",
        catalog_code=None,
        name="Công nhận kết quả thăm dò khoáng sản (Trường hợp nhóm III)",
    )
    register_document(store, _doc("a" * 64, procedures=(proc,), catalog=(cat,)))
    (record,) = catalog_entries(store)
    assert record.procedure_id == find_procedure(store, "QT.ĐCKS.01").id


# --------------------------------------------------------------------------------------------------
# Regressions (QA round).


def test_issue_schema_v1_registry_is_migrated(tmp_path: Path) -> None:
    """A registry written by schema 1 (before the symbols table) opens, migrates and keeps its data."""
    from procreg.registry.store.schema import MIGRATIONS, split_script

    db = tmp_path / "registry.db"
    conn = sqlite3.connect(db, isolation_level=None)
    for statement in split_script(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO documents (id, path, sha256, format, kind, number, issued_on, title) VALUES "
        "(1, '/tmp/a.txt', 'aa', 'txt', 'decision', '45/QĐ-SNgV', '2023-03-15', "
        "'Công bố Danh mục và Quy trình nội bộ thủ tục hành chính nội bộ lĩnh vực hội nghị')"
    )
    conn.execute(
        "INSERT INTO procedures (id, key, version, name, name_folded, content_hash, document_id, position) "
        "VALUES (1, 'QT.NV.01', 1, 'Cho phép tổ chức hội nghị', 'cho phep to chuc hoi nghi', 'h', 1, 1), "
        "(2, 'name:thu tuc cap phep|ngoai vu|so ngoai vu', 1, 'Thủ tục cấp phép', 'thu tuc cap phep', "
        "'h2', 1, 2)"
    )
    conn.close()
    assert SCHEMA_VERSION >= 2
    with Store.open(db) as s:
        assert s.symbols() == {}
        assert s.add_symbol("SNgV", "Sở Ngoại vụ") is True
        record = find_procedure(s, "QT.NV.01")
        assert record.name == "Cho phép tổ chức hội nghị"
        assert record.internal  # recomputed from the decision title by the migration
        # name keys no longer carry a leading "Thủ tục", as procedure_key now builds them
        assert s.procedure_by_id(2).key == "name:cap phep|ngoai vu|so ngoai vu"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_issue_newer_registry_is_exit_5_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from procreg.cli import cli

    home = tmp_path / "home"
    Store.open(home / "registry.db").close()
    conn = sqlite3.connect(home / "registry.db")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    conn.close()
    result = CliRunner().invoke(cli, ["--home", str(home), "list"])
    assert result.exit_code == 5
    assert "newer than this procreg" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_issue_foreign_sqlite_file_is_not_taken_over(tmp_path: Path) -> None:
    db = tmp_path / "registry.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE other (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a procreg registry"):
        Store.open(db)


def test_issue_internal_flag_from_catalog_group_and_title(store: Store) -> None:
    internal_row = CatalogEntry(name="Thủ tục cho phép tổ chức hội nghị", internal=True)
    grouped_row = CatalogEntry(name="Cử cán bộ đi công tác", group="Thủ tục hành chính nội bộ cấp tỉnh")
    ordinary_row = CatalogEntry(name="Bổ nhiệm giám định viên pháp y", code="1.013871")
    procs = (
        _proc("QT.NV.01", "Cho phép tổ chức hội nghị", catalog_code=None),  # name without "Thủ tục"
        _proc("QT.NV.02", "2. Cử cán bộ đi công tác", catalog_code=None),
        _proc("QT.GĐ.01"),
    )
    register_document(
        store, _doc("int1", procedures=procs, catalog=(internal_row, grouped_row, ordinary_row))
    )
    flags = {p.code: p.internal for p in store.procedures()}
    assert flags == {"QT.NV.01": True, "QT.NV.02": True, "QT.GĐ.01": False}
    # No catalog at all: the decision's title decides; "quy trình nội bộ" alone is not a TTHC nội bộ.
    titled = dataclasses.replace(
        _doc(
            "int2", number="7/QĐ-UBND", procedures=(_proc("QT.X.01", "Thẩm định đề án", catalog_code=None),)
        ),
        title="Công bố thủ tục hành chính nội bộ trong hệ thống hành chính nhà nước",
    )
    plain = dataclasses.replace(
        _doc("int3", number="8/QĐ-UBND", procedures=(_proc("QT.X.02", "Cấp phép", catalog_code=None),)),
        title="Phê duyệt quy trình nội bộ giải quyết thủ tục hành chính lĩnh vực y tế",
    )
    register_document(store, titled)
    register_document(store, plain)
    assert find_procedure(store, "QT.X.01").internal and not find_procedure(store, "QT.X.02").internal


@pytest.mark.parametrize(
    ("catalog_name", "process_name"),
    [
        ("Thủ tục cho phép tổ chức hội nghị quốc tế", "Cho phép tổ chức hội nghị quốc tế"),
        ("Cho phép tổ chức hội nghị quốc tế", "Thủ tục cho phép tổ chức hội nghị quốc tế"),
        (
            "1. TTHC cho phép tổ chức hội nghị quốc tế.",
            "Thủ tục hành chính: Cho phép tổ chức hội nghị quốc tế",
        ),
        ("Phê duyệt danh sách giai đoạn 2026-2030", "Phê duyệt danh sách giai đoạn 2026 - 2030"),
    ],
)
def test_issue_catalog_links_by_name_ignoring_thu_tuc_and_numbering(
    store: Store, catalog_name: str, process_name: str
) -> None:
    other = _doc("other-doc", number="9/QĐ-UBND", procedures=(_proc(None, process_name, catalog_code=None),))
    register_document(store, other)
    register_document(store, _doc("cat-doc", number="10/QĐ-UBND", catalog=(CatalogEntry(name=catalog_name),)))
    (entry,) = catalog_entries(store)
    assert entry.procedure_id == find_procedure(store, process_name).id


def test_issue_user_alias_wins_over_the_parsers_resolution(store: Store) -> None:
    """The parser may resolve "TN&TKQ" to "Bộ phận Một cửa": a user alias of that name still applies."""
    store.add_unit_alias("Bộ phận  Một cửa", "Bộ phận Tiếp nhận và Trả kết quả")
    register_document(store, _doc("alias-doc", procedures=(_proc(),)))
    units = find_procedure(store, "QT.GĐ.01").units
    assert "Bộ phận Tiếp nhận và Trả kết quả" in units and "Bộ phận Một cửa" not in units


def test_issue_same_decision_in_two_formats_is_one_publication(store: Store) -> None:
    register_document(store, _doc("as-docx", procedures=(_proc(),)))
    pdf = dataclasses.replace(_doc("as-pdf", procedures=(_proc(),)), path="/tmp/as-pdf.pdf", format="pdf")
    register_document(store, pdf)
    record = find_procedure(store, "QT.GĐ.01")
    assert [e.kind for e in record.events] == ["published"]
    # read slightly differently from the other file: still not a second version of the same decision
    reread = dataclasses.replace(_doc("as-pdf2", procedures=(_proc(forms=("Mẫu 01",)),)), path="/x.pdf")
    register_document(store, reread)
    assert [v.version for v in store.procedure_versions(record.key)] == [1]


def test_issue_several_partial_name_matches_are_listed(store: Store) -> None:
    procs = (
        _proc("QT.A.01", "Phê duyệt danh sách xã"),
        _proc("QT.A.02", "Phê duyệt danh sách xã (trường hợp 2)"),
    )
    register_document(store, _doc("two", procedures=procs))
    with pytest.raises(NotFound, match=r"2 procedures match .*QT.A.01.*QT.A.02.*give the id"):
        find_procedure(store, "phe duyet danh sach")


def test_issue_unknown_unit_merge_suggests(store: Store) -> None:
    register_document(store, _doc("u", procedures=(_proc(),)))
    with pytest.raises(NotFound, match="did you mean: Văn thư"):
        store.merge_units("Van thuu", "Văn thư Sở")


def test_issue_symbols_stored_and_read_without_creating(tmp_path: Path) -> None:
    from procreg.registry.store import read_symbols

    db = tmp_path / "home" / "registry.db"
    assert read_symbols(db) == {} and not db.parent.exists()
    with Store.open(db) as s:
        assert s.add_symbol(" SNgV ", "Sở  Ngoại vụ") is True
        assert s.add_symbol("SNgV", "Sở Ngoại vụ tỉnh Hà Tĩnh") is False
        s.remove_symbol("SNgV")
        with pytest.raises(NotFound):
            s.remove_symbol("SNgV")
        s.add_symbol("TTPVHCC", "Trung tâm Phục vụ hành chính công")
    assert read_symbols(db) == {"TTPVHCC": "Trung tâm Phục vụ hành chính công"}


def test_issue_unit_filter_ignores_punctuation(store: Store) -> None:
    steps = (
        Step(order=1, label="B1", text="Thẩm định", responsible=("Văn phòng - Thanh tra Sở",), hours=8.0),
    )
    register_document(store, _doc("vp", procedures=(_proc(steps=steps),)))
    assert [p.code for p in store.procedures(unit="van phong thanh tra")] == ["QT.GĐ.01"]
    assert [p.code for p in store.procedures(field="giam dinh tu")] == ["QT.GĐ.01"]
    assert store.procedures(unit="thanh tra bo") == []


def test_issue_name_key_ignores_a_leading_thu_tuc(store: Store) -> None:
    first = _proc(None, "Thủ tục thẩm định đề án", catalog_code=None)
    later = _proc(None, "Thẩm định đề án", catalog_code=None, time_limit="10 ngày")
    register_document(store, _doc("k1", number="1/QĐ-UBND", issued_on="2025-01-01", procedures=(first,)))
    register_document(store, _doc("k2", number="2/QĐ-UBND", issued_on="2025-06-01", procedures=(later,)))
    current = find_procedure(store, "tham dinh de an")
    assert current.version == 2 and current.time_limit == "10 ngày"
    assert [v.status for v in store.procedure_versions(current.key)] == ["superseded", "active"]


def test_issue_13_schema_3_registry_is_migrated_to_renderings_chain_and_unit_keys(tmp_path: Path) -> None:
    """A registry written by schema 3 opens as schema 4 (and on): its events hashed and chained in order, each
    document its own first rendering with its identity, units that differ in case or dash merged."""
    from procreg.registry.store.schema import MIGRATIONS, split_script

    db = tmp_path / "registry.db"
    conn = sqlite3.connect(db, isolation_level=None)
    for script in MIGRATIONS[:3]:
        for statement in split_script(script):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 3")
    conn.execute(
        "INSERT INTO documents (id, path, sha256, format, kind, number, issued_on, title) VALUES "
        "(1, '/tmp/a.txt', 'aa', 'txt', 'decision', '45/QĐ-SNgV', '2023-03-15', 'Công bố quy trình nội bộ')"
    )
    conn.execute(
        "INSERT INTO procedures (id, key, version, name, name_folded, content_hash, document_id, position) "
        "VALUES (1, 'QT.NV.01', 1, 'Cho phép tổ chức hội nghị', 'cho phep to chuc hoi nghi', 'h', 1, 1)"
    )
    conn.execute(
        "INSERT INTO steps (id, procedure_id, ord, label, text) VALUES "
        "(1, 1, 1, 'B1', 'a'), (2, 1, 2, 'B2', 'b')"
    )
    conn.execute(
        "INSERT INTO units (id, name, name_folded) VALUES "
        "(1, 'Văn phòng - Thanh tra Sở', 'van phong - thanh tra so'), "
        "(2, 'Văn phòng – Thanh tra Sở.', 'van phong – thanh tra so.')"
    )
    conn.execute("INSERT INTO step_units (step_id, unit_id, position) VALUES (1, 1, 1), (2, 2, 1)")
    conn.execute(
        "INSERT INTO events (procedure_id, kind, on_date, by, evidence, document_id) VALUES "
        "(1, 'published', '2023-03-15', 'Sở Ngoại vụ', '45/QĐ-SNgV', 1), "
        "(1, 'reviewed', '2023-07-20', 'Văn phòng Sở', NULL, NULL), "
        "(1, 'publicized', '2023-07-21', NULL, 'https://songoaivu.hatinh.gov.vn', NULL)"
    )
    conn.close()
    with Store.open(db) as s:
        state = s.chain_state()
        assert state.sound and (state.events, state.last_id) == (3, 3)
        assert s.trigger_problems() == [] and s.integrity_incidents() == []
        events = find_procedure(s, "QT.NV.01").events
        assert [(e.id, e.kind, e.origin) for e in events] == [
            (1, "published", "ingest"),
            (2, "reviewed", "user"),
            (3, "publicized", "user"),
        ]
        assert s.renderings(1) == [("/tmp/a.txt", "txt", "aa")] and s.document_id("aa") == 1
        assert [d.id for d in s.documents_with_identity("no:45/QD-SNGV|2023-03-15")] == [1]
        assert [u.name for u in s.units()] == ["Văn phòng - Thanh tra Sở"]
        assert find_procedure(s, "QT.NV.01").units == ("Văn phòng - Thanh tra Sở",)
        s.add_event(1, Event(kind="reviewed", on="2023-08-01"))
        assert s.chain_state().sound and s.chain_state().events == 4
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 4
    conn.close()


def test_issue_13_units_that_differ_in_case_dash_or_full_stop_are_one_row(store: Store) -> None:
    steps = tuple(
        Step(order=n, label=f"B{n}", text="x", responsible=(who,))
        for n, who in enumerate(
            (
                "Chủ tịch Ủy ban nhân dân tỉnh",
                "Chủ tịch ủy ban nhân dân tỉnh",
                "Chủ tịch Ủy ban nhân dân tỉnh.",
                "Văn phòng - Thanh tra Sở",
                "Văn phòng–Thanh tra Sở",
            ),
            1,
        )
    )
    register_document(store, _doc("a" * 64, procedures=(_proc(steps=steps),)))
    assert [(u.name, u.steps) for u in store.units()] == [
        ("Chủ tịch Ủy ban nhân dân tỉnh", 3),
        ("Văn phòng - Thanh tra Sở", 2),
    ]
    # Merging a unit into a respelling of itself moves nothing and keeps the spelling asked for.
    assert store.merge_units("chủ tịch ủy ban nhân dân tỉnh", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH") == 0
    assert [u.name for u in store.units()] == ["CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH", "Văn phòng - Thanh tra Sở"]
