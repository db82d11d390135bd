"""An index that heals itself: each kind of damage is reported by `index check`, then repaired by a search.

Also: a full disk or a read-only index gives exit 5 and one line, and killing an ingest while it
syncs the index leaves no process behind.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from procreg.cli import cli
from procreg.index.state import read_state, write_state
from procreg.registry.service.ingesting import ingest
from procreg.registry.service.searching import check_index

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "tests" / "corpus" / "vn-admin-docs").glob("*.txt"))


@pytest.fixture(scope="module")
def corpus_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("heal") / "home"
    assert not ingest(CORPUS, home=home).failed
    return home


@pytest.fixture
def own_home(corpus_home: Path, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    shutil.copytree(corpus_home, home)
    return home


def _cli(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args])


def _largest(index_dir: Path, suffix: str) -> Path:
    return max(index_dir.glob(f"*{suffix}"), key=lambda p: p.stat().st_size)


def _truncate(index_dir: Path) -> None:
    path = _largest(index_dir, ".pst")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])


def _garbage(index_dir: Path) -> None:
    path = _largest(index_dir, ".pst")
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = os.urandom(4096)
    path.write_bytes(bytes(data))


def _delete_toc(index_dir: Path) -> None:
    for toc in index_dir.glob("*.toc"):
        toc.unlink()


def _empty_folder(index_dir: Path) -> None:
    shutil.rmtree(index_dir)
    index_dir.mkdir()


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "truncated segment": (_truncate, "kích thước"),
    "random bytes in a segment": (_garbage, "nội dung đã bị thay đổi"),
    "deleted TOC": (_delete_toc, "TOC"),
    "empty folder": (_empty_folder, "trống"),
}


@pytest.mark.vietnamese  # it checks the Vietnamese wording
@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damage_is_reported_then_healed_by_the_next_search(
    own_home: Path, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    damage, words = DAMAGE[kind]
    damage(own_home / "index")
    check = _cli(own_home, "index", "check")  # reports, never repairs
    assert check.exit_code == 5 and words in check.output, check.output
    assert _cli(own_home, "index", "check").exit_code == 5
    result = _cli(own_home, "search", "giam dinh phap y")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1. QT.GĐ.0") and "\n2. QT.GĐ.0" in result.stdout
    notices = [r.getMessage() for r in caplog.records if "đã dựng lại" in r.getMessage()]
    assert len(notices) == 1 and "\n" not in notices[0], notices
    assert check_index(home=own_home).clean


@pytest.mark.vietnamese  # it checks the Vietnamese wording
def test_damage_found_only_while_reading_heals_too(own_home: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Without the manifest the damage shows only when postings are decoded (CorruptIndexError...)."""
    index_dir = own_home / "index"
    write_state(index_dir, files={})
    for path in index_dir.glob("*.pst"):
        data = bytearray(path.read_bytes())
        for at in range(0, len(data), 512):  # block headers everywhere become garbage
            data[at : at + 64] = os.urandom(64)
        path.write_bytes(bytes(data))
    check = _cli(own_home, "index", "check")  # no digest to compare: every segment is read through
    assert check.exit_code == 5 and "không đọc được" in check.output, check.output
    result = _cli(own_home, "search", "giam dinh phap y")
    assert result.exit_code == 0 and result.stdout.startswith("1. QT.GĐ.0"), result.output
    assert any("đọc lỗi" in r.getMessage() and "đã dựng lại" in r.getMessage() for r in caplog.records)
    assert read_state(index_dir)["files"]  # the rebuilt index has its manifest again
    assert check_index(home=own_home).clean


@pytest.mark.vietnamese  # it checks the Vietnamese wording
@pytest.mark.parametrize(
    ("code", "words"), [(errno.ENOSPC, "ổ đĩa đã đầy"), (errno.EROFS, "chỉ được phép đọc")]
)
def test_full_disk_or_read_only_index_gives_exit_5_and_one_line(
    own_home: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    from procreg.index.whoosh_backend import WhooshBackend

    def refuse(*_: object, **__: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(WhooshBackend, "create", refuse)
    _truncate(own_home / "index")
    result = _cli(own_home, "search", "giam dinh phap y")
    assert result.exit_code == 5, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("procreg: ")]
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in result.output
    assert _cli(own_home, "index", "rebuild").exit_code == 5


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow
def test_sigkill_during_the_index_sync_of_an_ingest_leaves_no_process(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert not ingest(CORPUS[:3], home=home).failed
    shutil.rmtree(home / "index")  # the next ingest rebuilds the whole index: a window to kill in
    env = {k: v for k, v in os.environ.items() if k != "PROCREG_HOME"}
    env["PYTHONPATH"] = str(ROOT)
    cmd = [sys.executable, str(ROOT / "cli.py"), "--home", str(home), "ingest", *map(str, CORPUS)]
    quiet = subprocess.DEVNULL
    proc = subprocess.Popen(cmd, env=env, stdout=quiet, stderr=quiet, start_new_session=True)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if any(home.glob(".index.build-*")):
            break
        time.sleep(0.005)
    killed_in_sync = proc.poll() is None and any(home.glob(".index.build-*"))
    proc.send_signal(signal.SIGKILL)  # the parent only: any worker it started would be orphaned
    proc.wait(timeout=30)
    deadline = time.monotonic() + 5
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _group_alive(proc.pid), "a process of the killed ingest is still running"
    assert killed_in_sync, "the ingest ended before its index sync could be interrupted"
    assert _cli(home, "search", "giam dinh").exit_code in (0, 1)
    assert _cli(home, "index", "check").exit_code == 0
