"""Ingest speed: first ingest of the corpus vs re-ingest of the unchanged corpus (aim: < 1/20).

Peers in the same run: parsing alone (what the first ingest cannot avoid) and hashing alone (the floor of
a re-ingest, which must at least read every file). Prints figures only; asserts nothing.

    .venv/bin/python bench/ingest.py [--rounds N]
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests")]  # synth, fixtures

from procreg.parsers.document import parse_document  # noqa: E402
from procreg.registry.service.ingesting import ingest  # noqa: E402
from procreg.registry.store import Store  # noqa: E402

CORPUS = sorted((ROOT / "tests" / "corpus" / "vn-admin-docs").glob("*.txt"))


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run_pair(with_index: bool) -> tuple[float, float, int, int]:
    """(first ingest, re-ingest, procedures, steps) on a fresh registry."""
    import procreg.registry.service.ingesting as svc

    real_sync = svc.sync_index_quietly
    if not with_index:
        svc.sync_index_quietly = lambda *_: None  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp) / "home"
            Store.open(home / "registry.db").close()  # schema creation is not ingest work
            start = time.perf_counter()
            report = ingest(CORPUS, home=home)
            first = time.perf_counter() - start
            assert not report.failed, report.failed
            start = time.perf_counter()
            again = ingest(CORPUS, home=home)
            second = time.perf_counter() - start
            assert len(again.unchanged) == len(CORPUS)
            procs = sum(f.counts.procedures for f in report.ingested)
            steps = sum(f.counts.steps for f in report.ingested)
            return first, second, procs, steps
    finally:
        svc.sync_index_quietly = real_sync  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    runs: dict[bool, list[tuple[float, float, int, int]]] = {True: [], False: []}
    parses: list[float] = []
    hashes: list[float] = []
    for _ in range(args.rounds):
        parses.append(timed(lambda: [parse_document(p) for p in CORPUS]))
        hashes.append(timed(lambda: [hashlib.sha256(p.read_bytes()).hexdigest() for p in CORPUS]))
        for with_index in (False, True):
            runs[with_index].append(run_pair(with_index))

    parse, hashing = statistics.median(parses), statistics.median(hashes)
    _, _, procs, steps = runs[True][0]
    print(f"corpus: {len(CORPUS)} files, {procs} procedures, {steps} steps; median of {args.rounds} rounds")
    print(f"peer: parse only (parse_document x {len(CORPUS)})   {parse * 1000:9.1f} ms")
    print(f"peer: read + sha256 only                  {hashing * 1000:9.1f} ms")
    for with_index, label in (
        (False, "registry only (index sync off)"),
        (True, "full ingest (with search index sync)"),
    ):
        first = statistics.median(r[0] for r in runs[with_index])
        again = statistics.median(r[1] for r in runs[with_index])
        ratio = again / first
        verdict = "ok" if ratio < 1 / 20 else "ABOVE TARGET"
        print(f"{label}:")
        print(
            f"  first ingest      {first * 1000:9.1f} ms  ({first / len(CORPUS) * 1000:.1f} ms/file; "
            f"{max(first - parse, 0) / first:.0%} beyond parsing)"
        )
        print(f"  re-ingest         {again * 1000:9.1f} ms  ({again / hashing:.1f}x the sha256 floor)")
        print(f"  re-ingest / first {ratio:9.4f}     (1/{1 / ratio:.0f}; target < 1/20: {verdict})")


if __name__ == "__main__":
    main()
