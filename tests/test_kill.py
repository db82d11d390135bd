"""Crash safety: SIGKILL `procreg ingest` at random moments; two ingests at once on overlapping folders."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from procreg.registry.results import DocumentCounts
from procreg.registry.service.ingesting import ingest
from procreg.registry.store import Store

ROOT = Path(__file__).resolve().parent.parent
DOCS_DIR = ROOT / "tests" / "corpus" / "vn-admin-docs"
CORPUS = sorted(DOCS_DIR.glob("*.txt"))

pytestmark = pytest.mark.slow


def _command(home: Path, *paths: Path) -> list[str]:
    return [sys.executable, str(ROOT / "cli.py"), "--home", str(home), "ingest", *map(str, paths)]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env.pop("PROCREG_HOME", None)
    return env


def _snapshot(home: Path) -> dict[str, DocumentCounts]:
    """Per-document counts (procedures, steps, catalog, citations, targets), keyed by content hash."""
    with Store.open(home / "registry.db") as store:
        assert store.integrity_check() == "ok"
        return {s.record.sha256: s.counts for s in store.stored_documents()}


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DocumentCounts]:
    home = tmp_path_factory.mktemp("clean") / "home"
    with pytest.MonkeyPatch.context() as mp:  # counts only: the search index is not needed here
        mp.setattr("procreg.registry.service.ingesting.sync_index_quietly", lambda *_: None)
        assert not ingest(CORPUS, home=home).failed
    counts = _snapshot(home)
    assert len(counts) == len(CORPUS)
    return counts


def _wait_for_registry(home: Path, proc: subprocess.Popen[bytes]) -> float:
    """Poll until the registry file exists (or the process ended); returns the moment it did."""
    while not (home / "registry.db").exists() and proc.poll() is None:
        time.sleep(0.005)
    return time.perf_counter()


def _registered(home: Path) -> int:
    """How many documents a running ingest has committed so far (read-only peek)."""
    try:
        conn = sqlite3.connect(f"file:{home / 'registry.db'}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _corpus_copy(folder: Path, files: list[Path]) -> Path:
    folder.mkdir(parents=True)
    for f in files:
        shutil.copy(f, folder / f.name)
    return folder


def test_sigkill_at_random_moments_leaves_no_half_document(
    tmp_path: Path, clean: dict[str, DocumentCounts]
) -> None:
    rng = random.Random(20251201)
    docs = _corpus_copy(tmp_path / "docs", CORPUS)
    # How long the registry part of a full run takes here (registry file created -> last document in;
    # the search index is built after that), so kills land among the files, not in start-up.
    # Measured twice, keeping the shorter: the first run of a fresh clone also compiles bytecode,
    # which would stretch the span and push the kills past the last document.
    spans = []
    for attempt in range(2):
        probe_home = tmp_path / f"probe{attempt}"
        probe = subprocess.Popen(_command(probe_home, docs), env=_env(), stderr=subprocess.DEVNULL)
        opened = _wait_for_registry(probe_home, probe)
        while _registered(probe_home) < len(CORPUS):
            assert probe.poll() in (None, 0)
            time.sleep(0.01)
        spans.append(time.perf_counter() - opened)
        probe.kill()
        probe.wait(timeout=60)
    span = min(spans)
    kills = partial = 0
    for round_ in range(20):
        # A fresh registry every round, so each kill lands somewhere in a full run; odd rounds start
        # from the previous round's killed registry instead (kills on top of kills).
        home = tmp_path / f"home{round_ - round_ % 2}"
        proc = subprocess.Popen(
            _command(home, docs), env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _wait_for_registry(home, proc)
        time.sleep(rng.uniform(0.0, span))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
        if not (home / "registry.db").exists():
            continue
        seen = _snapshot(home)  # opens, integrity_check ok
        partial += 0 < len(seen) < len(CORPUS)
        for sha, counts in seen.items():
            assert counts == clean[sha], f"half-registered document {sha[:12]}"
        if round_ in (9, 19):  # the re-run completes the set
            rerun = subprocess.run(_command(home, docs), env=_env(), capture_output=True, timeout=120)
            assert rerun.returncode == 0, rerun.stderr
            assert _snapshot(home) == clean
    print(f"kills={kills} partial={partial}")
    assert kills >= 10  # most rounds really were killed mid-run
    assert partial >= 5  # and several landed between the first and the last document


def test_two_ingests_at_once_on_overlapping_folders(tmp_path: Path, clean: dict[str, DocumentCounts]) -> None:
    first = _corpus_copy(tmp_path / "a", CORPUS[:16])
    second = _corpus_copy(tmp_path / "b", CORPUS[9:])
    home = tmp_path / "home"
    procs = [
        subprocess.Popen(_command(home, folder), env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for folder in (first, second)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    assert _snapshot(home) == clean
    with Store.open(home / "registry.db") as store:
        docs = store.documents()
        assert len(docs) == len({d.sha256 for d in docs}) == len(CORPUS)
        versions = [(p.key, p.version) for p in store.procedures(include_superseded=True)]
        assert len(versions) == len(set(versions))


# ------------------------------------------------------------------ no process outlives a killed ingest


def _session(sid: int) -> list[tuple[int, str]]:
    """The live processes of session ``sid``: (pid, command line)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # state ppid pgrp session ...
        if int(fields[3]) == sid and fields[0] != "Z":
            out.append((int(entry.name), cmdline.strip()))
    return out


def _wait_gone(sid: int, seconds: float = 15.0) -> list[tuple[int, str]]:
    deadline = time.monotonic() + seconds
    left = _session(sid)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = _session(sid)
    return left


def _start(home: Path, *paths: Path, extra_env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    env = _env() | (extra_env or {})
    return subprocess.Popen(
        _command(home, *paths),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own session: everything it starts is found by session id
    )


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_sigkill_during_index_sync_leaves_no_process(tmp_path: Path) -> None:
    docs = _corpus_copy(tmp_path / "docs", CORPUS)
    home = tmp_path / "home"
    proc = _start(home, docs)
    _wait_for_registry(home, proc)
    while _registered(home) < len(CORPUS) and proc.poll() is None:
        time.sleep(0.005)
    # Every document is in: the search index is being brought up to date now.
    assert proc.poll() is None, "ingest ended before the index sync could be interrupted"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    left = _wait_gone(proc.pid)
    assert not left, f"processes left after SIGKILL: {left}"


def _ocr_running(sid: int) -> bool:
    return any("ocr_worker" in cmd or "tesseract" in cmd for _, cmd in _session(sid))


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_sigkill_during_ocr_leaves_no_process(tmp_path: Path) -> None:
    from conftest import requires_ocr

    if requires_ocr().args[0]:
        pytest.skip(requires_ocr().kwargs["reason"])
    from fixtures.scans import scan

    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(scan("hatinh_qd3004-2025_danhmuc-quytrinhnoibo_thietbiyte_soyte"), docs / "scan.pdf")
    # A fresh OCR cache (the registry's own), so the pages really are recognised while we kill.
    proc = _start(tmp_path / "home", docs)
    deadline = time.monotonic() + 120
    while not _ocr_running(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _ocr_running(proc.pid), "OCR never started"
    time.sleep(1.0)  # well inside the OCR run: workers and Tesseract are up
    proc.send_signal(signal.SIGKILL)  # the parent only: its children must go by themselves
    proc.wait(timeout=30)
    left = _wait_gone(proc.pid)
    assert not left, f"OCR processes left after SIGKILL: {left}"
