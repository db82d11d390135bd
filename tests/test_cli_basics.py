"""Contract tests for the command line as a whole: help everywhere, light start-up, error boundary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from procreg import cli

HEAVY = ("whoosh", "docx", "pdfplumber", "pdfminer", "networkx", "fpdf")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    for name, cmd in sorted(group.commands.items()):
        out.append((prefix + name, cmd))
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, prefix + name + " "))
    return out


def test_every_command_has_help_with_an_example() -> None:
    commands = _commands(cli.cli)
    assert commands, "no commands registered"
    for name, cmd in commands:
        assert cmd.help, f"procreg {name} has no help text"
        if not isinstance(cmd, click.Group):
            assert "procreg " in cmd.help, f"procreg {name}'s help shows no example"


def test_help_runs_for_every_command() -> None:
    runner = CliRunner()
    for name, _ in _commands(cli.cli):
        result = runner.invoke(cli.cli, [*name.split(), "--help"])
        assert result.exit_code == 0, (name, result.output)


def test_startup_imports_no_heavy_library() -> None:
    code = (
        "import sys, procreg.cli; "
        f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    out = run.stdout.strip()
    assert out == "", f"importing cli pulls in heavy libraries: {out}"


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli.cli, ["no-such-command"])
    assert result.exit_code == 2


def test_a_missing_golden_file_fails_and_is_not_written(pytester: pytest.Pytester) -> None:
    conftest = Path(__file__).with_name("conftest.py").read_text(encoding="utf-8")
    pytester.makeconftest(conftest.replace('ROOT / "tests" / "golden"', "Path.cwd() / 'golden'"))
    pytester.makepyfile("def test_new(golden):\n    golden('new.txt', 'output under test')\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    assert not (pytester.path / "golden" / "new.txt").exists()
    result = pytester.runpytest("-p", "no:cacheprovider", "--update-golden")
    result.assert_outcomes(passed=1)
    assert (pytester.path / "golden" / "new.txt").read_text(encoding="utf-8") == "output under test"
