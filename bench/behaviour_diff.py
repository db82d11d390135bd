"""Compare what procreg prints and writes at a base commit and in the working tree, byte for byte.

    .venv/bin/python bench/behaviour_diff.py                 # base: the last commit before the package
    .venv/bin/python bench/behaviour_diff.py --base HEAD~3   # any commit
    .venv/bin/python bench/behaviour_diff.py --keep out/     # keep both output trees for a diff -r

Outputs compared, over every document in tests/corpus/ and samples/ (.txt, .docx, .pdf; the corpus .txt
files are also rendered to .docx and .pdf by tests/fixtures/build.py):

- ``parse --json`` of each document;
- after one ``ingest`` of them all: ``list --json``, ``show --json`` of every procedure (by id),
  ``audit --json``, and ``diagram`` of every procedure with steps in svg, mermaid, dot and bpmn.

The base commit is checked out into a temporary git worktree and run with this venv's Python; the old
layout (top-level ``cli``, ``registry``...) is imported from the worktree, the new one as ``procreg``.
Prints one line per difference and a summary; exits 1 when anything differs. Not a test: it needs git
history, and differences may be intended (the closing note names them).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests")]  # fixtures

from fixtures.build import corpus_names, render  # noqa: E402

DEFAULT_BASE = "256b1f2"  # "README: ingest figures after the sync shortcut", the last pre-package commit
FORMATS = ("svg", "mermaid", "dot", "bpmn")
# The old layout's entry point and the new one, run by the same interpreter.
OLD_MAIN = "import sys; sys.argv[0] = 'procreg'; from cli import main; main()"
NEW_MAIN = "import sys; sys.argv[0] = 'procreg'; from procreg.cli import main; main()"


def documents() -> list[Path]:
    """Every input: the corpus texts and their renderings, and the samples as shipped."""
    out: list[Path] = []
    for name in corpus_names():
        out += [render(name, fmt) for fmt in ("txt", "docx", "pdf")]
    out += sorted(p for p in (ROOT / "samples").iterdir() if p.suffix in {".txt", ".docx", ".pdf"})
    return out


class Runner:
    """Runs one side's CLI with its own registry home and records every output under ``out``."""

    def __init__(self, main: str, pythonpath: str | None, out: Path) -> None:
        self.main, self.out = main, out
        self.env = {**os.environ, "COLUMNS": "100", "PYTHONHASHSEED": "0", "NO_COLOR": "1"}
        self.env.pop("PYTHONPATH", None)
        if pythonpath:
            self.env["PYTHONPATH"] = pythonpath
        self.home = out / "home"
        self.env["PROCREG_HOME"] = str(self.home)

    def run(self, args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-c", self.main, *args],
            env=self.env,
            capture_output=True,
            cwd=cwd or self.out,
            check=False,
        )

    def record(self, name: str, args: list[str]) -> subprocess.CompletedProcess[bytes]:
        done = self.run(args)
        path = self.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(done.stdout + f"\n--- exit {done.returncode}\n".encode())
        return done


def produce(runner: Runner, inputs: list[Path]) -> None:
    """All outputs of one side."""
    runner.out.mkdir(parents=True, exist_ok=True)
    for doc in inputs:
        runner.record(f"parse/{doc.parent.name}-{doc.name}.json", ["parse", str(doc), "--json"])
    runner.record("ingest.json", ["ingest", *map(str, inputs), "--json"])
    listing = runner.record("list.json", ["list", "--json"])
    procedures = json.loads(listing.stdout)["procedures"] if listing.returncode == 0 else []
    for proc in procedures:
        ident = f"#{proc['id']}"
        runner.record(f"show/{proc['id']:04d}.json", ["show", ident, "--json"])
        if not proc.get("steps"):
            continue
        for fmt in FORMATS:
            target = runner.out / "diagram" / f"{proc['id']:04d}.{fmt}"
            target.parent.mkdir(parents=True, exist_ok=True)
            runner.run(["diagram", ident, "--format", fmt, "-o", str(target)])
    runner.record("audit.json", ["audit", "--json", "--date", "2026-01-01"])


def compare(old: Path, new: Path) -> list[str]:
    """Relative paths whose bytes differ, or that exist on one side only."""
    names = {p.relative_to(old) for p in old.rglob("*") if p.is_file() and "home" not in p.parts}
    names |= {p.relative_to(new) for p in new.rglob("*") if p.is_file() and "home" not in p.parts}
    out = []
    for rel in sorted(names):
        a, b = old / rel, new / rel
        if not a.exists() or not b.exists():
            out.append(f"{rel}: only in {'new' if b.exists() else 'base'}")
        elif a.read_bytes() != b.read_bytes():
            out.append(f"{rel}: differs")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default=DEFAULT_BASE, help=f"commit to compare with (default {DEFAULT_BASE})")
    ap.add_argument("--keep", type=Path, help="keep the two output trees here (base/ and new/)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="procreg-diff-") as tmp:
        work = Path(tmp)
        base_tree = work / "base-tree"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base_tree), args.base],
            check=True,
            capture_output=True,
        )
        try:
            inputs = documents()
            # Both sides read the same copies, so paths printed in outputs are the same.
            old_out, new_out = work / "base", work / "new"
            if (base_tree / "__init__.py").exists():
                # A base in the package layout: its root imported as ``procreg`` through a symlink that
                # comes before this venv's editable install on the path.
                (work / "base-path").mkdir()
                (work / "base-path" / "procreg").symlink_to(base_tree, target_is_directory=True)
                produce(Runner(NEW_MAIN, str(work / "base-path"), old_out), inputs)
            else:
                produce(Runner(OLD_MAIN, str(base_tree), old_out), inputs)
            produce(Runner(NEW_MAIN, None, new_out), inputs)
            diffs = compare(old_out, new_out)
            compared = sum(1 for p in new_out.rglob("*") if p.is_file() and "home" not in p.parts)
            if args.keep:
                shutil.rmtree(args.keep, ignore_errors=True)
                args.keep.mkdir(parents=True)
                shutil.copytree(old_out, args.keep / "base")
                shutil.copytree(new_out, args.keep / "new")
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base_tree)], check=False
            )
    for line in diffs:
        print(line)
    print(f"{len(inputs)} documents, {compared} outputs; {len(diffs)} differ from {args.base}")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
