"""One registry wherever you stand (issue 13, Build 9): found like git's repository, never made by a reader.

Precedence: ``--home`` wins, then ``PROCREG_HOME``, then the nearest ``.procreg`` folder (holding a
``registry.db``) in the current folder or a parent. Only ``init`` and ``ingest`` create a registry.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from procreg import Registry
from procreg.cli import cli
from procreg.registry.api import locate_home

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "qd-45-sngv-2023_danhmuc-quytrinhnoibo_hoinghi-doanra.docx"

# Every command that reads the registry, with arguments that would succeed on a filled one.
READERS = (
    ["list"],
    ["show", "QT.NV.01"],
    ["units"],
    ["symbols"],
    ["config", "list"],
    ["audit", "--period", "2023"],
    ["targets"],
    ["search", "hoi nghi"],
    ["diagram", "QT.NV.01", "--format", "mermaid"],
    ["export"],
    ["check"],
    ["index", "check"],
    ["review", "QT.NV.01", "--on", "2023-07-01"],
    ["units", "alias", "Văn thư Sở", "Văn thư"],
)


def _run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    runner = CliRunner(env={"PROCREG_HOME": "", **(env or {})})
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(cwd)
        return runner.invoke(cli, list(args))


@pytest.mark.vietnamese  # it checks the Vietnamese wording
def test_a_command_in_a_subfolder_finds_the_registry_above(tmp_path: Path) -> None:
    project = tmp_path / "phong-hcth"
    out = project / "out" / "so-do"
    out.mkdir(parents=True)
    created = _run(project, "ingest", str(SAMPLE))
    assert created.exit_code == 0, created.output
    assert f"đã tạo sổ đăng ký mới tại {project / '.procreg'}" in created.stderr
    shown = _run(out, "diagram", "QT.NV.01", "--format", "mermaid")
    assert shown.exit_code == 0, shown.stderr
    assert "flowchart" in shown.stdout
    assert not (out / ".procreg").exists() and not (project / "out" / ".procreg").exists()
    again = _run(out, "ingest", str(SAMPLE))
    assert again.exit_code == 0 and "đã tạo" not in again.stderr  # the found registry, not a new one


@pytest.mark.parametrize("args", READERS, ids=lambda a: " ".join(a[:2]))
def test_no_command_but_init_and_ingest_creates_a_registry(tmp_path: Path, args: list[str]) -> None:
    result = _run(tmp_path, *args)
    assert result.exit_code == 4, (args, result.output)
    assert "no registry here" in result.stderr and "procreg init" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.vietnamese  # it checks the Vietnamese wording
def test_init_creates_here_and_says_when_it_is_there(tmp_path: Path) -> None:
    result = _run(tmp_path, "init")
    assert (result.exit_code, result.stdout) == (0, f"Đã tạo sổ đăng ký mới tại {tmp_path / '.procreg'}\n")
    assert (tmp_path / ".procreg" / "registry.db").is_file()
    again = _run(tmp_path, "init")
    assert (again.exit_code, again.stdout) == (0, f"Đã có sổ đăng ký tại {tmp_path / '.procreg'}\n")
    assert _run(tmp_path, "list").exit_code == 0
    # Like `git init`, a registry in a parent folder does not stop one being made in a subfolder.
    sub = tmp_path / "con"
    sub.mkdir()
    assert _run(sub, "init").exit_code == 0 and (sub / ".procreg" / "registry.db").is_file()


def test_precedence_home_option_then_env_then_walk_up(tmp_path: Path) -> None:
    walked, env_home, option_home = tmp_path / "a", tmp_path / "env", tmp_path / "opt"
    deep = walked / "b" / "c"
    deep.mkdir(parents=True)
    for home in (walked / ".procreg", env_home, option_home):
        Registry(home).init()
    assert locate_home(None, {}, deep).path == walked / ".procreg"
    assert locate_home(None, {}, deep).source == "found"
    assert locate_home(None, {"PROCREG_HOME": str(env_home)}, deep).path == env_home
    chosen = locate_home(option_home, {"PROCREG_HOME": str(env_home)}, deep)
    assert (chosen.path, chosen.source) == (option_home, "option")
    assert locate_home("rel", {}, deep).path == deep / "rel"  # relative to where the command runs
    nothing = locate_home(None, {}, tmp_path)
    assert (nothing.path, nothing.source) == (tmp_path / ".procreg", "default")
    # A .procreg folder without a registry file (a cache left behind) is not a registry.
    (deep / ".procreg").mkdir()
    assert locate_home(None, {}, deep).path == walked / ".procreg"


def test_home_option_wins_through_the_cli(tmp_path: Path) -> None:
    here = tmp_path / "here"
    here.mkdir()
    Registry(here / ".procreg").init()
    other = tmp_path / "other"
    result = _run(here, "--home", str(other), "list")
    assert result.exit_code == 4 and str(other) in result.stderr
    env = _run(here, "list", env={"PROCREG_HOME": str(other)})
    assert env.exit_code == 4 and str(other) in env.stderr
    assert _run(here, "list").exit_code == 0


def test_registry_find_is_the_python_door_to_the_same_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PROCREG_HOME", raising=False)
    Registry(tmp_path / ".procreg").init()
    deep = tmp_path / "x" / "y"
    deep.mkdir(parents=True)
    assert Registry.find(deep).home == tmp_path / ".procreg"
    assert Registry.find(deep).exists()
