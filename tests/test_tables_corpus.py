"""vn-admin-docs-2: 60 real documents the parser was never fitted to, against independent counts.

``tests/corpus/vn-admin-docs-2/COUNTS.json`` holds, per document, the steps (in a table or in prose) and
the catalog rows counted by ``count_steps.py`` beside it (standard library only, never procreg) and read
against the text. Every document is parsed as .txt, as .docx (python-docx) and as .pdf (that .docx
converted by LibreOffice, so rows taller than a page break across pages as Word breaks them): the steps
and the catalog rows found must equal the counts, and the step lists the counter found (one per
procedure or case) must have the lengths of the procedures found. Run with ``-s`` for the table.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Callable
from typing import Any

import pytest
from conftest import CORPUS, requires_tool

from procreg.parsers.document import parse_document
from procreg.registry.models import ParsedDocument

CORPUS2 = CORPUS / "vn-admin-docs-2"
COUNTS: dict[str, dict[str, Any]] = json.loads((CORPUS2 / "COUNTS.json").read_text(encoding="utf-8"))[
    "documents"
]
requires_soffice = requires_tool("soffice", "apt-get install libreoffice-writer-nogui")
FORMATS = ["txt", "docx", pytest.param("pdf", marks=[pytest.mark.slow, requires_soffice])]


@pytest.fixture(scope="module")
def parsed() -> Callable[[str], dict[str, ParsedDocument]]:
    """format -> file name -> parsed record (each rendering parsed once for the module)."""
    from fixtures.tables import render2_all

    done: dict[str, dict[str, ParsedDocument]] = {}

    def get(fmt: str) -> dict[str, ParsedDocument]:
        if fmt not in done:
            if fmt == "txt":
                paths = {name: CORPUS2 / name for name in COUNTS}
            else:
                rendered = render2_all(fmt)
                paths = {name: rendered[name[: -len(".txt")]] for name in COUNTS}
            done[fmt] = {name: parse_document(path) for name, path in paths.items()}
        return done[fmt]

    return get


def test_the_counts_come_from_the_counter() -> None:
    # COUNTS.json is what count_steps.py writes: the numbers have their provenance in the repository.
    spec = importlib.util.spec_from_file_location("count_steps", CORPUS2 / "count_steps.py")
    assert spec is not None and spec.loader is not None
    counter = importlib.util.module_from_spec(spec)
    sys.modules["count_steps"] = counter  # its dataclasses look their module up
    spec.loader.exec_module(counter)
    for name, want in COUNTS.items():
        assert counter.count(CORPUS2 / name) == want, name
    assert len(COUNTS) == len(list(CORPUS2.glob("*.txt"))) == 60
    with_steps = [n for n, c in COUNTS.items() if c["steps"]]
    assert (len(with_steps), sum(COUNTS[n]["steps"] for n in with_steps)) == (14, 97)
    assert sum(c["catalog_rows"] for c in COUNTS.values()) == 535


@pytest.mark.parametrize("fmt", FORMATS)
def test_steps_and_catalog_rows_equal_the_counts(fmt: str, parsed: Callable[[str], Any]) -> None:
    docs: dict[str, ParsedDocument] = parsed(fmt)
    misses: list[str] = []
    print(f"\n[{fmt}] steps and catalog rows found / counted, per document with either:")
    print(f"  {'document':<62} {'steps':>9} {'procedures':<22} {'catalog':>9}")
    for name, want in sorted(COUNTS.items()):
        doc = docs[name]
        steps = sum(len(p.steps) for p in doc.procedures)
        lengths = sorted(len(p.steps) for p in doc.procedures)
        counted = sorted(len(run) for run in want["step_lines"])
        ok = steps == want["steps"] and len(doc.catalog) == want["catalog_rows"] and lengths == counted
        if want["steps"] or want["catalog_rows"] or not ok:
            mark = "" if ok else "  <-- differs"
            print(
                f"  {name[:-4][:62]:<62} {steps:>4}/{want['steps']:<4} {str(lengths)[:22]:<22} "
                f"{len(doc.catalog):>4}/{want['catalog_rows']:<4}{mark}"
            )
        if not ok:
            misses.append(
                f"{name}: steps {steps} (lists {lengths}), catalog {len(doc.catalog)}; counted {want}"
            )
    total = sum(sum(len(p.steps) for p in d.procedures) for d in docs.values())
    print(f"  total steps {total}/{sum(c['steps'] for c in COUNTS.values())}")
    assert not misses, misses


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_plan_or_letter_gives_steps(fmt: str, parsed: Callable[[str], Any]) -> None:
    # The plans' task tables ("STT | Nhiệm vụ | Chủ trì | Phối hợp | Thời gian") number tasks, not steps.
    docs: dict[str, ParsedDocument] = parsed(fmt)
    for name, want in COUNTS.items():
        if not want["steps"]:
            assert docs[name].procedures == () or all(not p.steps for p in docs[name].procedures), name


def test_signer_qualifier_of_the_corpus(parsed: Callable[[str], Any]) -> None:
    doc = parsed("txt")["byt_qd3621-2025_quytrinh-tthc_thiduakhenthuong.txt"]
    assert doc.signer is not None
    assert (doc.signer.authority, doc.signer.position, doc.signer.name) == (
        "KT. BỘ TRƯỞNG",
        "Thứ trưởng thường trực",
        "Vũ Mạnh Hà",
    )


def test_phases_of_one_step_table_are_one_procedure(parsed: Callable[[str], Any]) -> None:
    # Bộ Y tế 3621: phases A/B/C restart the numbering; their 18 steps add up to the stated 150 days.
    (proc,) = parsed("txt")["byt_qd3621-2025_quytrinh-tthc_thiduakhenthuong.txt"].procedures
    assert [s.label for s in proc.steps][:4] == ["A.1", "A.2", "A.3", "B.1"]
    assert proc.stated_total == "150 ngày" and proc.counted_hours == proc.stated_total_hours == 1200.0
    assert proc.warnings == ()
