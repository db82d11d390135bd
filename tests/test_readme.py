"""The READMEs run as written.

The English one's Python API example (a doctest, in a folder holding a copy of samples/), the Vietnamese one's
quick start on a folder of documents, and the shell completion it documents.
"""

from __future__ import annotations

import doctest
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _section(markdown: str, heading: str) -> str:
    start = markdown.index(f"\n## {heading}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end != -1 else None]


def test_python_api_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    section = _section((ROOT / "README.en.md").read_text(encoding="utf-8"), "Python API")
    blocks = re.findall(r"```pycon\n(.*?)```", section, flags=re.DOTALL)
    assert blocks, "the README's Python API section has no pycon example"
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PROCREG_HOME", raising=False)
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.IGNORE_EXCEPTION_DETAIL)
    for number, block in enumerate(blocks, start=1):
        test = parser.get_doctest(block, {}, f"README.md Python API, example {number}", "README.md", 0)
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 10
    assert result.failed == 0, "the README's Python API example does not run as written (see output)"


# --------------------------------------------------------------------------------------------------
# The Vietnamese quick start ("Dùng với thư mục văn bản của bạn"), run as written


QUICK_START = "Dùng với thư mục văn bản của bạn"
DOCUMENTS = [
    "kh-01-sngv-2023-cchc.txt",
    "qd-45-sngv-2023_danhmuc-quytrinhnoibo_hoinghi-doanra.docx",
    "qd-45-sngv-2023_danhmuc-quytrinhnoibo_hoinghi-doanra.pdf",
    "qd-52-sngv-2023_danhmuc-quytrinhnoibo_doanvao-abtc.docx",
    "qd-52-sngv-2023_danhmuc-quytrinhnoibo_doanvao-abtc.pdf",
    "bc-18-sngv-2023_ra-soat-tthc-noibo.docx",
]


def _quick_start_blocks() -> list[str]:
    section = _section((ROOT / "README.md").read_text(encoding="utf-8"), QUICK_START)
    return re.findall(r"```bash\n(.*?)```", section, flags=re.DOTALL)


@pytest.mark.vietnamese
def test_the_vietnamese_quick_start_runs_as_written(tmp_path: Path) -> None:
    """The README's own lines, in a home where ~/procreg is this clone and ~/van-ban-so-ngoai-vu holds
    the samples (a plan, two decisions as .docx and .pdf, a review report, one of them in a subfolder)."""
    import os
    import subprocess
    import sys

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# procreg\n\nprocreg đọc văn bản hành chính tiếng Việt")
    assert readme.index("## Hai lệnh") < readme.index(f"## {QUICK_START}")
    blocks = _quick_start_blocks()
    assert len(blocks) == 3, "activation, the commands on a folder, shell completion"
    activate, commands, completion = blocks
    for command in ("init", "ingest", "search", "show", "diagram", "audit"):
        assert f"\nprocreg {command} " in "\n" + commands, command
    home = tmp_path / "home"
    clone = home / "procreg"
    clone.mkdir(parents=True)
    (clone / ".venv").symlink_to(
        Path(sys.prefix)
    )  # this checkout's virtual environment, as make demo made it
    assert (clone / ".venv" / "bin" / "activate").is_file(), "no virtual environment: run make test"
    folder = home / "van-ban-so-ngoai-vu"
    (folder / "quyet-dinh").mkdir(parents=True)
    for name in DOCUMENTS:
        shutil.copy(ROOT / "samples" / name, folder / ("quyet-dinh" if name.startswith("qd-") else "") / name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROCREG_", "VIRTUAL_ENV", "LANGUAGE"))}
    env |= {"HOME": str(home), "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"}  # procreg comes from the venv only
    # Completion: bash evaluates its line; the zsh and fish lines' scripts are made (another shell runs them).
    lines = [line.split("  #")[0].strip() for line in completion.strip().splitlines()]
    bash_line = next(line for line in lines if "bash_source" in line)
    made = [re.search(r"(_PROCREG_COMPLETE=\w+ procreg)", line) for line in lines if line != bash_line]
    checks = "".join(f'test -n "$({m.group(1)})"\n' for m in made if m)
    assert checks.count("test -n") == 2, lines
    script = "set -euo pipefail\n" + activate + "\n" + commands + "\n" + bash_line + "\n" + checks
    done = subprocess.run(
        ["bash", "-c", script], cwd=home, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "6 đã nạp" not in out and "đã đăng ký từ tệp khác" in out  # each decision counted once
    assert "4 quy trình" in out and "QT.NV.01" in out and "KẾT QUẢ RÀ SOÁT, CÔNG BỐ, CÔNG KHAI" in out
    assert "Đã ghi sự kiện" in out and "Đã tạo sổ đăng ký mới" in out
    assert (folder / ".procreg" / "registry.db").is_file()
    assert (folder / "qt-nv-01.svg").read_text(encoding="utf-8").rstrip().endswith("</svg>")
    assert (folder / "bao-cao-2023.docx").stat().st_size > 10_000
    # procreg is not on PATH before the activation: the README says why it is needed
    bare = subprocess.run(["bash", "-c", "procreg --version"], env=env, capture_output=True, text=True)
    assert bare.returncode == 127


@pytest.mark.vietnamese
def test_shell_completion_offers_the_vietnamese_words(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    procreg = str(Path(sys.executable).parent / "procreg")
    env = {
        **os.environ,
        "_PROCREG_COMPLETE": "bash_complete",
        "COMP_WORDS": "procreg list --status hi",
        "COMP_CWORD": "3",
    }
    done = subprocess.run([procreg], env=env, capture_output=True, text=True, timeout=60)
    assert "hiệu lực" in done.stdout and "hiện hành" in done.stdout, done.stdout
    env |= {"COMP_WORDS": "procreg li", "COMP_CWORD": "1"}
    assert "list" in subprocess.run([procreg], env=env, capture_output=True, text=True, timeout=60).stdout
