"""The identity rules on small literal records: keys, versions, catalog links, abolition, supersession."""

from __future__ import annotations

import dataclasses

import pytest

from procreg.procedures import identity
from procreg.registry.models import (
    CatalogEntry,
    CatalogRow,
    Event,
    ParsedDocument,
    Procedure,
    ProcedureRow,
    Signer,
    SourceRef,
    Step,
)

HA_TINH = "UBND tỉnh Hà Tĩnh"


def _decision(**kw: object) -> ParsedDocument:
    base = ParsedDocument(
        path="/docs/qd.docx",
        format="docx",
        sha256="x",
        kind="decision",
        number="3005/QĐ-UBND",
        issued_on="2025-12-01",
        issuer=HA_TINH,
        signer=Signer(name="Trần Báu Hà", position="Phó Chủ tịch"),
    )
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


def _row(id: int, **kw: object) -> ProcedureRow:  # noqa: A002 - the record's name
    base = ProcedureRow(
        id=id,
        key="QT.GĐ.01",
        version=1,
        status="active",
        supersedes_id=None,
        code="QT.GĐ.01",
        catalog_code=None,
        name="Cấp phép",
        name_folded="cap phep",
        document_id=1,
        document_path="/docs/a.docx",
        document_number="1/QĐ-UBND",
        document_date="2025-01-01",
        issuer=HA_TINH,
    )
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


def _cat(id: int, **kw: object) -> CatalogRow:  # noqa: A002 - the record's name
    base = CatalogRow(
        id=id,
        status="active",
        code=None,
        name="Cấp phép",
        name_folded="cap phep",
        document_id=1,
        document_number="1/QĐ-UBND",
        document_date="2025-01-01",
        issuer=HA_TINH,
    )
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------
# Keys.


def test_code_key_drops_spaces_and_keeps_accents() -> None:
    assert identity.code_key(" qt. gđ.01 ") == "QT.GĐ.01"
    assert identity.code_key("QT.GD.01") != identity.code_key("QT.GĐ.01")


def test_issuer_key_shortens_the_long_form_of_ubnd() -> None:
    assert identity.issuer_key("Ủy ban nhân dân  tỉnh Hà Tĩnh") == "ubnd tinh ha tinh"
    assert identity.issuer_key(None) == ""


@pytest.mark.parametrize(
    ("name", "bare"),
    [
        ("1. Thủ tục cấp phép X.", "cap phep x"),
        ("Thủ tục hành chính: Cấp phép X", "cap phep x"),
        ("a) TTHC nội bộ cấp phép X", "cap phep x"),
        ("Quy trình nội bộ cấp phép X", "cap phep x"),
        ("Giai đoạn 2026 – 2030", "giai doan 2026-2030"),
        ("Thủ tục", "thu tuc"),  # nothing would be left: the words stay
    ],
)
def test_link_name_strips_numbering_leading_words_and_punctuation(name: str, bare: str) -> None:
    assert identity.link_name(name) == bare


def test_procedure_key_prefers_qt_code_then_national_code_at_issuer_then_name() -> None:
    proc = Procedure(name="Thủ tục cấp phép", code="QT.GĐ.01", catalog_code="1.013871", field="Y tế")
    assert identity.procedure_key(proc, HA_TINH) == "QT.GĐ.01"
    national = dataclasses.replace(proc, code=None)
    assert identity.procedure_key(national, HA_TINH) == "1.013871@ubnd tinh ha tinh"
    assert identity.procedure_key(national, None) == "1.013871"
    named = dataclasses.replace(national, catalog_code=" ")
    assert identity.procedure_key(named, HA_TINH) == "name:cap phep|y te|ubnd tinh ha tinh"


def test_document_keys_number_the_repeats() -> None:
    a = Procedure(name="Cấp phép", catalog_code="1.0001")
    b = Procedure(name="Cấp phép (điện tử)", catalog_code="1.0001")
    c = Procedure(name="Khác", code="QT.01")
    assert identity.document_keys([a, b, c, a], None) == ["1.0001", "1.0001#2", "QT.01", "1.0001#3"]


def test_content_hash_ignores_where_it_was_found() -> None:
    step = Step(order=1, label="B1", text="Tiếp nhận", hours=4.0)
    proc = Procedure(name="Cấp phép", steps=(step,))
    placed = dataclasses.replace(
        proc,
        source=SourceRef(path="/a.pdf", page=3),
        warnings=("bảng bị cắt",),
        steps=(dataclasses.replace(step, source=SourceRef(path="/a.pdf", page=4)),),
    )
    assert identity.content_hash(proc) == identity.content_hash(placed)
    longer = dataclasses.replace(proc, steps=(dataclasses.replace(step, hours=8.0),))
    assert identity.content_hash(proc) != identity.content_hash(longer)


# --------------------------------------------------------------------------------------------------
# The internal flag and catalog links.


def test_is_internal_from_the_matching_row_its_group_or_the_title() -> None:
    proc = Procedure(name="2. Cử cán bộ đi công tác")
    flagged = CatalogEntry(name="Thủ tục cử cán bộ đi công tác", internal=True)
    grouped = CatalogEntry(name="Cử cán bộ đi công tác", group="Thủ tục hành chính nội bộ cấp tỉnh")
    ordinary = CatalogEntry(name="Cử cán bộ đi công tác")
    other = CatalogEntry(name="Việc khác", internal=True)
    assert identity.is_internal(proc, [flagged], None)
    assert identity.is_internal(proc, [grouped], None)
    assert not identity.is_internal(proc, [ordinary, other], "Công bố thủ tục hành chính nội bộ")
    assert identity.is_internal(proc, [other], None)  # no row of its own: every row is internal
    assert identity.is_internal(proc, [], "Công bố thủ tục hành chính nội bộ")
    assert not identity.is_internal(proc, [], "Phê duyệt quy trình nội bộ giải quyết TTHC")


def test_is_internal_matches_by_code_and_by_qualified_name() -> None:
    coded = Procedure(name="Tên khác hẳn", catalog_code="1.0001")
    assert identity.is_internal(coded, [CatalogEntry(name="Cấp phép", code="1.0001", internal=True)], None)
    qualified = Procedure(name="Cấp phép (Trường hợp cấp lại)")
    assert identity.is_internal(qualified, [CatalogEntry(name="Cấp phép", internal=True)], None)


def test_catalog_links_prefer_the_same_document() -> None:
    links = identity.CatalogLinks(
        [
            _row(1, document_id=1, catalog_code="1.0001", name_folded="ten khac"),
            _row(2, document_id=2, catalog_code="1.0001", name_folded="cap phep"),
            _row(3, document_id=3, name_folded="cong nhan ket qua (truong hop nhom iii)"),
        ]
    )
    assert links.find(_cat(10, document_id=1, code="1.0001")) == 1  # same document, by code
    assert links.find(_cat(11, document_id=2, name_folded="thu tuc cap phep")) == 2  # same document, by name
    assert links.find(_cat(12, document_id=3, name_folded="cong nhan ket qua")) == 3  # qualified process
    assert links.find(_cat(13, document_id=9, code="1.0001")) == 2  # elsewhere: the later process
    assert links.find(_cat(14, document_id=9, name_folded="cap phep")) == 2  # elsewhere, by name
    assert links.find(_cat(15, document_id=9, name_folded="khong co")) is None


# --------------------------------------------------------------------------------------------------
# Events a decision brings.


def test_publisher_and_the_published_event() -> None:
    parsed = _decision()
    by, note = identity.publisher(parsed)
    assert (by, note) == (HA_TINH, "Người ký: Trần Báu Hà (Phó Chủ tịch)")
    assert identity.publisher(_decision(issuer=None, signer=Signer(name="A"))) == ("A", "Người ký: A")
    assert identity.published_event(parsed, by, note) == Event(
        kind="published", on="2025-12-01", by=HA_TINH, evidence="3005/QĐ-UBND", note=note
    )
    assert identity.abolished_event(parsed, by, None).kind == "abolished"


def test_already_published_compares_decision_numbers_as_codes() -> None:
    assert identity.already_published(["3005/QĐ- UBND", None], "3005/QĐ-UBND")
    assert not identity.already_published(["3006/QĐ-UBND"], "3005/QĐ-UBND")
    assert not identity.already_published(["3005/QĐ-UBND"], None)


def test_document_identity_is_number_and_date_else_the_text() -> None:
    """Issue 13: one document per decision, whatever the file; QD = QĐ, spaces do not count."""
    key = identity.document_identity("3005/QĐ-UBND", "2025-12-01", "toàn văn")
    assert identity.document_identity("3005/QD- UBND", "2025-12-01", "another reading") == key
    assert identity.document_identity("3005/QĐ-UBND", "2025-12-02", "toàn văn") != key
    assert identity.document_identity("3006/QĐ-UBND", "2025-12-01", "toàn văn") != key
    # A number without a date recurs every year (01/KH-SNgV): the text decides then.
    assert identity.document_identity("01/KH-SNgV", None, "kế hoạch 2023").startswith("text:")
    assert identity.document_identity("01/KH-SNgV", None, "kế hoạch 2023") != identity.document_identity(
        "01/KH-SNgV", None, "kế hoạch 2024"
    )
    # Without a number: the text, whitespace and punctuation aside.
    draft = identity.document_identity(None, None, "Dự thảo quy trình.\nBước 1: tiếp nhận")
    assert identity.document_identity("", None, "Dự thảo quy trình Bước 1 - tiếp nhận") == draft
    assert identity.document_identity(None, None, "Dự thảo quy trình Bước 2: tiếp nhận") != draft


def test_same_issuer_compares_keys_and_lets_an_unread_issuer_match() -> None:
    assert identity.same_issuer("Ủy ban nhân dân tỉnh Hà Tĩnh", "UBND TỈNH HÀ TĨNH")
    assert identity.same_issuer(None, "UBND tỉnh Hà Tĩnh")
    assert not identity.same_issuer("UBND tỉnh Nghệ An", "UBND tỉnh Hà Tĩnh")


def _steps(*texts: tuple[str, str]) -> tuple[Step, ...]:
    return tuple(
        Step(order=n, label=f"B{n}", text=t, duration_text=d, hours=float(d.split()[0].replace(",", ".")) * 8)
        for n, (t, d) in enumerate(texts, 1)
    )


def test_procedure_changes_ignore_rendering_noise_and_name_each_change() -> None:
    old = Procedure(
        name="Cấp phép hội nghị",
        code="QT.NV.01",
        steps=_steps(
            ("Tiếp nhận hồ sơ tại https://motcua.hatinh.gov.vn.", "0,5 ngày"), ("Thẩm định", "3 ngày")
        ),
    )
    pdf = dataclasses.replace(
        old,
        steps=_steps(
            ("Tiếp nhận hồ sơ tại https://motcua.hati nh.gov.vn", "0,5 ngày"), ("Thẩm  định", "3 ngày")
        ),
    )
    assert identity.procedure_changes(old, pdf) == ()
    edited = dataclasses.replace(
        old,
        steps=_steps(
            ("Tiếp nhận hồ sơ tại https://motcua.hatinh.gov.vn.", "0,5 ngày"), ("Thẩm định", "2 ngày")
        ),
    )
    assert identity.procedure_changes(old, edited) == ("bước B2: thời gian “3 ngày” → “2 ngày”",)
    reworded = dataclasses.replace(
        old, steps=_steps(("Tiếp nhận hồ sơ qua bưu chính", "0,5 ngày"), ("Thẩm định", "3 ngày"))
    )
    assert identity.procedure_changes(old, reworded) == (
        "bước B1: nội dung “Tiếp nhận hồ sơ tại https://motcua.hati…” → “Tiếp nhận hồ sơ qua bưu chính”",
    )
    # A reading cut short (a cell broken at a page break, the last step lost) is no change of content.
    short = dataclasses.replace(old, steps=_steps(("Tiếp nhận hồ sơ tại https://motcua", "0,5 ngày")))
    assert identity.procedure_changes(old, short) == ()
    assert [changes for _, changes in identity.procedure_differences(old, short)] == [False, False]


def test_plan_copy_sorts_same_changed_added_and_unmatched() -> None:
    one = Procedure(name="Cấp phép hội nghị", code="QT.NV.01", steps=_steps(("Thẩm định", "3 ngày")))
    two = Procedure(name="Cử cán bộ đi công tác", code="QT.NV.02", steps=_steps(("Xét duyệt", "1 ngày")))
    registered = {"QT.NV.01": (11, one), "QT.NV.02": (12, two)}
    changed = dataclasses.replace(two, steps=_steps(("Xét duyệt", "2 ngày")))
    plan = identity.plan_copy([one, changed], ["QT.NV.01", "QT.NV.02"], registered, [], [])
    assert plan.same == 1 and list(plan.changed) == [1] and plan.changed[1][0] == 12
    assert not plan.is_rendering
    same = identity.plan_copy([one, two], ["QT.NV.01", "QT.NV.02"], registered, [], [])
    assert same.is_rendering and same.same == 2 and not (same.missing or same.unmatched)
    # A procedure the registered text lacks is taken when nothing registered is left over...
    three = Procedure(name="Đón khách nước ngoài", code="QT.NV.03")
    more = identity.plan_copy([one, two, three], ["QT.NV.01", "QT.NV.02", "QT.NV.03"], registered, [], [])
    assert more.added == (2,) and not more.is_rendering
    # ...but named and left out when registered ones are unmatched too (which is which cannot be told).
    odd = identity.plan_copy([one, three], ["QT.NV.01", "QT.NV.03"], registered, [], [])
    assert odd.added == () and odd.unmatched == ("Đón khách nước ngoài",)
    assert odd.missing == ("Cử cán bộ đi công tác",) and odd.is_rendering
    # A key read differently (another issuer reading) still pairs by the same code.
    rekeyed = identity.plan_copy([one, two], ["QT.NV.01", "name:cu can bo"], registered, [], [])
    assert rekeyed.is_rendering and rekeyed.same == 2


# --------------------------------------------------------------------------------------------------
# Versions.


def test_order_versions_by_document_date_then_arrival() -> None:
    newer = _row(1, document_date="2026-01-05", document_number="3100/QĐ-UBND")
    older = _row(2, version=2, document_date="2025-12-01", document_number="3005/QĐ-UBND")
    plan = identity.order_versions([newer, older], _decision(), "UBND")
    assert plan.events == (
        (
            2,
            Event(
                kind="superseded",
                on="2026-01-05",
                by=HA_TINH,
                evidence="3100/QĐ-UBND",
                note="thay bằng phiên bản 2",
            ),
        ),
    )
    assert plan.changes == (
        identity.VersionChange(2, 1, "superseded", None),
        identity.VersionChange(1, 2, "active", 2),
    )


def test_order_versions_keeps_withdrawn_and_undated_last() -> None:
    first = _row(1, status="withdrawn")
    undated = _row(2, version=2, document_date=None, document_number=None, issuer=None, supersedes_id=1)
    plan = identity.order_versions([first, undated], _decision(issued_on="2026-03-03"), "Sở")
    assert plan.events == ()  # a withdrawn version is not superseded
    assert plan.changes == ()  # already in order


def test_order_versions_uses_the_document_when_the_newer_is_undated() -> None:
    first = _row(1)
    undated = _row(2, version=2, document_date=None, document_number=None, issuer=None)
    plan = identity.order_versions([first, undated], _decision(issued_on="2026-03-03"), "Sở")
    ((pid, event),) = plan.events
    assert (pid, event.on, event.by, event.evidence) == (1, "2026-03-03", "Sở", None)


# --------------------------------------------------------------------------------------------------
# Abolition and catalog supersession.


def test_entry_abolishes_by_its_own_word_or_its_decisions() -> None:
    assert identity.entry_abolishes(CatalogEntry(name="X", change="abolished"), None)
    assert identity.entry_abolishes(CatalogEntry(name="X"), "abolished")
    assert not identity.entry_abolishes(CatalogEntry(name="X", change="new"), "abolished")
    assert not identity.entry_abolishes(CatalogEntry(name="X"), "new")


def test_abolition_by_code_anywhere_by_name_within_the_issuer() -> None:
    rows = [
        _row(1, catalog_code="1.0001", name_folded="ten khac", issuer="UBND tỉnh Nghệ An"),
        _row(2, name_folded="thu tuc cap phep"),
        _row(3, name_folded="cap phep", issuer="UBND tỉnh Nghệ An"),
        _row(4, name_folded="cap phep", issuer=None),
    ]
    by_code = CatalogEntry(name="Bất kỳ", code="1.0001")
    assert identity.abolished_procedures(by_code, HA_TINH, rows) == [1]
    by_name = CatalogEntry(name="Cấp phép")
    assert identity.abolished_procedures(by_name, "Ủy ban nhân dân tỉnh Hà Tĩnh", rows) == [2, 4]
    assert identity.abolished_procedures(by_name, None, rows) == [2, 3, 4]
    cats = [_cat(7, code="1.0001", name_folded="khac"), _cat(8, issuer="UBND tỉnh Nghệ An")]
    assert identity.abolished_catalog_rows(by_code, HA_TINH, cats) == [7]
    assert identity.abolished_catalog_rows(by_name, HA_TINH, cats) == []


def test_settle_catalog_row_against_the_same_issuers_rows() -> None:
    entry = CatalogEntry(name="Cấp phép", code="1.0001")
    parsed = _decision(number="20/QĐ-UBND", issued_on="2025-06-01")
    earlier = _cat(1, code="1.0001", name_folded="khac", document_date="2025-01-01")
    later = _cat(2, document_number="30/QĐ-UBND", document_date="2025-09-01")
    elsewhere = _cat(3, issuer="UBND tỉnh Nghệ An", document_date="2025-01-01")
    same_decision = _cat(4, issuer="UBND tinh Ha Tinh (pdf)", document_number="20/QĐ-UBND")
    other_tthc = _cat(5, code="1.0002", name_folded="khac")
    settled = identity.settle_catalog_row(
        entry, parsed, [earlier, later, elsewhere, same_decision, other_tthc]
    )
    assert settled == identity.CatalogSettlement("superseded", (1, 4))
    assert identity.settle_catalog_row(entry, parsed, [earlier]) == identity.CatalogSettlement("active", (1,))
    no_issuer = _decision(issuer=None)
    assert identity.settle_catalog_row(entry, no_issuer, [earlier]) == identity.CatalogSettlement("active")
