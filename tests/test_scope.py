"""The audit's scope rules on small literal records: owner unit, candidates, catalog rows, filters."""

from __future__ import annotations

from typing import Any

import pytest

from procreg.procedures.scope import (
    UNKNOWN_UNIT,
    Candidate,
    gather_candidates,
    keep,
    matches_filter,
    no_match_message,
    owner_unit,
    registered_on,
    row_in_scope,
    row_is_tthc_internal,
    same_document_process,
    where_of,
)
from procreg.registry.models import (
    CatalogEntry,
    CatalogRecord,
    DocumentRecord,
    Event,
    ProcedureRecord,
    SourceRef,
    Step,
)


def _proc(id_: int, key: str, **kw: Any) -> ProcedureRecord:
    base: dict[str, Any] = dict(
        id=id_, key=key, code=key, catalog_code=None, name=f"Quy trình {key}", field="Ngoại vụ", version=1
    )
    base.setdefault("status", "active")
    return ProcedureRecord(**{**base, **kw})


def _doc(id_: int, title: str, kind: str = "decision", **kw: Any) -> DocumentRecord:
    base: dict[str, Any] = dict(
        id=id_,
        path=f"/x/{id_}.txt",
        sha256="0",
        format="txt",
        kind=kind,
        number=f"{id_}/QĐ-SNgV",
        issued_on="2023-03-15",
        issuer="Sở Ngoại vụ",
        title=title,
    )
    return DocumentRecord(**{**base, **kw})


def _row(id_: int, name: str, doc: int, **kw: Any) -> CatalogRecord:
    entry = CatalogEntry(name=name, **kw.pop("entry", {}))
    kw.setdefault("document_date", None)
    return CatalogRecord(id=id_, entry=entry, document_id=doc, document_number=f"{doc}/QĐ-SNgV", **kw)


def _step(order: int, unit: str, hours: float | None) -> Step:
    return Step(order=order, label=f"B{order}", text="...", responsible=(unit,), hours=hours)


def test_owner_is_the_specific_unit_with_most_hours_generic_roles_never_own() -> None:
    p = _proc(
        1,
        "QT.1",
        steps=(
            _step(1, "Văn thư", 8),
            _step(2, "Phòng Hợp tác quốc tế", 4),
            _step(3, "Lãnh đạo Sở", 16),
            _step(4, "Phòng Lãnh sự", 4),
        ),
    )
    assert owner_unit(p) == "Phòng Hợp tác quốc tế"  # a tie goes to the unit named first
    generic = _proc(2, "QT.2", steps=(_step(1, "Văn thư", 8),), issuer="Sở Ngoại vụ")
    assert owner_unit(generic) == "Sở Ngoại vụ"
    assert owner_unit(_proc(3, "QT.3", steps=(_step(1, "Lãnh đạo Sở", 1),))) == "Lãnh đạo Sở"
    assert owner_unit(_proc(4, "QT.4")) == UNKNOWN_UNIT


def test_where_of_and_registered_on() -> None:
    assert where_of(SourceRef(path="a", page=3, para=14)) == "trang 3, đoạn 14"
    assert where_of(SourceRef(path="a", para=14)) == "đoạn 14"
    assert where_of(SourceRef(path="a", page=3)) == "trang 3"
    assert where_of(SourceRef(path="a")) is None and where_of(None) is None
    c = Candidate(key="k", code=None, name="n", unit="u", dates=["2023-04-01", "2023-03-01"])
    assert registered_on(c) == "2023-03-01"
    assert (
        registered_on(Candidate(key="k", code=None, name="n", unit="u", event_dates=["2023-05-02"]))
        == "2023-05-02"
    )


def test_catalog_row_rules() -> None:
    internal_row = _row(1, "Cấp giấy", 9, entry={"internal": True})
    grouped = _row(2, "Cấp giấy", 9, entry={"group": "Thủ tục hành chính nội bộ cấp tỉnh"})
    plain = _row(3, "Cấp giấy", 9)
    assert row_is_tthc_internal(internal_row, "", set()) and row_is_tthc_internal(grouped, "", set())
    assert not row_is_tthc_internal(plain, "cong bo danh muc", set())
    assert row_is_tthc_internal(plain, "", {9})  # the decision's processes are flagged internal
    assert row_is_tthc_internal(plain, "cong bo thu tuc hanh chinh noi bo", set())
    assert row_in_scope(False, "cong bo danh muc va quy trinh noi bo", with_processes=False)
    assert row_in_scope(False, "", with_processes=True)
    assert not row_in_scope(False, "cong bo danh muc", with_processes=False)


def test_same_document_process_links_only_an_unambiguous_name() -> None:
    p1 = _proc(1, "QT.1", name="Cho phép tổ chức hội nghị quốc tế", document_id=5)
    p2 = _proc(2, "QT.2", name="Cử cán bộ đi công tác nước ngoài", document_id=5)
    row = _row(1, "Thủ tục cho phép tổ chức hội nghị quốc tế", 5)
    assert same_document_process(row, {5: [p1, p2]}) == "QT.1"
    assert same_document_process(row, {6: [p1]}) is None
    vague = _row(2, "quốc tế", 5)
    twins = _proc(3, "QT.3", name="Hợp tác quốc tế", document_id=5)
    assert same_document_process(vague, {5: [p1, twins]}) is None


def test_gather_merges_versions_links_rows_and_keeps_orphan_rows() -> None:
    old = _proc(1, "QT.1", status="superseded", document_id=1, document_date="2022-01-10")
    new = _proc(
        2,
        "QT.1",
        document_id=2,
        document_date="2023-03-15",
        events=(Event(kind="reviewed", on="2023-06-01"), Event(kind="ingested", on="2023-03-16")),
    )
    docs = {1: _doc(1, "Công bố"), 2: _doc(2, "Công bố danh mục và quy trình nội bộ"), 3: _doc(3, "Công bố")}
    linked = _row(1, "Quy trình QT.1", 2, procedure_id=2, entry={"source": SourceRef(path="x", para=7)})
    orphan = _row(2, "Cấp thị thực", 3, entry={"internal": True, "agency": "Phòng Lãnh sự"})
    out_of_scope = _row(3, "Cấp phép", 3, entry={"field": "Khác"})
    gone = _row(4, "Cũ", 3, status="superseded")
    got = {c.key: c for c in gather_candidates([old, new], [linked, orphan, out_of_scope, gone], docs)}
    assert sorted(got) == ["QT.1", "cat:cap phep|khac", "cat:cap thi thuc|"]
    qt = got["QT.1"]
    assert qt.catalog and qt.process and qt.doc_ids == {1, 2}
    assert qt.where_in == {2: "đoạn 7"} and qt.dates == ["2022-01-10", "2023-03-15"]
    assert qt.event_dates == ["2023-06-01"]  # ingest events do not date a registration
    row = got["cat:cap thi thuc|"]
    assert row.internal and row.tthc_internal and row.unit == "Phòng Lãnh sự" and not row.process
    assert not got["cat:cap phep|khac"].internal  # neither internal nor published with its process


def test_abolished_item_ends_on_its_event() -> None:
    p = _proc(1, "QT.1", status="abolished", events=(Event(kind="abolished", on="2023-09-01"),))
    (c,) = gather_candidates([p], [], {})
    assert c.status == "abolished" and c.status_on == "2023-09-01"


def test_filters_and_the_no_match_message() -> None:
    a = Candidate(key="a", code=None, name="A", unit="Phòng Hợp tác quốc tế", field="Hội nghị", issuer="Sở")
    assert matches_filter("Phòng Hợp tác quốc tế", "hop tac") and matches_filter(None, None)
    assert not matches_filter(None, "x")
    assert keep(a, "HỢP TÁC", "hoi nghi", None) and not keep(a, "lanh su", None, None)
    message = no_match_message([a], unit="lanh su", field=None, issuer=None)
    assert message == "--unit 'lanh su' matches no procedure in the registry (known: Phòng Hợp tác quốc tế)"
    together = no_match_message([a], unit="hop tac", field="khac", issuer=None)
    assert together.startswith("--field 'khac'")


@pytest.mark.parametrize("wanted", ["", None])
def test_an_empty_filter_keeps_everything(wanted: str | None) -> None:
    assert matches_filter("x", wanted) and matches_filter(None, wanted)


def test_issue_13_handles_name_each_item_alone() -> None:
    from procreg.procedures.scope import assign_handles

    def process(key: str, code: str | None, pid: int, national: str | None = None) -> Candidate:
        return Candidate(
            key=key, code=code, name=key, unit="u", process=True, procedure_id=pid, catalog_code=national
        )

    def entry(key: str, code: str | None, cid: int) -> Candidate:
        return Candidate(key=key, code=code, name=key, unit="u", catalog=True, catalog_id=cid)

    items = [
        process("QT.NV.01", "QT.NV.01", 1),
        process("QT.NV.05", "QT.NV.05", 5),  # two processes of one code: each by its id
        process("QT.NV.05#2", "QT.NV.05", 6),
        process("1.013871@ubnd", None, 8, national="1.013871"),  # no QT code: its national code
        process("name:cap phep", None, 9),  # no code at all
        entry("cat:2.000884", "2.000884", 40),
        entry("cat:1.013871", "1.013871", 41),  # a process answers to that code first
        entry("cat:don tiep|", None, 42),
    ]
    assign_handles(items)
    assert [c.handle for c in items] == [
        "QT.NV.01",
        "#5",
        "#6",
        "1.013871",
        "#9",
        "2.000884",
        "#DM41",
        "#DM42",
    ]


def test_issue_13_catalog_events_count_for_the_entry_and_undone_ones_do_not() -> None:
    doc = _doc(1, "Công bố danh mục và quy trình nội bộ")
    review = Event(kind="reviewed", on="2023-08-01", id=5)
    wrong = Event(kind="publicized", on="2023-08-02", id=6)
    cancel = Event(kind="cancelled", on="2023-08-03", cancels=6, id=7)
    rows = [
        _row(40, "Thẩm định hồ sơ ABTC", 1, entry={"code": "2.000884"}, events=(review, wrong, cancel)),
    ]
    (c,) = gather_candidates([], rows, {1: doc})
    assert c.catalog_id == 40 and not c.process
    assert [e.id for e in c.events] == [5, 6, 7]
    from procreg.procedures.scope import live_events

    assert [e.kind for e in live_events(c.events)] == ["reviewed"]
