"""The audit's evidence rules on small literal records: what proves rà soát, công bố and công khai."""

from __future__ import annotations

from typing import Any

from procreg.procedures.evidence import (
    Locator,
    article,
    document_label,
    documents_by_number,
    documents_naming,
    is_review_document,
    line_place,
    proofs,
    text_lines,
)
from procreg.procedures.scope import Candidate
from procreg.registry.models import DocumentRecord, Event


def _doc(id_: int, title: str, text: str, kind: str | None = "decision", **kw: Any) -> DocumentRecord:
    base: dict[str, Any] = dict(
        id=id_,
        path=f"/x/doc-{id_}.txt",
        sha256="0",
        format="txt",
        kind=kind,
        number=f"{id_}/QĐ-SNgV",
        issued_on=f"2023-0{id_}-10",
        issuer="Sở Ngoại vụ",
        title=title,
        text=text,
    )
    return DocumentRecord(**{**base, **kw})


DECISION = _doc(
    1,
    "Công bố danh mục và quy trình nội bộ",
    "Điều 1. Công bố kèm theo\n| 1 | QT.NV.01 | Cho phép tổ chức hội nghị |\n"
    "Điều 2. Công khai trên Cơ sở dữ liệu quốc gia về TTHC.",
    orders_publicizing="Điều 2. Công khai trên Cơ sở dữ liệu quốc gia về TTHC.",
)
REPORT = _doc(2, "Báo cáo kết quả rà soát TTHC nội bộ", "Đã rà soát:\nQT.NV.01, QT.NV.03.", kind="report")
PLAN = _doc(3, "Kế hoạch rà soát TTHC", "QT.NV.01", kind="plan")
OTHER = _doc(4, "Công bố danh mục", "Cử cán bộ đi công tác nước ngoài (đoàn ra)")
DOCS = {d.id: d for d in (DECISION, REPORT, PLAN, OTHER)}


def _item(code: str | None, name: str, **kw: Any) -> Candidate:
    return Candidate(key=code or name, code=code, name=name, unit="Phòng HTQT", **kw)


def test_review_documents_and_labels() -> None:
    assert is_review_document(REPORT) and not is_review_document(PLAN) and not is_review_document(DECISION)
    assert is_review_document(_doc(5, "Phương án đơn giản hóa TTHC", ""))
    assert document_label(DECISION) == "1/QĐ-SNgV"
    assert document_label(_doc(6, "x", "", number=None)) == "doc-6.txt"
    assert line_place(7, None, None) == "dòng 7" and line_place(7, 2, 14) == "trang 2, đoạn 14"
    assert line_place(7, 2, None) == "trang 2, dòng 7" and line_place(7, None, 14) == "đoạn 14"
    assert article(" Điều 2. Công khai") == "Điều 2" and article("Công khai") is None
    assert text_lines(REPORT) == [("da ra soat:", "dòng 1"), ("qt.nv.01, qt.nv.03.", "dòng 2")]


def test_locator_finds_codes_as_tokens_and_names_as_phrases() -> None:
    locator = Locator()
    assert locator.find(DECISION, "QT.NV.01") == "dòng 2"
    assert locator.find(DECISION, "QT.NV.0") is None  # a code is a whole token
    assert locator.find(DECISION, None, "cho phép tổ chức HỘI NGHỊ") == "dòng 2"
    assert locator.mentions(REPORT, "QT.NV.03", "whatever")
    assert not locator.mentions(REPORT, "QT.NV.02", "Đã rà soát")  # with a code, the name is not tried
    assert locator.mentions(OTHER, None, "Cử cán bộ đi công tác nước ngoài")


def test_locator_asks_for_each_document_once() -> None:
    asked: list[int] = []

    def lines_of(doc: DocumentRecord) -> list[tuple[str, str]]:
        asked.append(doc.id)
        return text_lines(doc)

    locator = Locator(lines_of)
    for code in ("QT.NV.01", "QT.NV.03", "QT.NV.09"):
        locator.find(REPORT, code)
    assert asked == [2]


def test_documents_naming_scans_review_documents_without_an_index() -> None:
    items = [_item("QT.NV.01", "A"), _item("QT.NV.02", "B")]
    assert documents_naming(items, DOCS, Locator()) == {"QT.NV.01": [2]}
    # With index hits, every hit is verified in the text: the index may only miss, never invent.
    hits = {"QT.NV.01": [1, 2, 4, 99], "QT.NV.02": [1]}
    assert documents_naming(items, DOCS, Locator(), hits) == {"QT.NV.01": [1, 2]}


def test_documents_by_number_keeps_the_latest_id() -> None:
    twin = _doc(9, "x", "", number="1/QĐ-SNgV")
    numbers = documents_by_number({1: DECISION, 9: twin})
    assert list(numbers.values()) == [twin]


def test_proofs_from_events_review_report_and_publishing_decision() -> None:
    item = _item(
        "QT.NV.01",
        "Cho phép tổ chức hội nghị",
        doc_ids={1},
        where_in={1: "trang 3, đoạn 14"},
        events=[
            Event(kind="reviewed", on="2023-07-20", by="Văn phòng"),
            Event(kind="published", on="2023-01-10", evidence="1/QĐ-SNgV"),  # a registered decision
            Event(
                kind="publicized", on="2023-05-04", where="https://so.gov.vn", evidence="https://so.gov.vn"
            ),
        ],
    )
    got = proofs(item, DOCS, documents_by_number(DOCS), [2], Locator())
    seen = {(p.verb, p.document, p.date, p.where, p.source) for p in got}
    assert seen == {
        ("reviewed", "rà soát (Văn phòng)", "2023-07-20", None, "event"),
        ("publicized", "công khai", "2023-05-04", "https://so.gov.vn", "event"),
        ("reviewed", "2/QĐ-SNgV", "2023-02-10", "dòng 2", "document"),
        ("published", "1/QĐ-SNgV", "2023-01-10", "trang 3, đoạn 14", "document"),
        ("publicized", "1/QĐ-SNgV", "2023-01-10", "dòng 3", "document"),  # the decision orders it
    }


def test_a_decision_found_by_the_index_publishes_only_when_its_title_does() -> None:
    item = _item(None, "Cử cán bộ đi công tác nước ngoài")
    got = proofs(item, DOCS, {}, [4], Locator())
    assert [(p.verb, p.document, p.where) for p in got] == [("published", "4/QĐ-SNgV", "dòng 1")]
    unlisted = _doc(5, "Quyết định giao nhiệm vụ", "Cử cán bộ đi công tác nước ngoài")
    assert proofs(item, {5: unlisted}, {}, [5], Locator()) == ()


def test_an_unregistered_published_event_is_its_own_proof() -> None:
    item = _item("QT.NV.09", "X", events=[Event(kind="published", on="2023-02-01", evidence="77/QĐ-UBND")])
    (proof,) = proofs(item, DOCS, documents_by_number(DOCS), [], Locator())
    assert (proof.verb, proof.document, proof.source) == ("published", "77/QĐ-UBND", "event")
