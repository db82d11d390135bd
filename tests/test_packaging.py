"""Installed, procreg is one import name: the wheel holds ``procreg`` alone, and the API works from it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "tests" / "corpus" / "plans" / "kh-01-sngv-2023-cchc.txt"
_NOT_SOURCE = (".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache", ".procreg", "demo-out")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy, as from a clean clone: setuptools leaves build/ and *.egg-info where it builds.
    source = out / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*_NOT_SOURCE))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
        env={"PYTHONWARNINGS": "ignore", "PATH": "/usr/bin:/bin"},
    )
    (found,) = out.glob("procreg-*.whl")
    return found


def test_the_wheel_installs_one_top_level_name(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        record = next(n for n in names if n.endswith(".dist-info/RECORD"))
        tops = {line.split("/", 1)[0] for line in zf.read(record).decode().splitlines()}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"procreg"}
    assert "procreg/parsers/data/units.json" in names  # data files travel with the package
    assert "procreg/locale/vi/LC_MESSAGES/procreg.mo" in names  # and the compiled Vietnamese messages
    assert not [n for n in names if n.startswith(("procreg/tests/", "procreg/bench/", "procreg/samples/"))]


def test_a_fresh_environment_imports_procreg_and_nothing_else(wheel: Path, tmp_path: Path) -> None:
    # A new venv holding only the wheel; the dependencies come from this venv's site-packages through a
    # .pth line (which does not run the editable-install hook of this checkout).
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "venv")], check=True)
    python = tmp_path / "venv" / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    script = f"""
import importlib, procreg
assert procreg.__file__.startswith({str(site)!r}), procreg.__file__
for name in ("cli", "index", "parsers", "registry", "procedures"):
    try:
        importlib.import_module(name)
    except ModuleNotFoundError:
        pass
    else:
        raise SystemExit(f"import {{name}} should fail")
doc = procreg.parse({str(PLAN)!r})
report = procreg.Registry({str(tmp_path / "home")!r}).ingest([{str(PLAN)!r}])
print(doc.number, len(doc.targets), len(report.ingested))
"""
    run = subprocess.run([str(python), "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["01/KH-SNgV", "23", "1"]
