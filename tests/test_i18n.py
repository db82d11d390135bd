"""The Vietnamese interface (issue 14): a complete catalog, help and errors with no English left, English on
request, Vietnamese words for statuses and formats, and one style for dates and decimals.

Every ``--help`` of the command tree and a set of error cases run under the default language (Vietnamese)
and are checked against a small list of English words that must not appear; codes, file names, option
names and command names are allowed. The same runs under ``PROCREG_LANG=en`` (and an English ``LANG``)
give English.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from procreg.cli import cli
from procreg.cli_support import WordChoice
from procreg.i18n import LOCALE_DIR
from procreg.registry.results import REPORT_SETTINGS

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DEMO_FILES = [
    SAMPLES / "kh-01-sngv-2023-cchc.txt",
    SAMPLES / "qd-45-sngv-2023_danhmuc-quytrinhnoibo_hoinghi-doanra.docx",
    SAMPLES / "qd-52-sngv-2023_danhmuc-quytrinhnoibo_doanvao-abtc.docx",
    SAMPLES / "bc-18-sngv-2023_ra-soat-tthc-noibo.docx",
]
PO = LOCALE_DIR / "vi" / "LC_MESSAGES" / "procreg.po"
VIETNAMESE = {"PROCREG_LANG": None, "LANG": "C.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}
ENGLISH = {"PROCREG_LANG": "en"}

pytestmark = pytest.mark.vietnamese

# Words of procreg's (and click's) English messages: none of them may be left in Vietnamese output.
ENGLISH_WORDS = frozenset(
    """the and of to is are not with for from this that be by or it its when which was were has have
    yes file files folder folders print write written only error usage options commands missing such did you
    mean default required example examples help message exit value invalid try date report steps found
    cannot could empty unknown argument given must use got extra registry procedures procedure warning
    warnings there here first into than more every each none show shows unless already recorded nothing
    please choose one""".split()  # noqa: SIM905 - a list of words reads best as words
)
# Names a user types as they are: commands, choice names, setting keys, search filters, file kinds.
TYPED_NAMES = frozenset({*REPORT_SETTINGS, "code", "unit", "field", "status", "kind", "number", "issued_on"})


def _tree(
    command: click.Command, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _tree(sub, (*path, name))


COMMANDS = [path for path, _command in _tree(cli)]
NAMES = frozenset(
    {name for path in COMMANDS for name in path}
    | {
        word
        for _path, command in _tree(cli)
        for param in command.params
        if isinstance(param.type, WordChoice)
        for word in param.type.words
    }
    | TYPED_NAMES
)


def english_words(text: str) -> set[str]:
    """The English words of ``text``, leaving out command lines, options, codes, file and typed names."""
    text = re.sub(r"procreg(?: [^\s;)`\"“]+)+", " ", text)  # a command line: `procreg ingest FILE`
    found = set()
    for token in re.findall(r"[^\s,;:()\[\]{}'\"“”|=<>`]+", text):
        if token.startswith("-") or re.search(r"[./_\\$#@%0-9~*+]", token):
            continue  # an option, a file name, a code, a number
        word = token.strip("!?.…").lower()
        if word in ENGLISH_WORDS and word not in NAMES:
            found.add(word)
    return found


def _run(args: list[str], env: dict[str, Any], home: Path | None = None) -> Result:
    prefix = ["--home", str(home)] if home is not None else []
    return CliRunner().invoke(cli, [*prefix, *args], env=env, prog_name="procreg")


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A registry of the demo's documents: the plan, two publishing decisions and the review report."""
    home = tmp_path_factory.mktemp("i18n") / "home"
    result = CliRunner().invoke(cli, ["--home", str(home), "ingest", *map(str, DEMO_FILES)], env=ENGLISH)
    assert result.exit_code == 0, result.output
    return home


# --------------------------------------------------------------------------------------------------
# The catalog


def test_the_vietnamese_catalog_is_complete_and_compiled() -> None:
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    with PO.open("rb") as fh:
        catalog = read_po(fh)
    messages = [m for m in catalog if m.id]
    untranslated = [m.id for m in messages if not all(m.string) or not m.string]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert len(messages) > 500
    assert not untranslated, untranslated[:5]
    assert not fuzzy, fuzzy[:5]
    # The compiled catalog procreg ships says the same as the .po (make i18n compiles it).
    with (PO.parent / "procreg.mo").open("rb") as fh:
        compiled = read_mo(fh)
    for m in messages:
        shipped = compiled.get(m.id, context=m.context)
        assert shipped is not None and tuple(_strings(shipped)) == tuple(_strings(m)), m.id


def _strings(message: Any) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string)


def test_every_message_of_the_code_is_in_the_catalog() -> None:
    """The catalog is in step with the code: nothing the code marks is missing from it (run make i18n)."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    with PO.open("rb") as fh:
        catalog = read_po(fh)
    known = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}
    method_map = [("**.py", "procreg.i18n:babel_extract"), ("**/templates/**.html", "jinja2")]
    options_map = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    keywords = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
    missing = []
    parts = (
        "cli.py",
        "cli_support.py",
        "i18n.py",
        "registry",
        "parsers",
        "procedures",
        "index",
        "presentation",
    )
    for part in (*parts, "text", "web"):
        where = ROOT / part
        if where.is_file():
            found = _extract_file(where, keywords)
        else:
            found = (
                (ctx, msg)
                for _f, _l, msg, _c, ctx in extract_from_dir(
                    where, method_map, options_map=options_map, keywords=keywords
                )
            )
        for ctx, msg in found:
            text = msg if isinstance(msg, str) else msg[0]
            if (ctx, text) not in known:
                missing.append(text)
    assert not missing, missing[:5]


def _extract_file(path: Path, keywords: dict[str, Any]) -> Iterator[tuple[str | None, Any]]:
    from babel.messages.extract import extract

    with path.open("rb") as fh:
        for _line, msg, _comments, ctx in extract("procreg.i18n:babel_extract", fh, keywords=keywords):
            yield ctx, msg


# --------------------------------------------------------------------------------------------------
# Help of every command, errors: Vietnamese by default, English on request


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "procreg")
def test_help_is_vietnamese_by_default_and_english_on_request(path: tuple[str, ...]) -> None:
    vi = _run([*path, "--help"], VIETNAMESE)
    assert vi.exit_code == 0, vi.output
    assert vi.output.startswith("Cách dùng: procreg")
    assert "Tùy chọn:" in vi.output
    assert not english_words(vi.output), (english_words(vi.output), vi.output)
    en = _run([*path, "--help"], ENGLISH)
    assert en.exit_code == 0 and en.output.startswith("Usage: procreg") and "Options:" in en.output
    assert len(english_words(en.output)) >= 3, en.output
    assert _run([*path, "-h"], {**VIETNAMESE, "LANG": "en_US.UTF-8"}).output == en.output


ERROR_CASES: list[tuple[str, list[str], int, bool]] = [
    # (id, arguments, exit code, needs the registry)
    ("no such command", ["lisst"], 2, False),
    ("no such option", ["list", "--nope"], 2, False),
    ("missing argument", ["show"], 2, False),
    ("missing option", ["publish", "QT.NV.01"], 2, False),
    ("bad status", ["list", "--status", "xyz"], 2, False),
    ("bad size", ["ingest", "--max-size", "abc", "x.txt"], 2, False),
    ("bad count", ["search", "x", "--limit", "0"], 2, False),
    ("no registry", ["show", "QT.NV.01"], 4, False),
    ("no such file", ["parse", "khong-co.txt"], 4, False),
    ("a folder", ["parse", "."], 3, False),
    ("unsupported file", ["parse", "pyproject.toml"], 3, False),
    ("unknown procedure", ["show", "QT.NV.09"], 4, True),
    ("no such day", ["review", "QT.NV.02", "--on", "31/02/2023", "--by", "A"], 2, True),
    ("not a date", ["review", "QT.NV.02", "--on", "hôm qua", "--by", "A"], 2, True),
    ("a future day", ["review", "QT.NV.02", "--on", "2099-01-01", "--by", "A"], 2, True),
    ("bad period", ["audit", "--period", "2023-13"], 2, True),
    ("unknown setting", ["config", "get", "khong_co"], 2, True),
    ("diagram without a subject", ["diagram"], 2, True),
    ("no such event", ["undo", "999", "--reason", "nhầm"], 4, True),
    ("unregistered decision", ["publish", "QT.NV.01", "--decision", "99/QĐ-X"], 4, True),
    ("below the target", ["audit", "--period", "2023", "--fail-under", "90", "--json"], 10, True),
]


@pytest.mark.parametrize("args,code,needs", [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES])
def test_errors_are_vietnamese_by_default_and_english_on_request(
    args: list[str], code: int, needs: bool, registry: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    home = registry if needs else tmp_path / "trong"
    vi = _run(args, VIETNAMESE, home)
    assert vi.exit_code == code, vi.output
    said = vi.stderr.strip()
    assert said and not english_words(said), (english_words(said), said)
    assert not re.search(r"\b(?:Usage|Error|Try)\b", said)
    en = _run(args, ENGLISH, home)
    assert en.exit_code == code
    assert english_words(en.stderr), en.stderr
    assert en.stderr != vi.stderr


VIEWS = [
    ["list"],
    ["show", "QT.NV.04"],
    ["targets"],
    ["units"],
    ["symbols", "list", "--all"],
    ["config", "list"],
    ["index", "check"],
    ["search", "hoi nghi"],
    ["search", "giam dinh phapy"],
    ["search", '"hoi nghi'],
    ["audit", "--period", "2023"],
    ["parse", str(DEMO_FILES[0])],
    ["diagram", "--units"],
    ["check"],
    ["ingest", str(DEMO_FILES[1])],
]


@pytest.mark.parametrize("args", VIEWS, ids=lambda a: " ".join(a[:2]))
def test_what_commands_print_is_vietnamese(args: list[str], registry: Path) -> None:
    """Views, notices, summaries and warnings of the commands people run every day: no English left."""
    result = _run(args, VIETNAMESE, registry)
    assert result.exit_code in (0, 1), result.output
    left = {line: english_words(line) for line in result.output.splitlines() if english_words(line)}
    assert not left, left


def test_python_never_speaks_for_procreg() -> None:
    """A day the calendar lacks is said in procreg's words, not Python's ("day is out of range")."""
    result = _run(["review", "X", "--on", "30/02/2025"], VIETNAMESE, Path("/nonexistent"))
    assert "out of range" not in result.output
    assert "tháng 2 năm 2025 không có ngày 30" in result.output


# --------------------------------------------------------------------------------------------------
# Vietnamese words typed for statuses, formats and kinds


@pytest.mark.parametrize("word", ["hieu luc", "hiệu lực", "Hiệu Lực", "còn hiệu lực", "active"])
def test_list_status_takes_vietnamese_words_with_or_without_accents(word: str, registry: Path) -> None:
    wanted = _run(["list", "--status", "active", "--json"], VIETNAMESE, registry)
    result = _run(["list", "--status", word, "--json"], VIETNAMESE, registry)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == json.loads(wanted.output)
    assert json.loads(result.output)["total"] == 4


def test_other_statuses_formats_and_kinds_in_vietnamese(registry: Path) -> None:
    for word in ("thay the", "bãi bỏ", "thu hồi"):
        result = _run(["list", "--status", word], VIETNAMESE, registry)
        assert result.exit_code == 0 and "Không có quy trình nào." in result.output
    text = _run(["audit", "--period", "2023", "--format", "text"], VIETNAMESE, registry).output
    assert _run(["audit", "--period", "2023", "--format", "van ban"], VIETNAMESE, registry).output == text
    html = _run(["audit", "--period", "2023", "--format", "trang web"], VIETNAMESE, registry)
    assert html.output.lstrip().startswith("<!DOCTYPE html>")
    found = _run(
        ["search", "hoi nghi", "--kind", "quy trình", "--status", "hiệu lực", "--json"], VIETNAMESE, registry
    )
    hits = json.loads(found.output)["hits"]
    assert hits and {h["kind"] for h in hits} == {"procedure"}
    assert _run(["parse", str(DEMO_FILES[0]), "--ocr", "không"], VIETNAMESE).exit_code == 0
    listed = _run(["search", "x", "--status", "nope"], VIETNAMESE, registry)
    assert listed.exit_code == 2 and "hiệu lực, thay thế, bãi bỏ, thu hồi" in listed.stderr


# --------------------------------------------------------------------------------------------------
# One style: dd/mm/yyyy and a decimal comma in Vietnamese, a dot in English; JSON keeps ISO and dots

_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_DMY = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")
# A number procreg wrote: before a unit, a percent sign or days (not a section number such as 2.1).
_DECIMAL = re.compile(r"\b\d+([.,])\d+(?=%| giờ| ngày| h\b| days?\b| giây| s\b| MB)")


def _marks(text: str) -> set[str]:
    return {m.group(1) for m in _DECIMAL.finditer(text)}


def test_show_writes_dates_and_decimals_in_the_readers_style(registry: Path) -> None:
    vi = _run(["show", "QT.NV.04"], VIETNAMESE, registry).output
    assert "Σ thời gian tính được: 44 giờ (5,5 ngày) / thời hạn giải quyết: 40 giờ (5 ngày)" in vi
    assert "5.5" not in vi and _DMY.search(vi) and not _ISO.search(vi)
    en = _run(["show", "QT.NV.04"], ENGLISH, registry).output
    assert "Σ counted time: 44 h (5.5 days) / time limit: 40 h (5 days)" in en
    assert "5,5" not in en and _DMY.search(en) and not _ISO.search(en)
    data = json.loads(_run(["show", "QT.NV.04", "--json"], VIETNAMESE, registry).output)
    assert data["counted_hours"] == 44.0 and _ISO.fullmatch(data["document"]["issued_on"])


@pytest.mark.parametrize("fmt", ["text", "md", "html", "csv", "docx", "xlsx"])
def test_audit_writes_dates_and_decimals_one_way_in_every_format(
    fmt: str, registry: Path, tmp_path: Path
) -> None:
    out = tmp_path / f"bao-cao.{fmt}"
    result = _run(
        ["audit", "--period", "2023", "--format", fmt, "-o", str(out), "--date", "31/12/2023"],
        VIETNAMESE,
        registry,
    )
    assert result.exit_code == 0, result.output
    text = _file_text(out)
    if fmt != "csv":  # the CSV file has no percentage: one row per procedure
        assert "25,0%" in text and _marks(text) == {","}, sorted(_marks(text))
    assert not _ISO.search(text), _ISO.findall(text)[:3]
    assert _DMY.search(text)
    assert "--" not in re.sub(r"<!--.*?-->|-{3,}|\|[-| :]+\|", "", text, flags=re.S)  # no option in a report
    en = _run(
        ["audit", "--period", "2023", "--format", fmt, "-o", str(out), "--date", "31/12/2023"],
        ENGLISH,
        registry,
    )
    assert en.exit_code == 0 and _file_text(out) == text  # the report is the office's Vietnamese document


def test_audit_json_keeps_iso_dates_and_dot_decimals(registry: Path) -> None:
    data = json.loads(_run(["audit", "--period", "2023", "--json"], VIETNAMESE, registry).stdout)
    assert data["period"] == {"as_of": None, "from": "2023-01-01", "to": "2023-12-31"}
    assert data["target"]["issued_on"] == "2023-01-10" and data["target"]["value"] == 90.0
    assert data["coverage"] == {"covered": 1, "in_scope": 4, "percent": 25.0}
    assert data == json.loads(_run(["audit", "--period", "2023", "--json"], ENGLISH, registry).stdout)


def test_a_report_without_a_target_says_so_in_its_readers_words(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert _run(["ingest", str(DEMO_FILES[1])], ENGLISH, home).exit_code == 0
    text = _run(["audit", "--period", "2023"], VIETNAMESE, home).stdout
    assert "Chỉ tiêu   : chưa xác định chỉ tiêu" in text and "--target" not in text
    html = tmp_path / "r.html"
    _run(["audit", "--period", "2023", "--target", "90", "-o", str(html)], VIETNAMESE, home)
    page = html.read_text(encoding="utf-8")
    assert "90,0%" in page and "--target" not in page and "nhập khi chạy lệnh" not in page


def test_summaries_write_decimals_in_the_readers_style(registry: Path) -> None:
    vi = _run(["index", "rebuild"], VIETNAMESE, registry).output
    assert vi.startswith("Đã dựng lại chỉ mục tìm kiếm") and _marks(vi) == {","}, vi
    en = _run(["index", "rebuild"], ENGLISH, registry).output
    assert en.startswith("Search index rebuilt") and _marks(en) == {"."}, en
    targets = _run(["targets"], VIETNAMESE, registry).output
    assert "→ đo được: 25,0%" in targets and "10/01/2023" in targets and not _ISO.search(targets)
    assert "→ measured: 25.0%" in _run(["targets"], ENGLISH, registry).output


def _file_text(path: Path) -> str:
    if path.suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path)
        return "\n".join(
            str(c.value)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for c in row
            if c.value is not None
        )
    return path.read_text(encoding="utf-8-sig")


# --------------------------------------------------------------------------------------------------
# make demo: Vietnamese from start to end


def test_the_demo_speaks_vietnamese_from_start_to_end(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    bin_dir = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if k not in ("PROCREG_LANG", "PROCREG_HOME", "LANGUAGE")}
    env |= {
        "LANG": "en_US.UTF-8",  # the demo is Vietnamese whatever the machine's locale says
        "PROCREG_DEMO_OUT": str(tmp_path / "demo-out"),
        "PROCREG": str(bin_dir / "procreg"),
        "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
    }
    done = subprocess.run(
        ["bash", str(ROOT / "samples" / "demo.sh")], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    said = done.stdout + done.stderr
    lines = [line for line in said.splitlines() if not line.startswith("$ procreg")]  # the commands run
    assert len(lines) > 150 and "== 11. Toàn vẹn" in said and "Kết luận: KHÔNG nguyên vẹn" in said
    left = {line: english_words(line) for line in lines if english_words(line)}
    assert not left, left
