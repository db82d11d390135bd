"""Load test of ``procreg serve`` on 127.0.0.1: searches by 20 users, then events recorded by 10 at once.

    .venv/bin/python bench/web_load.py [--procedures 20000] [--users 20] [--seconds 60] [--writers 10]

1. Start-up: seconds until ``procreg serve`` answers, on the demo registry (the samples) and on the
   large one, five starts each (median).
2. Search: a copy of the registry of N synthetic procedures (``bench/web_registry.py``, cached) is
   served by ``procreg serve``; U simulated users search it for S seconds, from a server just started
   (``--warm-up`` runs the same load on other queries first, not counted). A user types a query
   without accents as a person does: the page asks for results as you type (``partial=1``, one request
   per word, 0.2 s apart), then opens the result page, reads it for 0.5 to 1.5 s, and starts again.
   Every answer must be 200; the figures are the latencies of all search requests.
3. Events: W clients each record a review on their own procedure and one on a shared procedure, all
   at the same moment (three rounds); then every event is looked for in the procedures' history.

Only 127.0.0.1 is ever contacted; every loop ends at its deadline and the server is stopped at the end.
The figures go to stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests")]  # web_registry, synth, web_support

import httpx  # noqa: E402
from web_registry import registry_for  # noqa: E402
from web_support import Server, copy_samples  # noqa: E402

import procreg  # noqa: E402
from procreg.text import fold  # noqa: E402

HOST = "127.0.0.1"
TIMEOUT = httpx.Timeout(30.0)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure_startup(home: Path, rounds: int = 5) -> list[float]:
    """Seconds from launching ``procreg serve`` until it answers, ``rounds`` times."""
    times = []
    for _ in range(rounds):
        with Server(home) as server:
            times.append(server.started_in)
    return times


def make_queries(home: Path, n: int, seed: int) -> list[str]:
    """Queries as people type them: 2 to 4 words of a procedure's name, without accents, or a code."""
    rng = random.Random(seed)
    records = procreg.Registry(home).procedures()
    out = []
    for _ in range(n):
        r = rng.choice(records)
        if rng.random() < 0.15 and r.code:
            out.append(r.code)
            continue
        words = fold(r.name).split()
        k = min(len(words), rng.randint(2, 4))
        start = rng.randint(0, max(0, len(words) - k))
        out.append(" ".join(words[start : start + k]))
    return out


class Tally:
    """Latencies and errors of the search phase."""

    def __init__(self) -> None:
        self.partial: list[float] = []
        self.full: list[float] = []
        self.errors: list[str] = []


async def _get(
    client: httpx.AsyncClient, url: str, params: dict[str, str], tally: Tally, into: list[float]
) -> None:
    started = time.perf_counter()
    try:
        r = await client.get(url, params=params)
        if r.status_code != 200:
            tally.errors.append(f"{r.status_code} {url} {params}")
    except httpx.HTTPError as exc:
        tally.errors.append(f"{type(exc).__name__} {url} {params}")
    into.append((time.perf_counter() - started) * 1000)


async def user(base: str, queries: list[str], deadline: float, seed: int, tally: Tally) -> int:
    """One person searching until ``deadline``; returns how many queries they ran."""
    rng = random.Random(seed)
    done = 0
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT) as client:
        while time.monotonic() < deadline:
            words = rng.choice(queries).split()
            for i in range(1, len(words) + 1):  # results as you type, a word at a time
                await _get(
                    client, "/search", {"q": " ".join(words[:i]), "partial": "1"}, tally, tally.partial
                )
                await asyncio.sleep(0.2)
            await _get(client, "/search", {"q": " ".join(words)}, tally, tally.full)
            done += 1
            await asyncio.sleep(rng.uniform(0.5, 1.5))
    return done


async def search_phase(base: str, queries: list[str], users: int, seconds: float) -> tuple[Tally, int, float]:
    tally = Tally()
    started = time.monotonic()
    deadline = started + seconds
    counts = await asyncio.gather(*(user(base, queries, deadline, i, tally) for i in range(users)))
    return tally, sum(counts), time.monotonic() - started


async def _writer(base: str, pid: int, shared: int, tag: str, start: asyncio.Event) -> list[str]:
    """One client: its CSRF token first, then two reviews posted the moment ``start`` is set."""
    notes = []
    async with httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(120.0)) as client:
        token = (await client.get("/api/session")).json()["csrf"]
        await start.wait()
        for target in (pid, shared):
            note = f"bench {tag} -> {target}"
            r = await client.post(
                f"/api/procedures/{target}/review",
                json={"on": "2024-06-01", "note": note},
                headers={"X-CSRF-Token": token},
            )
            if r.status_code == 201:
                notes.append(f"{target}|{note}")
            else:
                notes.append(f"error {r.status_code}: {r.text[:200]}")
    return notes


async def event_phase(base: str, ids: list[int], writers: int, rounds: int) -> dict[str, Any]:
    """``writers`` clients record at once, ``rounds`` times; then count what the history holds."""
    sent: list[str] = []
    started = time.perf_counter()
    shared = ids[0]
    for round_no in range(rounds):
        start = asyncio.Event()
        tasks = [
            asyncio.create_task(
                _writer(
                    base,
                    ids[1 + (round_no * writers + w) % (len(ids) - 1)],
                    shared,
                    f"r{round_no}w{w}",
                    start,
                )
            )
            for w in range(writers)
        ]
        await asyncio.sleep(0.5)  # every client holds its token and waits
        start.set()
        for notes in await asyncio.gather(*tasks):
            sent.extend(notes)
    seconds = time.perf_counter() - started
    errors = [s for s in sent if s.startswith("error")]
    accepted = [s for s in sent if not s.startswith("error")]
    found = 0
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT) as client:
        by_id: dict[int, set[str]] = {}
        for item in accepted:
            pid = int(item.split("|", 1)[0])
            if pid not in by_id:
                events = (await client.get(f"/api/procedures/{pid}")).json()["events"]
                by_id[pid] = {e["note"] for e in events if e["kind"] == "reviewed"}
            found += item.split("|", 1)[1] in by_id[pid]
    return {
        "sent": len(sent),
        "accepted": len(accepted),
        "errors": errors,
        "found": found,
        "seconds": seconds,
    }


def _demo_home(tmp: Path) -> Path:
    home = tmp / "demo-home"
    procreg.Registry(home).ingest(copy_samples(tmp / "demo-docs"))
    return home


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=20_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--writers", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="procreg serve --workers")
    parser.add_argument(
        "--warm-up", type=float, default=0.0, help="seconds of the same load first, not counted"
    )
    args = parser.parse_args(argv)

    import os

    before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average before: {before} (other work on the machine skews the figures)")
    with tempfile.TemporaryDirectory(prefix="procreg-web-load-") as tmp_name:
        tmp = Path(tmp_name)
        demo = measure_startup(_demo_home(tmp))
        print(
            f"start-up, demo registry (4 procedures): median {statistics.median(demo):.2f} s, "
            f"max {max(demo):.2f} s"
        )
        cached = registry_for(args.procedures)
        home = tmp / "home"
        shutil.copytree(cached, home)
        started = time.perf_counter()
        procreg.Registry(home).search("quy trinh")  # a copy is a new registry: its index catches up once
        print(f"index brought in line with the copied registry in {time.perf_counter() - started:.1f} s")
        large = measure_startup(home, rounds=3)
        print(f"start-up, {args.procedures:,} procedures: median {statistics.median(large):.2f} s")
        queries = make_queries(home, 400, seed=7)
        ids = [p.id for p in procreg.Registry(home).procedures()[:200]]
        with Server(home, options=("--workers", str(args.workers))) as server:
            if args.warm_up > 0:  # a server that has run for a while: its index open, common words decoded
                asyncio.run(search_phase(server.url, queries[200:], args.users, args.warm_up))
            tally, searches, wall = asyncio.run(
                search_phase(server.url, queries[:200], args.users, args.seconds)
            )
            events = asyncio.run(event_phase(server.url, ids, args.writers, args.rounds))
        _report(args, tally, searches, wall, events)


def _report(args: Any, tally: Tally, searches: int, wall: float, events: dict[str, Any]) -> None:
    every = tally.partial + tally.full
    print(
        f"search: {args.users} users for {wall:.0f} s on {args.procedures:,} procedures: "
        f"{len(every):,} requests ({len(every) / wall:.1f}/s; {searches:,} queries typed), "
        f"errors {len(tally.errors)}"
    )
    for label, values in (
        ("all search requests", every),
        ("as you type (partial)", tally.partial),
        ("result pages", tally.full),
    ):
        print(
            f"  {label:<22} p50 {statistics.median(values):6.1f} ms  p95 {_pct(values, 0.95):6.1f} ms  "
            f"p99 {_pct(values, 0.99):6.1f} ms  max {max(values):6.1f} ms"
        )
    for line in tally.errors[:5]:
        print(f"  error: {line}")
    lost = events["accepted"] - events["found"]
    print(
        f"events: {args.writers} clients at once x {args.rounds} rounds x 2 reviews: "
        f"{events['sent']} posted, {events['accepted']} accepted, {len(events['errors'])} refused, "
        f"{events['found']} in the history, "
        f"{lost} lost ({events['seconds']:.1f} s)"
    )
    for line in events["errors"][:5]:
        print(f"  refused: {line}")
    p95 = _pct(every, 0.95)
    import os

    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    verdict = "met" if p95 <= 150 and not tally.errors and lost == 0 and not events["errors"] else "NOT met"
    print(f"aims (search p95 <= 150 ms, 0 errors, no event lost): {verdict}")


if __name__ == "__main__":
    main()
