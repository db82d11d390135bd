"""Search benchmark: procreg's Whoosh index against SQLite FTS5 on the same synthetic catalog.

Prints, for each size of synthetic catalog (bench/synth.py; by default 20,000 and 100,000
procedures): index build documents/s (wall and CPU), warm query latency p50/p95 over 50 mixed
queries (2-3 words, phrases, filters, unaccented, codes), the index size, and the cold ``procreg
search`` process time at the first size; beside SQLite FTS5 (``unicode61 remove_diacritics 2``, đ
folded by us) in the same run, with the ratios.

    .venv/bin/python bench/search.py                  # 20,000 and 100,000: about 6 minutes on 2 cores
    .venv/bin/python bench/search.py --sizes 2000     # quicker
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests")]  # synth, fixtures

from synth import make_procedures  # noqa: E402

from procreg.index.backend import SearchOptions  # noqa: E402
from procreg.index.query import And, Code, DateRange, Filter, Node, Not, Or, Phrase, Word, parse_query  # noqa: E402
from procreg.index.state import write_state  # noqa: E402
from procreg.index.whoosh_backend import WhooshBackend  # noqa: E402
from procreg.registry.models import IndexDoc, ProcedureRecord  # noqa: E402
from procreg.registry.service.searching import procedure_doc  # noqa: E402
from procreg.registry.store import Store  # noqa: E402
from procreg.text import fold  # noqa: E402

# --------------------------------------------------------------------------------------------------
# Queries


def _words(text: str) -> list[str]:
    return [w for w in text.replace(",", " ").replace(":", " ").split() if w.isalpha()]


def make_queries(records: Sequence[ProcedureRecord], n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` (category, query) pairs drawn from the records' own texts, deterministically."""
    rng = random.Random(seed)
    current = [r for r in records if r.status != "superseded"]
    out: list[tuple[str, str]] = []

    def span(k: int) -> str:
        while True:
            r = rng.choice(current)
            step = rng.choice(r.steps)
            ws = _words(step.text if rng.random() < 0.7 else r.name)
            if len(ws) >= k:
                i = rng.randrange(len(ws) - k + 1)
                return " ".join(ws[i : i + k]).lower()

    kinds = [
        "words",
        "words",
        "unaccented",
        "unaccented",
        "phrase",
        "filtered",
        "filtered",
        "words",
        "phrase",
        "code",
    ]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        if kind == "words":
            out.append((kind, span(rng.choice((2, 3)))))
        elif kind == "unaccented":
            out.append((kind, fold(span(rng.choice((2, 3))))))
        elif kind == "phrase":
            out.append((kind, f'"{span(rng.choice((2, 3)))}"'))
        elif kind == "filtered":
            r = rng.choice(current)
            flt = f'unit:"{fold(rng.choice(r.units))}"' if rng.random() < 0.5 else f'field:"{r.field}"'
            out.append((kind, f"{span(2)} {flt}"))
        else:
            out.append((kind, f"code:{rng.choice(current).code}"))
    return out


# --------------------------------------------------------------------------------------------------
# Whoosh


def _size(path: Path) -> int:
    return (
        sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        if path.is_dir()
        else path.stat().st_size
    )


def _timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _both(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds: on a shared machine CPU time is the steadier of the two."""
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def bench_whoosh(
    home: Path,
    docs: list[IndexDoc],
    queries: list[tuple[str, str]],
    others: list[tuple[str, str]],
    *,
    cold: bool,
) -> dict[str, Any]:
    index_dir = home / "index"
    build, build_cpu = _both(lambda: WhooshBackend.create(index_dir, docs).close())
    options = SearchOptions(limit=10)
    backend = WhooshBackend.open(index_dir)  # just opened: every term decoded on first use
    first = [_timed(lambda q=q: backend.search(q, options)) * 1000 for _, q in queries]  # type: ignore[misc]
    backend.close()
    backend = WhooshBackend.open(index_dir)
    for _, q in others:  # warm the process on 50 other queries, not on the measured ones
        backend.search(q, options)
    both = [_both(lambda q=q: backend.search(q, options)) for _, q in queries]  # type: ignore[misc]
    lat = [w * 1000 for w, _ in both]
    cpu = [c * 1000 for _, c in both]
    totals = {q: backend.search(q, options).total for _, q in queries}
    backend.close()
    out: dict[str, Any] = {
        "build_s": build,
        "build_cpu_s": build_cpu,
        "docs_per_s": len(docs) / build,
        "p50_ms": statistics.median(lat),
        "p95_ms": _pct(lat, 0.95),
        "max_ms": max(lat),
        "size_mb": _size(index_dir) / 1e6,
        "hits": sum(1 for v in totals.values() if v),
        "zero": [q for q, v in totals.items() if not v],
        "first_p50_ms": statistics.median(first),
        "first_p95_ms": _pct(first, 0.95),
        "cpu_p50_ms": statistics.median(cpu),
        "cpu_p95_ms": _pct(cpu, 0.95),
        **{
            f"p50_{k}_ms": statistics.median([t for (c, _), t in zip(queries, lat, strict=True) if c == k])
            for k in {c for c, _ in queries}
        },
    }
    if cold:
        out.update(_cold(home, queries))
    return out


def _cold(home: Path, queries: list[tuple[str, str]]) -> dict[str, float]:
    """Seconds of a whole `procreg search` process, python start-up and `procreg --help`."""
    index_dir = home / "index"
    # a home where registry and index agree, so `procreg search` runs its ordinary path
    with Store.open(home / "registry.db") as store:
        st = store.path.stat()
        write_state(index_dir, data_version=store.data_version(), registry=f"{st.st_dev}:{st.st_ino}")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, str(ROOT / "cli.py"), "--home", str(home), "search"]
    cold = []
    for _, q in queries[:7]:
        t = time.perf_counter()
        subprocess.run([*cmd, q], env=env, capture_output=True, check=False)
        cold.append(time.perf_counter() - t)
    bare = _timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))
    helptime = _timed(lambda: subprocess.run([*cmd[:-1], "--help"], env=env, capture_output=True, check=True))
    return {"cold_s": statistics.median(cold), "python_s": bare, "help_s": helptime}


# --------------------------------------------------------------------------------------------------
# SQLite FTS5, the bare-library peer


def _d(text: str | None) -> str:
    return (text or "").replace("đ", "d").replace("Đ", "D")


def _fts_quote(text: str) -> str:
    return '"' + _d(text).replace('"', " ") + '"'


def to_fts(node: Node) -> str:
    """The same query tree as an FTS5 MATCH expression (title/body words; filters on their columns)."""
    if isinstance(node, Word):
        return _fts_quote(node.text)
    if isinstance(node, Phrase):
        return _fts_quote(" ".join(node.words))
    if isinstance(node, Code):
        return _fts_quote(" ".join(node.parts))
    if isinstance(node, Filter):
        col = {"code": "code", "unit": "unit", "field": "field"}.get(node.name, "body")
        return f"{col} : {_fts_quote(node.value.replace('.', ' '))}"
    if isinstance(node, DateRange):
        raise ValueError("dates are not benchmarked")
    if isinstance(node, Not):
        return f"NOT {to_fts(node.child)}"
    parts = [to_fts(c) for c in node.children]
    joiner = " AND " if isinstance(node, And) else " OR "
    assert isinstance(node, And | Or)
    return "(" + joiner.join(parts) + ")"


def bench_fts5(
    path: Path, docs: list[IndexDoc], queries: list[tuple[str, str]], others: list[tuple[str, str]]
) -> dict[str, float]:
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, current UNINDEXED, title, body, code, unit, field,"
        " tokenize = 'unicode61 remove_diacritics 2')"
    )
    rows = [
        (d.id, int(d.current), _d(d.title), _d(d.body), _d(d.code), _d("; ".join(d.unit)), _d(d.field))
        for d in docs
    ]

    def build() -> None:
        with conn:
            conn.executemany("INSERT INTO fts VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")

    built, built_cpu = _both(build)

    def expr(q: str) -> str:
        node = parse_query(q).node
        assert node is not None
        return to_fts(node)

    exprs = [expr(q) for _, q in queries]
    top = (
        "SELECT id, bm25(fts, 0, 0, 3.0, 1.0, 10.0, 0, 0) AS s FROM fts WHERE fts MATCH ? AND current = 1 "
        "ORDER BY s, id LIMIT 10"
    )
    count = "SELECT count(*) FROM fts WHERE fts MATCH ? AND current = 1"

    def run(expr: str) -> int:
        conn.execute(top, (expr,)).fetchall()
        return int(conn.execute(count, (expr,)).fetchone()[0])

    first = [_timed(lambda e=e: run(e)) * 1000 for e in exprs]  # type: ignore[misc]
    top_only = [_timed(lambda e=e: conn.execute(top, (e,)).fetchall()) * 1000 for e in exprs]  # type: ignore[misc]
    for _, q in others:
        run(expr(q))
    totals = [run(e) for e in exprs]
    both = [_both(lambda e=e: run(e)) for e in exprs]  # type: ignore[misc]
    lat = [w * 1000 for w, _ in both]
    cpu = [c * 1000 for _, c in both]
    conn.close()
    return {
        "build_s": built,
        "build_cpu_s": built_cpu,
        "docs_per_s": len(docs) / built,
        "p50_ms": statistics.median(lat),
        "p95_ms": _pct(lat, 0.95),
        "max_ms": max(lat),
        "size_mb": _size(path) / 1e6,
        "hits": sum(1 for t in totals if t),
        "first_p50_ms": statistics.median(first),
        "first_p95_ms": _pct(first, 0.95),
        "cpu_p50_ms": statistics.median(cpu),
        "cpu_p95_ms": _pct(cpu, 0.95),
        "top_only_p50_ms": statistics.median(top_only),
        "top_only_p95_ms": _pct(top_only, 0.95),
    }


# --------------------------------------------------------------------------------------------------


def _report(n: int, words: float, w: dict[str, Any], f: dict[str, Any]) -> None:
    print(f"\n== {n} procedures ({words:.0f} words each on average)")
    print(f"{'':34}{'whoosh':>12}{'fts5':>12}{'whoosh/fts5':>14}")
    for label, key, fmt in (
        ("index build (documents/s)", "docs_per_s", "{:.0f}"),
        ("index build (s)", "build_s", "{:.1f}"),
        ("index build CPU (s)", "build_cpu_s", "{:.1f}"),
        ("first query after open p50 (ms)", "first_p50_ms", "{:.1f}"),
        ("first query after open p95 (ms)", "first_p95_ms", "{:.1f}"),
        ("warm query p50 (ms)", "p50_ms", "{:.1f}"),
        ("warm query p95 (ms)", "p95_ms", "{:.1f}"),
        ("warm query max (ms)", "max_ms", "{:.1f}"),
        ("warm query CPU p50 (ms)", "cpu_p50_ms", "{:.1f}"),
        ("warm query CPU p95 (ms)", "cpu_p95_ms", "{:.1f}"),
        ("index size (MB)", "size_mb", "{:.1f}"),
        ("queries with hits", "hits", "{:.0f}"),
    ):
        ratio = w[key] / f[key] if f[key] else float("nan")
        print(f"{label:34}{fmt.format(w[key]):>12}{fmt.format(f[key]):>12}{ratio:>13.2f}x")
    for k in sorted(x for x in w if x.startswith("p50_") and x.count("_") == 2):
        print(f"whoosh warm p50, {k[4:-3]:<12} {w[k]:8.1f} ms")
    print(
        f"fts5 top-10 by bm25 without the count(*): p50 {f['top_only_p50_ms']:.1f} ms, "
        f"p95 {f['top_only_p95_ms']:.1f} ms (whoosh computes the total from its candidate set)"
    )
    if "cold_s" in w:
        print(
            f"cold `procreg search` (median of 7): {w['cold_s']:.2f} s   (python -c pass: "
            f"{w['python_s']:.2f} s, procreg --help: {w['help_s']:.2f} s)"
        )
    for q in w["zero"]:
        print(f"no hit in procreg's index: {q}")
    below = w["p95_ms"] < f["p95_ms"]
    verdict = "yes" if below else "NO"
    print(f"warm p95 below FTS5's at {n}: {verdict} ({w['p95_ms']:.1f} vs {f['p95_ms']:.1f} ms)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000], help="procedures per run")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    for i, n in enumerate(args.sizes):
        records = make_procedures(n, seed=args.seed)
        docs = [procedure_doc(r) for r in records]
        queries = make_queries(records, args.queries, args.seed)
        others = make_queries(records, args.queries, args.seed + 1000)
        words = sum(len(d.body.split()) + len(d.title.split()) for d in docs) / len(docs)
        del records
        with tempfile.TemporaryDirectory(prefix="procreg-bench-") as tmp:
            w = bench_whoosh(Path(tmp) / "home", docs, queries, others, cold=i == 0)
            f = bench_fts5(Path(tmp) / "fts.db", docs, queries, others)
        _report(n, words, w, f)
    load = os.getloadavg()[0]
    print(
        f"\nload average at the end: {load:.1f} on {os.cpu_count()} cores (wall times include waiting for "
        f"the CPU); whole run {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
