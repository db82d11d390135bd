"""A registry of N synthetic procedures for the web load test, built once and cached by its parameters.

    .venv/bin/python bench/web_registry.py [N] [--out DIR]

``bench/synth.py``'s records become decisions of 100 procedures each, registered through the same use
case ``ingest`` uses (``register_document``), with the synthetic reviews and công khai events, and the
search index is built. The folder is kept under ``bench/.cache/web-N-seedS`` (or ``--out``) and reused
while its stamp matches; a run prints how long the build took.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests")]  # synth, fixtures

from synth import make_procedures  # noqa: E402

from procreg.registry.models import ParsedDocument, Procedure, ProcedureRecord  # noqa: E402
from procreg.registry.service.registering import register_document  # noqa: E402
from procreg.registry.service.searching import rebuild_index  # noqa: E402
from procreg.registry.store import Store  # noqa: E402

__all__ = ["PER_DECISION", "build_registry", "registry_for"]

PER_DECISION = 100
SEED = 1
_STAMP = "web-registry v2"  # v2: schema 5 (issue 13 then the accounts)


def _procedure(r: ProcedureRecord) -> Procedure:
    return Procedure(
        name=r.name,
        code=r.code,
        catalog_code=r.catalog_code,
        field=r.field,
        time_limit=r.time_limit,
        time_limit_hours=None,
        steps=r.steps,
    )


def _decisions(records: list[ProcedureRecord]) -> list[ParsedDocument]:
    """Records grouped by 100 into decisions of the province, dated by their first procedure."""
    current = [r for r in records if r.status == "active"]
    docs = []
    for start in range(0, len(current), PER_DECISION):
        group = current[start : start + PER_DECISION]
        number = f"{start // PER_DECISION + 1}/QĐ-UBND"
        text = "\n".join(f"{p.code} {p.name}" for p in group)
        docs.append(
            ParsedDocument(
                path=f"synthetic/qd-{start // PER_DECISION + 1}.txt",
                format="txt",
                sha256=hashlib.sha256(f"{number}\n{text}".encode()).hexdigest(),
                kind="decision",
                number=number,
                issued_on=min(p.document_date or "2023-01-01" for p in group),
                issuer="Ủy ban nhân dân tỉnh Hà Tĩnh",
                title="CÔNG BỐ DANH MỤC VÀ QUY TRÌNH NỘI BỘ",
                procedures=tuple(_procedure(p) for p in group),
                text=text,
            )
        )
    return docs


def build_registry(home: Path, n: int, *, seed: int = SEED) -> tuple[int, float]:
    """Write ``n`` synthetic procedures (current versions of ``make_procedures``) into ``home``.

    Returns:
        How many procedures were registered, and the seconds the build took.
    """
    started = time.perf_counter()
    records = make_procedures(n + n // 10, seed)  # ~5% carry a superseded version: draw more, keep n
    records = [r for r in records if r.status == "active"][:n]
    by_code = {r.code: r for r in records}
    home.mkdir(parents=True, exist_ok=True)
    with Store.open(home / "registry.db") as store:
        for parsed in _decisions(records):
            register_document(store, parsed)
        rows = store.procedures()
        with store.writing() as w:
            for row in rows:
                synthetic = by_code.get(row.code)
                for event in synthetic.events if synthetic else ():
                    if event.kind in ("reviewed", "publicized"):
                        w.add_event(row.id, event)
        count = len(rows)
    rebuild_index(home=home)
    return count, time.perf_counter() - started


def registry_for(n: int, *, seed: int = SEED, out: Path | None = None) -> Path:
    """The cached registry of ``n`` procedures (built when missing or stale); returns its home."""
    home = out or ROOT / "bench" / ".cache" / f"web-{n}-seed{seed}"
    stamp = home / "stamp"
    wanted = f"{_STAMP} n={n} seed={seed}"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return home
    if home.exists():
        shutil.rmtree(home)
    count, seconds = build_registry(home, n, seed=seed)
    stamp.write_text(wanted, encoding="utf-8")
    print(f"built a registry of {count:,} procedures in {seconds:.0f} s: {home}")
    return home


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=20_000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    print(registry_for(args.n, out=args.out))


if __name__ == "__main__":
    main()
