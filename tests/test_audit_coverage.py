"""The pure audit: scope, the three verbs with evidence, period and as-of, per-unit figures, target choice."""

from __future__ import annotations

import pytest

from procreg.procedures.audit import (
    AuditItem,
    PlanTarget,
    Proof,
    TargetRef,
    audit_coverage,
    is_internal_target,
    percent,
    period_bounds,
    select_target,
)
from procreg.registry.errors import UsageError
from procreg.registry.models import Target

T90 = TargetRef(value=90.0, source="test")


def _proofs(rev: str | None, pub: str | None, pubz: str | None, doc: str = "1/QĐ-SNgV") -> tuple[Proof, ...]:
    out = []
    if rev:
        out.append(Proof(verb="reviewed", document="sự kiện rà soát", date=rev))
    if pub:
        out.append(Proof(verb="published", document=doc, date=pub, where="đoạn 3", source="document"))
    if pubz:
        out.append(Proof(verb="publicized", document=doc, date=pubz, where="Điều 2", source="document"))
    return tuple(out)


def _item(n: int, unit: str, proofs: tuple[Proof, ...], **kw: object) -> AuditItem:
    return AuditItem(
        key=f"k{n}",
        code=f"QT.NV.{n:02d}",
        name=f"Thủ tục {n}",
        unit=unit,
        process=True,
        catalog=True,
        proofs=proofs,
        **kw,  # type: ignore[arg-type]
    )


def test_percent_rounds_half_up_on_exact_fractions() -> None:
    assert percent(37, 41) == 90.2
    assert percent(1, 8) == 12.5
    assert percent(1, 3) == 33.3
    assert percent(2, 3) == 66.7
    assert percent(1, 80) == 1.3  # 1.25 -> 1.3 (float round() would give 1.2)
    assert percent(0, 0) == 0.0


def test_period_bounds_year_half_quarter_month() -> None:
    assert period_bounds("2023") == ("2023-01-01", "2023-12-31")
    assert period_bounds("2023-H1") == ("2023-01-01", "2023-06-30")
    assert period_bounds("2023-h2") == ("2023-07-01", "2023-12-31")
    assert period_bounds("2024-Q1") == ("2024-01-01", "2024-03-31")
    assert period_bounds("2024-02") == ("2024-02-01", "2024-02-29")
    with pytest.raises(UsageError):
        period_bounds("23")


def test_covered_needs_all_three_verbs_and_missing_lists_the_rest() -> None:
    items = [
        _item(1, "Phòng A", _proofs("2023-03-01", "2023-02-01", "2023-02-01")),
        _item(2, "Phòng A", _proofs(None, "2023-02-01", "2023-02-01")),
        _item(3, "Phòng B", _proofs("2023-03-01", "2023-02-01", None)),
        _item(4, "Phòng B", _proofs("2023-03-01", None, None)),
    ]
    r = audit_coverage(items, target=T90, period_from="2023-01-01", period_to="2023-12-31")
    assert (r.coverage.covered, r.coverage.in_scope, r.coverage.percent) == (1, 4, 25.0)
    by = {
        g.name: (g.coverage.covered, g.coverage.in_scope, g.reviewed, g.published, g.publicized)
        for g in r.by_unit
    }
    assert by == {"Phòng A": (1, 2, 1, 2, 2), "Phòng B": (0, 2, 2, 1, 0)}
    missing = {i.code: i.missing for i in r.items}
    assert missing == {
        "QT.NV.01": (),
        "QT.NV.02": ("reviewed",),
        "QT.NV.03": ("publicized",),
        "QT.NV.04": ("published", "publicized"),
    }
    first = next(i for i in r.items if i.code == "QT.NV.01")
    assert [(p.verb, p.document) for p in first.evidence] == [
        ("reviewed", "sự kiện rà soát"),
        ("published", "1/QĐ-SNgV"),
        ("publicized", "1/QĐ-SNgV"),
    ]
    assert r.passed is False
    data = r.as_json()
    assert data["coverage"] == {"covered": 1, "in_scope": 4, "percent": 25.0}
    assert set(data["items"][0]) >= {
        "code",
        "name",
        "unit",
        "reviewed",
        "published",
        "publicized",
        "covered",
        "evidence",
        "missing",
    }
    assert set(data["items"][0]["evidence"][0]) >= {"verb", "document", "date", "where"}


def test_every_verb_counts_only_through_proof_dated_inside_the_period() -> None:
    """Issue 13, Build 4: the period counts by date, publication too (it used to be a state)."""
    items = [_item(1, "A", _proofs("2022-12-31", "2021-05-01", "2021-05-01"))]
    r = audit_coverage(items, target=T90, period_from="2023-01-01", period_to="2023-12-31")
    assert r.items[0].missing == ("reviewed", "published", "publicized")
    later = [_item(1, "A", _proofs("2023-06-01", "2024-01-05", "2024-01-05"))]
    r = audit_coverage(later, target=T90, period_from="2023-01-01", period_to="2023-12-31")
    assert r.items[0].missing == ("published", "publicized")
    inside = [_item(1, "A", _proofs("2023-01-01", "2023-12-31", "2023-12-31"))]  # both ends belong to it
    r = audit_coverage(inside, target=T90, period_from="2023-01-01", period_to="2023-12-31")
    assert r.items[0].covered


def test_undated_proof_is_listed_as_undated_and_never_counted() -> None:
    proofs = (
        Proof(verb="reviewed", document="sự kiện rà soát", date="2023-04-01"),
        Proof(verb="published", document="2827/QĐ-UBND", date=None, source="document"),
        Proof(verb="publicized", document="2827/QĐ-UBND", date=None, source="document"),
    )
    r = audit_coverage([_item(1, "A", proofs)], target=T90, period_from="2023-01-01", period_to="2023-12-31")
    item = r.items[0]
    assert item.missing == ("published", "publicized") and not item.covered
    assert [(p.verb, p.document) for p in item.undated] == [
        ("published", "2827/QĐ-UBND"),
        ("publicized", "2827/QĐ-UBND"),
    ]
    assert all(p.date is not None for p in item.evidence)
    assert item.as_json()["undated"][0]["date"] is None


def test_as_of_ignores_later_events_abolitions_and_registrations() -> None:
    items = [
        _item(1, "A", _proofs("2023-03-01", "2023-02-01", "2023-02-01")),
        _item(2, "A", _proofs("2023-09-01", "2023-02-01", "2023-02-01")),
        _item(
            3,
            "A",
            _proofs("2023-03-01", "2023-02-01", "2023-02-01"),
            status="abolished",
            status_on="2023-08-01",
        ),
        _item(4, "A", _proofs("2023-03-01", "2023-07-01", "2023-07-01"), registered_on="2023-07-01"),
    ]
    full = audit_coverage(items, target=T90, period_from="2023-01-01", period_to="2023-12-31")
    assert (full.coverage.covered, full.coverage.in_scope) == (3, 3)
    assert [o.reason for o in full.out_of_scope] == ["abolished"]
    mid = audit_coverage(
        items, target=T90, period_from="2023-01-01", period_to="2023-12-31", as_of="2023-06-30"
    )
    assert (mid.coverage.covered, mid.coverage.in_scope) == (2, 3)  # 3 still active then; 4 not yet known
    assert sorted(o.reason for o in mid.out_of_scope) == ["not_yet_registered"]


def test_withdrawn_and_non_internal_are_listed_out_of_scope() -> None:
    items = [
        _item(1, "A", ()),
        _item(2, "A", (), status="withdrawn"),
        _item(3, "A", (), internal=False),
    ]
    r = audit_coverage(items, target=T90, period_from="2023-01-01", period_to="2023-12-31")
    assert r.coverage.in_scope == 1
    assert sorted((o.code, o.reason) for o in r.out_of_scope) == [
        ("QT.NV.02", "withdrawn"),
        ("QT.NV.03", "not_internal"),
    ]


def test_unit_and_field_filters_are_accent_insensitive() -> None:
    items = [
        _item(1, "Phòng Hợp tác quốc tế", (), field="Hội nghị"),
        _item(2, "Phòng Quản lý Biên giới", (), field="Biên giới"),
    ]
    r = audit_coverage(
        items, target=T90, period_from="2023-01-01", period_to="2023-12-31", unit="phong hop tac"
    )
    assert [i.code for i in r.items] == ["QT.NV.01"]
    r = audit_coverage(items, target=T90, period_from="2023-01-01", period_to="2023-12-31", field="bien gioi")
    assert [i.code for i in r.items] == ["QT.NV.02"]


def test_deliverables_are_counted_separately_and_together() -> None:
    full = _proofs("2023-03-01", "2023-02-01", "2023-02-01")
    items = [
        AuditItem(key="a", code="X1", name="a", catalog=True, process=True, proofs=full),
        AuditItem(key="b", code="X2", name="b", catalog=True, process=False, proofs=full),
        AuditItem(key="c", code="X3", name="c", catalog=False, process=True, proofs=()),
    ]
    r = audit_coverage(items, target=T90, period_from="2023-01-01", period_to="2023-12-31")
    d = {k: (v.covered, v.in_scope) for k, v in r.deliverables.items()}
    assert d == {"catalog": (2, 2), "process": (1, 2), "both": (1, 1)}


def test_select_target_prefers_the_internal_procedure_sentence_and_the_period_year() -> None:
    text = "90% thủ tục hành chính nội bộ được rà soát, công bố, công khai về Danh mục và Quy trình nội bộ."
    plans = [
        PlanTarget(
            document="01/KH-SNgV",
            issued_on="2023-01-10",
            title="KH",
            target=Target(section="II.3", value=100.0, text="100% TTHC được niêm yết, công khai"),
        ),
        PlanTarget(
            document="01/KH-SNgV",
            issued_on="2023-01-10",
            title="KH",
            target=Target(section="II.3", value=90.0, text=text),
        ),
        PlanTarget(
            document="02/KH-SNgV",
            issued_on="2024-01-08",
            title="KH",
            target=Target(section="II.3", value=95.0, text=text),
        ),
    ]
    t = select_target(plans, year=2023)
    assert t is not None and t.value == 90.0
    assert t.source == "Kế hoạch 01/KH-SNgV ngày 10/01/2023, mục II.3"
    t = select_target(plans)
    assert t is not None and t.value == 95.0 and t.document == "02/KH-SNgV"
    assert select_target(plans[:1]) is None
    assert is_internal_target("Tối thiểu 95% TTHC nội bộ được rà soát, công bố và công khai")
