"""Issue 13, Build 5: history changed behind procreg's back with the sqlite3 module is caught.

Each case tampers with a copy of one registry (a decision ingested, then a review, a publicizing, a review
of another procedure: events #1-#5) through ``tests/fixtures/tamper.py``, which uses nothing but
``sqlite3``. ``procreg check`` must exit 5 naming the first bad event row, ``show`` must say the history
is broken, and ``audit`` must refuse to count on it.
"""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from fixtures.tamper import FORGED_BY, tamper

from procreg.cli import cli
from procreg.registry.store.chain import TRIGGERS

ROOT = Path(__file__).resolve().parent.parent
SOURCE = (
    ROOT
    / "tests"
    / "corpus"
    / "vn-admin-docs"
    / "hatinh_qd3005-2025_danhmuc-quytrinhnoibo_giamdinh_soyte.txt"
)


def _run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args])


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("pristine") / "home"
    for args in (
        ("ingest", str(SOURCE)),  # events #1, #2: the decision publishes QT.GĐ.01 and QT.GĐ.02
        ("review", "QT.GĐ.01", "--on", "2025-12-10", "--by", "Nguyễn Văn A"),  # #3
        ("publicize", "QT.GĐ.01", "--on", "2025-12-04", "--where", "https://motcua.hatinh.gov.vn"),  # #4
        ("review", "QT.GĐ.02", "--on", "2025-12-11", "--by", "Nguyễn Văn B"),  # #5
    ):
        result = _run(home, *args)
        assert result.exit_code == 0, (args, result.output)
    assert _run(home, "check").exit_code == 0
    return home


@pytest.fixture
def home(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "home"
    shutil.copytree(pristine, copy)
    return copy


def _db(home: Path) -> str:
    return str(home / "registry.db")


def _check_fails_at(home: Path, event_id: int, words: str) -> dict[str, object]:
    result = _run(home, "check")
    assert result.exit_code == 5, result.output
    message = result.stderr.strip().splitlines()[-1]
    assert f"the event history is broken at event #{event_id}" in message and words in message, message
    assert f"broken from event #{event_id}" in result.stdout
    data: dict[str, object] = json.loads(_run(home, "check", "--json").stdout)
    assert data["sound"] is False and data["first_bad_event"] == event_id
    return data


def _show_says_broken(home: Path, code: str, event_id: int) -> None:
    shown = _run(home, "show", code)
    assert shown.exit_code == 0
    text = " ".join(shown.stdout.split())
    assert f"THE EVENT HISTORY IS DAMAGED from event #{event_id}" in text
    assert "THE EVENT HISTORY IS DAMAGED" in shown.stderr
    history = json.loads(_run(home, "show", code, "--json").stdout)["history"]
    assert history["sound"] is False and history["first_bad_event"] == event_id


def _audit_refuses(home: Path, event_id: int) -> None:
    refused = _run(home, "audit", "--period", "2025", "--target", "90")
    assert refused.exit_code == 5 and f"broken from event #{event_id}" in refused.stderr
    accepted = _run(home, "audit", "--period", "2025", "--target", "90", "--json", "--accept-broken-history")
    assert accepted.exit_code == 0, accepted.output
    findings = json.loads(accepted.stdout)["findings"]
    assert [f["severity"] for f in findings if f["check"] == "history_broken"] == ["error"]


def test_the_triggers_refuse_every_change_while_they_stand(home: Path) -> None:
    conn = sqlite3.connect(_db(home))
    for sql in (
        "UPDATE events SET by = 'x' WHERE id = 3",
        "DELETE FROM events WHERE id = 3",
        "INSERT OR REPLACE INTO events SELECT * FROM events WHERE id = 3",
        "REPLACE INTO events SELECT * FROM events WHERE id = 5",
        "INSERT INTO events SELECT * FROM events WHERE id = 3 ON CONFLICT (id) DO UPDATE SET by = 'x'",
        "INSERT INTO events (id, procedure_id, kind, prev_hash, hash) VALUES (6, 1, 'reviewed', 'x', 'y')",
        "INSERT INTO events (procedure_id, kind, prev_hash, hash) VALUES (1, 'reviewed', 'x', 'y')",
    ):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(sql)
    conn.close()
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        tamper(_db(home), "replace", "3")
    assert _run(home, "check").exit_code == 0  # nothing got through


def test_a_rewritten_event_is_named(home: Path) -> None:
    tamper(_db(home), "rewrite", "3")
    _check_fails_at(home, 3, "event #3 was changed after it was written")
    _show_says_broken(home, "QT.GĐ.01", 3)
    _audit_refuses(home, 3)


def test_insert_or_replace_with_the_trigger_dropped_is_named(home: Path) -> None:
    tamper(_db(home), "replace", "4", drop=True)
    data = _check_fails_at(home, 4, "event #4 was changed after it was written")
    # The dropped trigger was put back on open, and that is reported too.
    assert data["incidents"] == ["trigger events_append_only is missing"]
    assert data["triggers"] == []
    _show_says_broken(home, "QT.GĐ.01", 4)


def test_an_inserted_event_is_named(home: Path) -> None:
    tamper(_db(home), "insert")
    _check_fails_at(home, 6, "event #6 was changed after it was written")
    shown = json.loads(_run(home, "show", "QT.GĐ.02", "--json").stdout)
    forged = next(e for e in shown["events"] if e["id"] == 6)
    assert forged["by"] == FORGED_BY and shown["history"]["first_bad_event"] == 6


def test_a_deleted_event_is_named(home: Path) -> None:
    tamper(_db(home), "delete", "3")
    _check_fails_at(home, 3, "event #3 is missing: the log goes from #2 to #4")
    _show_says_broken(home, "QT.GĐ.01", 3)
    _audit_refuses(home, 3)


def test_the_last_event_deleted_is_named(home: Path) -> None:
    tamper(_db(home), "delete", "5")
    _check_fails_at(home, 5, "event #5 is missing: procreg wrote 5 events up to #5, the log now ends at #4")


def test_a_dropped_trigger_is_restored_on_open_and_reported_until_accepted(
    home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tamper(_db(home), "drop", "events_no_delete")
    conn = sqlite3.connect(_db(home))
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    conn.close()
    assert "events_no_delete" not in names
    result = _run(home, "check")
    assert result.exit_code == 5
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("trigger events_no_delete is missing behind procreg's back; restored" in m for m in logged)
    assert "guarding triggers were changed behind procreg's back (now restored)" in result.stderr
    conn = sqlite3.connect(_db(home))
    rows = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
    conn.close()
    assert set(rows) == set(TRIGGERS)  # put back as procreg wrote them
    conn = sqlite3.connect(_db(home))
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM events")  # guarded again
    conn.close()
    shown = _run(home, "show", "QT.GĐ.01")
    assert "the triggers that protect the event log were dropped" in " ".join(shown.stdout.split()).lower()
    accepted = _run(home, "check", "--accept", "Phòng CNTT: thử nghiệm sao lưu, chuỗi sự kiện vẫn nguyên vẹn")
    assert accepted.exit_code == 0 and "Verdict: the registry is intact." in accepted.stdout
    assert "1 earlier incident looked into" in accepted.stdout
    assert _run(home, "check").exit_code == 0


def test_a_foreign_trigger_that_swallows_events_is_removed(
    home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    conn = sqlite3.connect(_db(home))
    conn.execute("CREATE TRIGGER swallow BEFORE INSERT ON events BEGIN SELECT RAISE(IGNORE); END")
    conn.close()
    result = _run(home, "review", "QT.GĐ.01", "--on", "2025-12-12")
    assert result.exit_code == 0 and "Recorded event #6" in result.stdout  # recorded, not swallowed
    assert any("trigger swallow is not procreg's" in r.getMessage() for r in caplog.records)
    assert "trigger swallow is not procreg's" in _run(home, "check").stderr
