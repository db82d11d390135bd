"""Benchmark: audit 20,000 procedures (coverage with evidence, per-unit figures, checks) in at most 2 s.

    .venv/bin/python bench/audit.py [N]

Measures ``registry.service.auditing.audit_records`` (everything ``procreg audit`` computes once the
records are read from the store) on N synthetic procedures (``bench/synth.py``'s generator), and a
bare-Python peer that only counts covered procedures per unit from the same records, to show what the
evidence, checks and reporting cost on top.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests")]  # synth, fixtures

from synth import make_procedures  # noqa: E402

from procreg.procedures.audit import TargetRef  # noqa: E402
from procreg.registry.models import CatalogEntry, CatalogRecord, DocumentRecord, ProcedureRecord  # noqa: E402
from procreg.registry.service.auditing import audit_records  # noqa: E402


def _decisions(n: int) -> dict[int, DocumentRecord]:
    out = {}
    for i in range(1, n + 1):
        orders = "Điều 2. ... công khai các TTHC trên cơ sở dữ liệu quốc gia về TTHC." if i % 2 else None
        out[i] = DocumentRecord(
            id=i,
            path=f"/nonexistent/qd-{i}.txt",
            sha256=f"{i:064x}",
            format="txt",
            kind="decision",
            number=f"{i}/QĐ-SNgV",
            issued_on=f"2023-{1 + i % 12:02d}-10",
            issuer="Sở Ngoại vụ",
            title="CÔNG BỐ DANH MỤC VÀ QUY TRÌNH NỘI BỘ",
            orders_publicizing=orders,
            text="Điều 1. Công bố ...\n" + (orders or "Điều 2. Tổ chức thực hiện."),
        )
    return out


def catalog_of(procs: list[ProcedureRecord]) -> list[CatalogRecord]:
    """A Danh mục row for 95% of the procedures, linked to its process, in the same decision."""
    out = []
    for p in procs:
        if p.id % 20 == 0:
            continue
        entry = CatalogEntry(name=p.name, field=p.field, time_limit=p.time_limit, internal=True)
        out.append(
            CatalogRecord(
                id=p.id,
                entry=entry,
                document_id=p.document_id or 0,
                document_number=p.document_number,
                document_date=p.document_date,
                procedure_id=p.id,
            )
        )
    return out


def bare_peer(procs: list[ProcedureRecord], docs: dict[int, DocumentRecord]) -> Counter[str]:
    """Plain loop: covered procedures per most-loaded unit, no evidence, no checks, no report."""
    covered: Counter[str] = Counter()
    for p in procs:
        if p.status != "active":
            continue
        kinds = {e.kind for e in p.events if e.on <= "2023-12-31"}
        doc = docs.get(p.document_id or -1)
        public = "publicized" in kinds or bool(doc and doc.orders_publicizing)
        if "reviewed" in kinds and "published" in kinds and public:
            covered[p.units[-1] if p.units else ""] += 1
    return covered


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    docs = _decisions(40)
    procs = list(make_procedures(n, 7))
    target = TargetRef(value=90.0, source="bench")
    catalog = catalog_of(procs)
    t0, c0 = time.perf_counter(), time.process_time()
    report = audit_records(
        procs,
        catalog,
        docs,
        target=target,
        period_from="2023-01-01",
        period_to="2023-12-31",
        today="2023-12-31",
    )
    audit_s, audit_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    bare_peer(procs, docs)
    peer_s = time.perf_counter() - t0
    c = report.coverage
    print(f"records: {len(procs)} procedures from bench/synth.py make_procedures")
    print(f"audit (evidence, coverage, per unit/field, checks): {audit_s:.3f} s wall, {audit_cpu:.3f} s CPU")
    units, findings = len(report.by_unit), len(report.findings)
    print(f"  coverage {c.covered}/{c.in_scope} = {c.percent}%, {units} units, {findings} findings")
    print(f"bare-Python peer (count only): {peer_s:.3f} s; ratio audit/peer = {audit_s / peer_s:.1f}x")
    print(f"budget 2.0 s: {'OK' if audit_s <= 2.0 else 'OVER'} (load average {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
