"""procreg command line: thin click commands over ``registry.service``.

Every command parses its options, calls one service function and formats the result. Errors are
``RegistryError`` subclasses carrying their exit code; ``AppGroup`` turns them into one line on stderr
(a traceback only with ``-v``). Heavy libraries are imported inside the service functions, so
``procreg --help`` stays quick.

Every text is English here and shown in the user's language: help texts (docstrings, ``help=N_(…)``) by
``cli_support.Command`` when a command runs, messages through ``_()`` where they are printed.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from procreg.cli_support import VERSION_OPTION_HELP, Group, WordChoice
from procreg.i18n import N_, _, message_text, ngettext
from procreg.registry.errors import ExitCode, RegistryError
from procreg.text.vocabulary import (
    AUDIT_FORMAT_WORDS,
    DIAGRAM_FORMAT_WORDS,
    EXPORT_FORMAT_WORDS,
    OCR_WORDS,
    ROLE_WORDS,
    STATUS_WORDS,
)

if TYPE_CHECKING:
    from procreg.registry.api import Registry

__all__ = ["AppContext", "cli", "main"]

log = logging.getLogger("procreg")


@dataclass(frozen=True, slots=True)
class AppContext:
    """Settings shared by every command: where the registry lives and how chatty to be."""

    home: Path
    verbose: int
    home_source: str = "option"  # option, env, found (walked up to it) or default (see `locate_home`)

    @property
    def db_path(self) -> Path:
        """The SQLite registry file."""
        return self.home / "registry.db"

    @property
    def index_dir(self) -> Path:
        """The Whoosh index directory (a cache of the registry)."""
        return self.home / "index"

    @property
    def registry(self) -> Registry:
        """The Python API over this registry: every command goes through it."""
        from procreg.registry.api import Registry

        return Registry(self.home)


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print human output; control characters from documents are shown (``\\x1b``), never obeyed."""
    from procreg.text.safe import terminal_text

    click.echo(terminal_text(text), err=err, nl=nl)


def _fail(message: str, code: int) -> NoReturn:
    echo(f"procreg: {message}", err=True)
    sys.exit(code)


class AppGroup(Group):
    """Click group that maps procreg errors to exit codes, with a traceback only under ``-v``."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; report errors as one line and the matching exit code."""
        try:
            return super().invoke(ctx)
        except RegistryError as exc:
            if _verbose(ctx):
                traceback.print_exc()
            _fail(str(exc), int(exc.exit_code))
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            _fail(_("interrupted"), 130)
        except BrokenPipeError:
            sys.exit(int(ExitCode.OK))
        except Exception as exc:  # noqa: BLE001 - the one boundary that turns surprises into a line
            if _verbose(ctx):
                traceback.print_exc()
            message = _("unexpected error: %(error)s (run with -v for details)") % {
                "error": f"{type(exc).__name__}: {exc}"
            }
            _fail(message, int(ExitCode.ERROR))


def _verbose(ctx: click.Context) -> bool:
    obj = ctx.obj
    return isinstance(obj, AppContext) and obj.verbose > 0


def emit_json(data: Any) -> None:
    """Print one JSON document: UTF-8, stable key order, Vietnamese kept readable, no raw C1 control."""
    from procreg.text.safe import json_text

    click.echo(json_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)))


def app(ctx: click.Context) -> AppContext:
    """The ``AppContext`` of the running command."""
    obj = ctx.find_object(AppContext)
    assert obj is not None  # set by the group callback
    return obj


@click.group(cls=AppGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    help=N_(
        "Registry folder (registry.db and the search index). Without it: $PROCREG_HOME, else the nearest "
        ".procreg folder in this folder or a parent, else ./.procreg (created by init or ingest)."
    ),
)
@click.option("-v", "--verbose", count=True, help=N_("More detail on stderr; tracebacks on errors."))
@click.version_option(package_name="procreg", help=VERSION_OPTION_HELP)
@click.pass_context
def cli(ctx: click.Context, home: Path | None, verbose: int) -> None:
    """procreg: registry of internal administrative procedures (TTHC nội bộ) under ISO 9001.

    Reads Vietnamese plans, decisions and procedure catalogs (.txt, .docx, .pdf, .doc, .rtf), keeps the
    procedures with their steps, units, versions and review history, finds them, draws them and
    audits the plan's review target. Messages are in Vietnamese; PROCREG_LANG=en shows them in English.

    One registry wherever you stand, found like git's repository: --home wins, then $PROCREG_HOME,
    then the nearest .procreg folder in the current folder or a parent. Only `procreg init` and
    `procreg ingest` create a registry.

    \b
    Examples:
      procreg init
      procreg ingest ~/van-ban/ --recursive
      procreg search "quy trinh noi bo"
      procreg audit --fail-under 90

    \b
    Completion of commands and options in bash:
      eval "$(_PROCREG_COMPLETE=bash_source procreg)"
    """
    logging.basicConfig(
        level=logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING,
        format="procreg: %(message)s",
        stream=sys.stderr,
    )
    import os

    from procreg.registry.api import locate_home

    location = locate_home(home, os.environ, Path.cwd())
    ctx.obj = AppContext(home=location.path, verbose=verbose, home_source=location.source)


# ==================================================================================================
# parse (issue: foundation)
# ==================================================================================================


class _Size(click.ParamType[int]):
    """A size in bytes written as ``100M``, ``2G``, ``500K`` or a plain number of bytes."""

    name = N_("SIZE")
    _UNITS = {"": 1, "B": 1, "K": 1024, "M": 1024**2, "G": 1024**3}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().upper().removesuffix("IB").removesuffix("B")
        unit = text[-1:] if text[-1:] in self._UNITS else ""
        number = text[: len(text) - len(unit)]
        try:
            size = float(number) * self._UNITS[unit]
        except ValueError:
            self.fail(_("%(value)r is not a size such as 100M, 2G or 500K.") % {"value": value}, param, ctx)
        if size <= 0:
            self.fail(_("%(value)r: the size must be positive.") % {"value": value}, param, ctx)
        return int(size)


def _read_options(command: Any) -> Any:
    """The reading options of ``parse`` and ``ingest``: OCR and the limits."""
    command = click.option(
        "--max-size",
        type=_Size(),
        default="50M",
        show_default=True,
        help=N_("Refuse files larger than this (e.g. 100M, 1G)."),
    )(command)
    command = click.option(
        "--max-pages",
        type=click.IntRange(min=1),
        default=1000,
        show_default=True,
        help=N_("Refuse PDFs with more pages than this."),
    )(command)
    return click.option(
        "--ocr",
        type=WordChoice(OCR_WORDS),
        default="auto",
        show_default=True,
        help=N_(
            "Read scanned pages, junk text layers and text drawn as outlines by OCR (auto), every "
            "PDF page (always) or none (never). Needs: pip install 'procreg[ocr]' and "
            "apt install ocrmypdf tesseract-ocr-vie."
        ),
    )(command)


def _options(ocr: str, max_pages: int, max_size: int) -> Any:
    from procreg.registry.api import ReadOptions

    return ReadOptions(ocr=ocr, max_pages=max_pages, max_size=max_size)  # type: ignore[arg-type]


@cli.command("parse")
@click.argument("file", metavar=N_("FILE"), type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help=N_("Print the full record as one JSON document."))
@_read_options
@click.pass_context
def parse_cmd(ctx: click.Context, file: Path, as_json: bool, ocr: str, max_pages: int, max_size: int) -> None:
    """Parse one document (.txt, .docx, .pdf, .doc, .rtf) and show what it contains; nothing is stored.

    Issuer symbols added with `procreg symbols add` apply when the registry exists (it is not created).

    \b
    Example:
      procreg parse kh-01-sngv-2023-cchc.docx
      procreg parse qd-3005.pdf --json | jq '.targets'
    """
    import shutil

    from procreg.presentation.documents import document_json, format_document

    doc = app(ctx).registry.parse(file, _options(ocr, max_pages, max_size))
    if as_json:
        emit_json(document_json(doc))
        return
    echo(format_document(doc, width=shutil.get_terminal_size((100, 24)).columns))


# ==================================================================================================
# ingest, list, show, lifecycle events, units (issue: registry)
# ==================================================================================================


class _IngestProgress:
    """A click progress bar on stderr, created on the first file (only when stderr is a terminal)."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __call__(self, done: int, total: int, path: Path) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=_("Ingesting"), file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        self.bar.update(1, current_item=path.name)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar=N_("PATH..."), type=click.Path(path_type=Path))
@click.option("-r", "--recursive", is_flag=True, help=N_("Walk folders recursively."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print the report as JSON."))
@_read_options
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[Path, ...],
    recursive: bool,
    as_json: bool,
    ocr: str,
    max_pages: int,
    max_size: int,
) -> None:
    """Register the documents in PATH... (.txt, .md, .docx, .pdf, .doc, .rtf); unchanged files are skipped.

    Every other entry of a folder is listed as skipped, with its reason. .doc and .rtf files are
    converted by LibreOffice. Exit code 3 when any file failed (the others are still registered).

    Example: procreg ingest ~/van-ban/ --recursive
    """
    from procreg.presentation.ingest import format_ingest, ingest_json
    from procreg.registry.errors import InputError

    progress = _IngestProgress() if sys.stderr.isatty() else None
    try:
        report = app(ctx).registry.ingest(
            list(paths), recursive=recursive, progress=progress, options=_options(ocr, max_pages, max_size)
        )
    finally:
        if progress is not None:
            progress.close()
    if report.created_home is not None:
        echo("procreg: " + _("created a new registry in %(home)s") % {"home": report.created_home}, err=True)
    if as_json:
        emit_json(ingest_json(report))
    else:
        echo(format_ingest(report, show_unchanged=app(ctx).verbose > 0))
    if report.failed:
        first = report.failed[0]
        message = ngettext(
            "%(count)d file could not be ingested (the first: %(path)s: %(error)s)",
            "%(count)d files could not be ingested (the first: %(path)s: %(error)s)",
            len(report.failed),
        )
        raise InputError(
            message % {"count": len(report.failed), "path": first.path, "error": message_text(first.error)}
        )


@cli.command("init")
@click.pass_context
def init_cmd(ctx: click.Context) -> None:
    """Create a registry: ./.procreg here, or the folder --home / PROCREG_HOME names.

    Commands run in this folder or any folder below it then find it. Nothing happens when it exists.

    Example: procreg init
    """
    from procreg.registry.api import Registry

    context = app(ctx)
    # Like `git init`: a registry found in a parent folder does not stop one being made here.
    registry = Registry(Path.cwd() / ".procreg") if context.home_source == "found" else context.registry
    if registry.init():
        echo(_("Created a new registry in %(home)s") % {"home": registry.home})
    else:
        echo(_("A registry is already in %(home)s") % {"home": registry.home})


@cli.command("list")
@click.option(
    "--unit", metavar=N_("UNIT"), help=N_("Only procedures with a step of this unit (accent-insensitive).")
)
@click.option(
    "--field", metavar=N_("FIELD"), help=N_("Only procedures of this field (lĩnh vực), accent-insensitive.")
)
@click.option(
    "--status",
    type=WordChoice(STATUS_WORDS),
    help=N_("Only this status."),
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
def list_cmd(
    ctx: click.Context, unit: str | None, field: str | None, status: str | None, as_json: bool
) -> None:
    """List the registered procedures (current versions).

    Example: procreg list --unit "Văn thư" --field "giám định"
    """
    from procreg.presentation.procedures import format_list, list_json

    records = app(ctx).registry.procedures(unit=unit, field=field, status=status)
    emit_json(list_json(records)) if as_json else echo(format_list(records))


@cli.command()
@click.argument("code_or_name", metavar=N_("CODE_OR_NAME"))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
def show(ctx: click.Context, code_or_name: str, as_json: bool) -> None:
    """Show one procedure: fields, steps with units and times, Σ time vs limit, versions, history.

    The history lists every event with its id (for `procreg undo`); when the event log's hash chain is
    broken, it says so and from which event on (`procreg check` tells more).

    Example: procreg show QT.GĐ.01
    """
    from procreg.presentation.procedures import format_history_warning, format_show, show_json

    view = app(ctx).registry.get(code_or_name)
    emit_json(show_json(view)) if as_json else echo(format_show(view))
    warning = format_history_warning(view.history)
    if warning:
        echo(f"procreg: {warning}", err=True)


def _lifecycle_done(done: Any, as_json: bool) -> None:
    from procreg.presentation.procedures import format_recorded, recorded_json

    emit_json(recorded_json(done)) if as_json else echo(format_recorded(done))


def _today() -> str:
    from datetime import date

    return date.today().isoformat()  # the CLI edge is the one place that reads the clock


_FORCE_HELP = N_("Record it although its date was refused (the reasons are kept on the event).")


@cli.command()
@click.argument("code", metavar=N_("CODE"))
@click.option("--on", "on", required=True, metavar=N_("DATE"), help=N_("Date (YYYY-MM-DD or DD/MM/YYYY)."))
@click.option("--by", "by", metavar=N_("NAME"), help=N_("Who reviewed."))
@click.option("--note", metavar=N_("TEXT"), help=N_("A note."))
@click.option("--force", is_flag=True, help=_FORCE_HELP)
@click.option("--json", "as_json", is_flag=True, help=N_("Print the procedure as JSON."))
@click.pass_context
def review(
    ctx: click.Context, code: str, on: str, by: str | None, note: str | None, force: bool, as_json: bool
) -> None:
    """Record a review (rà soát) of a procedure or catalog entry.

    The date may not be in the future nor before the item was issued (unless --force); the same review
    twice is recorded once. CODE names a procedure (QT code, national code, name or #id) or a catalog
    entry with no process (national code, name or #DM id, as the audit's gap list prints it).

    Example: procreg review QT.GĐ.01 --on 2026-03-02 --by "Nguyễn Văn A"
    """
    done = app(ctx).registry.review(code, on=on, by=by, note=note, force=force, today=_today())
    _lifecycle_done(done, as_json)


@cli.command()
@click.argument("code", metavar=N_("CODE"))
@click.option(
    "--decision",
    required=True,
    metavar=N_("NUMBER"),
    help=N_("Number of the publishing decision (3005/QĐ-UBND)."),
)
@click.option("--on", "on", metavar=N_("DATE"), help=N_("Date (default: the decision's date)."))
@click.option(
    "--force",
    is_flag=True,
    help=N_(
        "Record it although its date was refused (the reasons are kept on the event). Also records an "
        "unregistered decision."
    ),
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print the procedure as JSON."))
@click.pass_context
def publish(ctx: click.Context, code: str, decision: str, on: str | None, force: bool, as_json: bool) -> None:
    """Record the publication (công bố) of a procedure or catalog entry by a registered decision.

    The decision must be in the registry (3005/QD-UBND finds 3005/QĐ-UBND); the event takes its date
    unless --on. An unknown decision, or a date before the decision, is refused unless --force.

    Example: procreg publish QT.GĐ.01 --decision 3005/QĐ-UBND
    """
    done = app(ctx).registry.publish(code, decision=decision, on=on, force=force, today=_today())
    _lifecycle_done(done, as_json)


@cli.command()
@click.argument("code", metavar=N_("CODE"))
@click.option("--on", "on", required=True, metavar=N_("DATE"), help=N_("Date (YYYY-MM-DD or DD/MM/YYYY)."))
@click.option("--where", required=True, metavar=N_("URL"), help=N_("Where it was made public (URL)."))
@click.option("--force", is_flag=True, help=_FORCE_HELP)
@click.option("--json", "as_json", is_flag=True, help=N_("Print the procedure as JSON."))
@click.pass_context
def publicize(ctx: click.Context, code: str, on: str, where: str, force: bool, as_json: bool) -> None:
    """Record that a procedure or catalog entry was made public (công khai), e.g. on the province portal.

    Công khai comes on or after công bố: an earlier date is refused unless --force.

    Example: procreg publicize QT.GĐ.01 --on 2025-12-04 --where https://motcua.hatinh.gov.vn
    """
    done = app(ctx).registry.publicize(code, on=on, where=where, force=force, today=_today())
    _lifecycle_done(done, as_json)


@cli.command()
@click.argument("code", metavar=N_("CODE"))
@click.option("--on", "on", required=True, metavar=N_("DATE"), help=N_("Date (YYYY-MM-DD or DD/MM/YYYY)."))
@click.option("--reason", required=True, metavar=N_("TEXT"), help=N_("Why it is withdrawn."))
@click.option("--force", is_flag=True, help=_FORCE_HELP)
@click.option("--json", "as_json", is_flag=True, help=N_("Print the procedure as JSON."))
@click.pass_context
def withdraw(ctx: click.Context, code: str, on: str, reason: str, force: bool, as_json: bool) -> None:
    """Withdraw a procedure or catalog entry (thu hồi): it stays in the registry, marked withdrawn.

    A withdrawn item takes no event until `procreg restore`.

    Example: procreg withdraw QT.GĐ.01 --on 2026-06-30 --reason "Thay bằng quy trình điện tử"
    """
    done = app(ctx).registry.withdraw(code, on=on, reason=reason, force=force, today=_today())
    _lifecycle_done(done, as_json)


@cli.command()
@click.argument("code", metavar=N_("CODE"))
@click.option("--on", "on", required=True, metavar=N_("DATE"), help=N_("Date (YYYY-MM-DD or DD/MM/YYYY)."))
@click.option("--reason", required=True, metavar=N_("TEXT"), help=N_("Why it is restored."))
@click.option("--force", is_flag=True, help=_FORCE_HELP)
@click.option("--json", "as_json", is_flag=True, help=N_("Print the procedure as JSON."))
@click.pass_context
def restore(ctx: click.Context, code: str, on: str, reason: str, force: bool, as_json: bool) -> None:
    """Restore a withdrawn procedure or catalog entry (it is in force again).

    Example: procreg restore QT.GĐ.01 --on 2026-07-02 --reason "Thu hồi nhầm"
    """
    done = app(ctx).registry.restore(code, on=on, reason=reason, force=force, today=_today())
    _lifecycle_done(done, as_json)


@cli.command()
@click.argument("event_id", type=click.IntRange(min=1), metavar=N_("EVENT_ID"))
@click.option("--reason", required=True, metavar=N_("TEXT"), help=N_("Why the event was a mistake."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print the procedure as JSON."))
@click.pass_context
def undo(ctx: click.Context, event_id: int, reason: str, as_json: bool) -> None:
    """Cancel a mistaken review, publication or publicizing: a cancelling event is appended.

    Nothing is erased: the history shows the event and the one that cancels it, and the audit no longer
    counts it. EVENT_ID is the number `procreg show` prints before each event.

    Example: procreg undo 12 --reason "Ghi nhầm ngày rà soát"
    """
    done = app(ctx).registry.undo(event_id, reason=reason, today=_today())
    _lifecycle_done(done, as_json)


@cli.command("check")
@click.option("--accept", metavar=N_("REASON"), help=N_("Record that you looked into the repairs reported."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
def check_cmd(ctx: click.Context, accept: str | None, as_json: bool) -> None:
    """Verify the registry: the event log's hash chain, its guarding triggers, SQLite's integrity check.

    Exit 5 naming the first bad event row when the history was changed, rows removed or added behind
    procreg's back, or the triggers dropped (procreg puts them back when it opens the registry; the
    repair stays reported until someone accepts it with --accept "REASON").

    Example: procreg check
    """
    from procreg.presentation.check import check_json, format_check
    from procreg.registry.errors import StoreError

    registry = app(ctx).registry
    if accept is not None:
        accepted = registry.accept_incidents(accept)
        echo(
            ngettext(
                "Recorded %(count)d incident as looked into: %(reason)s",
                "Recorded %(count)d incidents as looked into: %(reason)s",
                accepted,
            )
            % {"count": accepted, "reason": accept},
            err=True,
        )
    result = registry.check()
    emit_json(check_json(result)) if as_json else echo(format_check(result))
    if not result.sound:
        raise StoreError(result.summary(), path=str(registry.db_path))


@cli.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
def units(ctx: click.Context, as_json: bool) -> None:
    """Responsible units: list them (default), add an alias, merge two.

    Example: procreg units alias "Bộ phận TN&TKQ" "Bộ phận Tiếp nhận và Trả kết quả"
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(units_list_cmd, as_json=as_json)


@units.command("list")
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
def units_list_cmd(ctx: click.Context, as_json: bool) -> None:
    """List units with their aliases and how many steps name them.

    Example: procreg units list --json
    """
    from procreg.presentation.units import format_units, units_json

    found = app(ctx).registry.units()
    emit_json(units_json(found)) if as_json else echo(format_units(found))


@units.command("alias")
@click.argument("alias", metavar=N_("ALIAS"))
@click.argument("canonical", metavar=N_("CANONICAL"))
@click.pass_context
def units_alias_cmd(ctx: click.Context, alias: str, canonical: str) -> None:
    """Make ALIAS another name of CANONICAL, now and on later ingests.

    Example: procreg units alias "Bộ phận Một cửa" "Bộ phận Tiếp nhận và Trả kết quả"
    """
    from procreg.presentation.units import format_unit_moved

    moved = app(ctx).registry.alias_unit(alias, canonical)
    echo(format_unit_moved(alias, canonical, moved))


@units.command("merge")
@click.argument("source", metavar=N_("FROM"))
@click.argument("into", metavar=N_("INTO"))
@click.pass_context
def units_merge_cmd(ctx: click.Context, source: str, into: str) -> None:
    """Merge unit FROM into INTO (FROM is remembered as an alias).

    Example: procreg units merge "Văn thư Sở" "Văn thư"
    """
    from procreg.presentation.units import format_unit_moved

    moved = app(ctx).registry.merge_units(source, into)
    echo(format_unit_moved(source, into, moved))


@cli.group(invoke_without_command=True)
@click.option("--all", "all_", is_flag=True, help=N_("Also list the symbols shipped with procreg."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
def symbols(ctx: click.Context, all_: bool, as_json: bool) -> None:
    """Issuer symbols (the SNgV of 45/QĐ-SNgV -> Sở Ngoại vụ): list them (default) or add one.

    Your symbols are kept in the registry and used by later `ingest` and `parse` runs (on top of the
    shipped table); files already ingested are not re-read.

    Example: procreg symbols add SNgV "Sở Ngoại vụ"
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(symbols_list_cmd, all_=all_, as_json=as_json)


@symbols.command("list")
@click.option("--all", "all_", is_flag=True, help=N_("Also list the symbols shipped with procreg."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
def symbols_list_cmd(ctx: click.Context, all_: bool, as_json: bool) -> None:
    """List your issuer symbols (--all: with the shipped ones).

    Example: procreg symbols list --all
    """
    from procreg.presentation.symbols import format_symbols, symbols_json

    rows = app(ctx).registry.symbols(shipped=all_)
    emit_json(symbols_json(rows)) if as_json else echo(format_symbols(rows))


@symbols.command("add")
@click.argument("symbol", metavar=N_("SYMBOL"))
@click.argument("name", metavar=N_("NAME"))
@click.pass_context
def symbols_add_cmd(ctx: click.Context, symbol: str, name: str) -> None:
    """Add issuer SYMBOL meaning NAME (or rename it), for later ingests and parses.

    Example: procreg symbols add TTPVHCC "Trung tâm Phục vụ hành chính công"
    """
    from procreg.presentation.symbols import format_symbol_added

    new = app(ctx).registry.add_symbol(symbol, name)
    echo(format_symbol_added(symbol, name, new))


# ==================================================================================================
# export, diagram (issues: registry graph, flow diagrams)
# ==================================================================================================


@cli.command("diagram")
@click.argument("code", required=False, metavar=N_("CODE"))
@click.option(
    "--format",
    "fmt",
    type=WordChoice(DIAGRAM_FORMAT_WORDS),
    help=N_("Default: svg (--units: text, or svg when -o ends in .svg)."),
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help=N_("File to write."))
@click.option("--all", "all_", is_flag=True, help=N_("One diagram per procedure plus an index.html gallery."))
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar=N_("DIRECTORY"),
    help=N_("Folder for --all."),
)
@click.option("--units", is_flag=True, help=N_("Units-by-procedures overview: steps and hours per unit."))
@click.option(
    "--json", "as_json", is_flag=True, help=N_("Print what was written (or the units data) as JSON.")
)
@click.pass_context
def diagram(
    ctx: click.Context,
    code: str | None,
    fmt: str | None,
    output: Path | None,
    all_: bool,
    out_dir: Path | None,
    units: bool,
    as_json: bool,
) -> None:
    """Swimlane flow diagram of a procedure (one lane per unit): SVG, Mermaid, DOT or BPMN.

    SVG goes to a file named from the code (QT.GĐ.01 -> QT.GD.01.svg) unless -o; text formats to stdout.

    \b
    Examples:
      procreg diagram QT.GĐ.01                  # writes QT.GD.01.svg
      procreg diagram QT.GĐ.01 --format bpmn -o qt01.bpmn
      procreg diagram --all --out-dir so-do/    # + so-do/index.html
      procreg diagram --units -o don-vi.svg
    """
    from procreg.presentation.diagrams import format_all_diagrams, format_written
    from procreg.registry.errors import UsageError

    registry = app(ctx).registry
    if sum((bool(code), all_, units)) != 1:
        raise UsageError(_("give one of: a procedure CODE, --all or --units"))
    if units:
        kind = fmt or ("svg" if output and output.suffix.lower() == ".svg" else "text")
        text, data = registry.units_overview(fmt=kind, output=output)
        if as_json:
            emit_json(data)
        elif output is None:
            echo(text, nl=False)
        else:
            echo(format_written([output]), err=True)
        return
    if fmt == "text":
        raise UsageError(_("--format text is for --units; a diagram is svg, mermaid, dot or bpmn"))
    if all_:
        if out_dir is None:
            raise UsageError(_("--all needs --out-dir DIR"))
        done = registry.diagram_all(out_dir, fmt=fmt or "svg")
        if as_json:
            emit_json(done.to_json())
        else:
            echo(format_all_diagrams(done), err=True)
        return
    out = registry.write_diagram(str(code), fmt or "svg", output=output)
    if out.path is None:
        click.echo(out.text, nl=False)  # a diagram's source: its renderer already removed control characters
    elif as_json:
        emit_json(out.to_json())
    else:
        echo(format_written([out.path]), err=True)


@cli.command("export")
@click.option(
    "--format",
    "fmt",
    type=WordChoice(EXPORT_FORMAT_WORDS),
    default="json",
    show_default=True,
    help=N_("Output format."),
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help=N_("File to write."))
@click.option("--include-superseded", is_flag=True, help=N_("Also export superseded versions."))
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None, include_superseded: bool) -> None:
    """Export the catalog graph (node-link JSON, GraphML for yEd/Gephi) or procedures and steps as CSV.

    JSON and GraphML go to stdout unless -o. CSV writes two files: the procedures to FILE (default
    procreg-procedures.csv) and the steps to FILE-steps.csv beside it; their paths are printed on stderr.

    \b
    Examples:
      procreg export --format graphml -o registry.graphml
      procreg export --format csv -o quy-trinh.csv   # + quy-trinh-steps.csv
    """
    from procreg.presentation.diagrams import format_written
    from procreg.text.safe import json_text

    out = app(ctx).registry.export(fmt, output=output, include_superseded=include_superseded)
    if out.text is not None and not out.paths:
        click.echo(json_text(out.text) if fmt == "json" else out.text, nl=False)  # data: no control chars
    if out.paths:
        echo(format_written(out.paths), err=True)


# ==================================================================================================
# search, index (issue: search)
# ==================================================================================================


@cli.command("search")
@click.argument("query", nargs=-1, required=True, metavar=N_("QUERY..."))
@click.option(
    "--kind",
    metavar=N_("KIND"),
    help=N_("procedure, catalog, document, or a document kind (decision, plan...)."),
)
@click.option("--unit", metavar=N_("UNIT"), help=N_("Only this unit (accent-insensitive words)."))
@click.option(
    "--field", metavar=N_("FIELD"), help=N_("Only this field (lĩnh vực), accent-insensitive words.")
)
@click.option("--status", type=WordChoice(STATUS_WORDS), help=N_("Only this status."))
@click.option(
    "--limit", type=click.IntRange(1, 10000), default=10, show_default=True, help=N_("Hits to show.")
)
@click.option("--all-versions", is_flag=True, help=N_("Include superseded versions."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
def search_cmd(
    ctx: click.Context,
    query: tuple[str, ...],
    kind: str | None,
    unit: str | None,
    field: str | None,
    status: str | None,
    limit: int,
    all_versions: bool,
    as_json: bool,
) -> None:
    """Find procedures, catalog entries and documents; accents optional. Exit 1 when nothing is found.

    Words (all required), "phrases", code:, unit:, field:, status:, kind:, number:, issued_on:/review_due:
    ranges (issued_on:2025-01-01..2025-12-31), AND/OR/NOT.

    Example: procreg search "giam dinh phap y" --unit "so y te"
    """
    from procreg.presentation.search import format_hits, search_json

    marks = ("\x1b[1m", "\x1b[0m") if not as_json and sys.stdout.isatty() else ("", "")
    result = app(ctx).registry.search(
        " ".join(query),
        kind=kind,
        unit=unit,
        field=field,
        status=status,
        limit=limit,
        all_versions=all_versions,
        marks=marks,
    )
    for notice in result.notices:
        echo(notice, err=True)
    if as_json:
        emit_json(search_json(result))  # one document, hits or not
    elif result.hits:
        echo(format_hits(result))
    if not result.hits:
        echo(_("No results."), err=True)
        for s in result.suggestions:
            line = ngettext(
                "Did you mean: %(query)s (%(count)d result)",
                "Did you mean: %(query)s (%(count)d results)",
                s.total,
            )
            echo(line % {"query": s.query, "count": s.total}, err=True)
        ctx.exit(1)


@cli.group("index")
def index_cmd() -> None:
    """The search index: a cache of the registry, checked and rebuilt here."""


@index_cmd.command("check")
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
def index_check_cmd(ctx: click.Context, as_json: bool) -> None:
    """Compare the index with the registry (missing, stale, extra ids); exit 5 when they differ.

    Example: procreg index check
    """
    from procreg.presentation.search import check_json, format_check
    from procreg.registry.errors import IndexError_

    check = app(ctx).registry.check_index()
    emit_json(check_json(check)) if as_json else echo(format_check(check))
    if not check.clean:
        raise IndexError_(
            _("the search index is damaged or out of step with the registry; run procreg index rebuild")
        )


@index_cmd.command("rebuild")
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
def index_rebuild_cmd(ctx: click.Context, as_json: bool) -> None:
    """Rebuild the search index from the registry.

    Example: procreg index rebuild
    """
    from procreg.presentation.search import format_rebuild, rebuild_json

    bar: Any = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(
                length=total, label=_("Rebuilding the index"), file=sys.stderr, show_pos=True
            )
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        report = app(ctx).registry.rebuild_index(progress=progress if sys.stderr.isatty() else None)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    emit_json(rebuild_json(report)) if as_json else echo(format_rebuild(report))


# ==================================================================================================
# audit, targets (issue: audit)
# ==================================================================================================

_AUDIT_SUFFIXES = {
    ".md": "md",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".json": "json",
    ".docx": "docx",
    ".xlsx": "xlsx",
}


@cli.command()
@click.option(
    "--period",
    metavar=N_("PERIOD"),
    help=N_("Reporting period: 2023, 2023-H1, 2023-Q3, 2023-05 (default: the plan's year)."),
)
@click.option(
    "--from", "date_from", metavar=N_("DATE"), help=N_("First day of the period (YYYY-MM-DD or DD/MM/YYYY).")
)
@click.option("--to", "date_to", metavar=N_("DATE"), help=N_("Last day of the period."))
@click.option(
    "--as-of",
    "as_of",
    metavar=N_("DATE"),
    help=N_("Evaluate the registry as it stood on this day (later events ignored)."),
)
@click.option(
    "--target",
    type=float,
    metavar=N_("PERCENT"),
    help=N_("Target in percent (default: the ingested plan's target)."),
)
@click.option(
    "--unit", metavar=N_("UNIT"), help=N_("Only procedures owned by this unit (accent-insensitive).")
)
@click.option("--field", metavar=N_("FIELD"), help=N_("Only procedures of this field (lĩnh vực)."))
@click.option("--issuer", metavar=N_("ISSUER"), help=N_("Only procedures published by this issuer."))
@click.option(
    "--review-months",
    default=12,
    show_default=True,
    metavar=N_("MONTHS"),
    help=N_("Review interval for the overdue check."),
)
@click.option(
    "--format",
    "fmt",
    type=WordChoice(AUDIT_FORMAT_WORDS),
    help=N_("Output format (docx: the official báo cáo; xlsx: one sheet per table)."),
)
@click.option("--json", "as_json", is_flag=True, help=N_("Same as --format json."))
@click.option(
    "--csv", "as_csv", is_flag=True, help=N_("Same as --format csv (one row per in-scope procedure).")
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help=N_("Write the report here.")
)
@click.option("--date", "dated", metavar=N_("DATE"), help=N_("Date printed on the report (default: today)."))
@click.option(
    "--fail-under",
    type=float,
    metavar=N_("PERCENT"),
    help=N_("Exit 10 when coverage is below this percentage."),
)
@click.option(
    "--accept-broken-history",
    is_flag=True,
    help=N_("Report even when the event log is broken (procreg check); the report then says so."),
)
@click.pass_context
def audit(
    ctx: click.Context,
    /,
    fmt: str | None,
    as_json: bool,
    as_csv: bool,
    output: Path | None,
    dated: str | None,
    fail_under: float | None,
    **options: Any,
) -> None:
    """Audit the plan's target: internal procedures reviewed, published, publicized, with evidence.

    Coverage of rà soát, công bố, công khai per unit and field, the gaps, and ISO 9001 7.5 checks.

    \b
    Examples:
      procreg audit --period 2023 --fail-under 90 --format html -o bao-cao.html
      procreg audit --period 2023 --format docx -o bao-cao.docx   # the official báo cáo (Nghị định 30)
      procreg audit --period 2023 -o bao-cao.xlsx
    """
    from datetime import date

    today = date.today().isoformat()  # the CLI edge is the one place that reads the clock
    fmt = fmt or ("json" if as_json else "csv" if as_csv else None)
    fmt = fmt or (_AUDIT_SUFFIXES.get(output.suffix.lower(), "text") if output else "text")
    registry = app(ctx).registry
    report = registry.audit(today=today, **options)
    if report.target.value is None and fail_under is None:
        echo("procreg: " + _("no target: ingest the plan that sets it, or give --target N"), err=True)
    if fmt == "json" and output is None:
        emit_json(report.as_json())
    else:
        _write_report(registry, report, fmt, dated or today, output)
    _check_fail_under(report, fail_under)


def _write_report(registry: Registry, report: Any, fmt: str, dated: str, output: Path | None) -> None:
    """The report in ``fmt``: on stdout, or written to ``output`` (its path said on stderr)."""
    from procreg.presentation.reports import SETTINGS_FORMATS, render_report
    from procreg.registry.api import user_date

    settings = registry.report_settings() if fmt in SETTINGS_FORMATS else None
    text, written = render_report(
        report, fmt, dated=user_date(dated, option="--date"), output=output, settings=settings
    )
    if text is not None:
        # Human formats have their control characters shown; csv and html already lost theirs.
        echo(text, nl=False) if fmt in ("text", "md") else click.echo(text, nl=False)
    if written is not None:
        echo("procreg: " + _("written: %(path)s") % {"path": written}, err=True)
    _settings_notice(settings)


def _settings_notice(settings: Any) -> None:
    """One line on stderr naming the report settings the report printed as dotted lines."""
    from procreg.presentation.audit import missing_settings_notice

    notice = missing_settings_notice(settings.missing()) if settings is not None else None
    if notice:
        echo(f"procreg: {notice}", err=True)


def _check_fail_under(report: Any, threshold: float | None) -> None:
    """Exit 10 (``AuditBelowTarget``) when coverage is below ``--fail-under``.

    Raises:
        AuditBelowTarget: coverage below the threshold.
    """
    from procreg.presentation.audit import below_target_message
    from procreg.registry.errors import AuditBelowTarget

    if threshold is not None and report.below(threshold):
        raise AuditBelowTarget(below_target_message(report, threshold))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
def targets(ctx: click.Context, as_json: bool) -> None:
    """List the targets of the ingested plans, with the measured value beside the measurable ones.

    Example: procreg targets --json
    """
    from datetime import date

    from procreg.presentation.audit import format_targets, targets_json

    rows = app(ctx).registry.targets(today=date.today().isoformat())
    emit_json(targets_json(rows)) if as_json else echo(format_targets(rows), nl=False)


# ==================================================================================================
# config (report settings)
# ==================================================================================================


@cli.group("config", invoke_without_command=True)
@click.pass_context
def config_cmd(ctx: click.Context) -> None:
    """Registry settings the audit report prints: agency, parent_agency, place, signer, symbol, recipients.

    Unset settings print as dotted lines in the official report (docx, html, xlsx; a notice names them).

    \b
    Examples:
      procreg config set agency "Sở Ngoại vụ"
      procreg config set parent_agency "UBND tỉnh Hà Tĩnh"
      procreg config set recipients "UBND tỉnh (để b/c); Sở Nội vụ; Lưu: VT, VP"
      procreg config list
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(config_list_cmd, as_json=False)


@config_cmd.command("list")
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
def config_list_cmd(ctx: click.Context, as_json: bool) -> None:
    """List every setting with its value (or what it is for, when unset).

    Example: procreg config list --json
    """
    from procreg.presentation.audit import config_json, format_config

    config = app(ctx).registry.config()
    emit_json(config_json(config)) if as_json else echo(format_config(config))


@config_cmd.command("get")
@click.argument("key", metavar=N_("KEY"))
@click.pass_context
def config_get_cmd(ctx: click.Context, key: str) -> None:
    """Print the value of KEY (exit 4 when it is not set).

    Example: procreg config get agency
    """
    echo(app(ctx).registry.get_config(key))


@config_cmd.command("set")
@click.argument("key", metavar=N_("KEY"))
@click.argument("value", metavar=N_("VALUE"))
@click.pass_context
def config_set_cmd(ctx: click.Context, key: str, value: str) -> None:
    """Set KEY to VALUE (exit 2 for an unknown key).

    Example: procreg config set signer_position "GIÁM ĐỐC"
    """
    kept = app(ctx).registry.set_config(key, value)
    echo(f"{key} = {kept}")


@config_cmd.command("unset")
@click.argument("key", metavar=N_("KEY"))
@click.pass_context
def config_unset_cmd(ctx: click.Context, key: str) -> None:
    """Clear KEY (the report prints a dotted line for it).

    Example: procreg config unset signer_name
    """
    was_set = app(ctx).registry.unset_config(key)
    echo((_("%(key)s: cleared") if was_set else _("%(key)s: was not set")) % {"key": key})


# ==================================================================================================
# user, serve (issue: the web page)
# ==================================================================================================


@cli.group("user", invoke_without_command=True)
@click.pass_context
def user_cmd(ctx: click.Context) -> None:
    """Accounts of the web page (procreg serve): list them (default), add one, remove one.

    \b
    Examples:
      procreg user add lan --role editor
      procreg user list
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(user_list_cmd, as_json=False)


@user_cmd.command("list")
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
def user_list_cmd(ctx: click.Context, as_json: bool) -> None:
    """List the accounts with their roles.

    Example: procreg user list --json
    """
    from procreg.presentation.accounts import accounts_json, format_accounts

    found = app(ctx).registry.users()
    emit_json(accounts_json(found)) if as_json else click.echo(format_accounts(found))


@user_cmd.command("add")
@click.argument("name", metavar=N_("NAME"))
@click.option(
    "--role",
    type=WordChoice(ROLE_WORDS),
    default="viewer",
    show_default=True,
    help=N_("viewer reads; editor also records events and uploads; admin also changes settings."),
)
@click.option(
    "--password-stdin", is_flag=True, help=N_("Read the password from the first line of stdin (scripts).")
)
@click.pass_context
def user_add_cmd(ctx: click.Context, name: str, role: str, password_stdin: bool) -> None:
    """Add the account NAME (or give it a new role and password); the password is asked twice.

    Example: procreg user add lan --role editor
    """
    from procreg.presentation.accounts import format_account_added

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        from procreg.i18n import _

        password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    new = app(ctx).registry.add_user(name, role=role, password=password)
    click.echo(format_account_added(name, role, new=new))


@user_cmd.command("remove")
@click.argument("name", metavar=N_("NAME"))
@click.pass_context
def user_remove_cmd(ctx: click.Context, name: str) -> None:
    """Remove the account NAME (exit 4 when there is none).

    Example: procreg user remove lan
    """
    from procreg.i18n import _
    from procreg.registry.errors import NotFound

    if not app(ctx).registry.remove_user(name):
        raise NotFound(_("no account named %(name)r; see procreg user list") % {"name": name})
    click.echo(_("removed: %(name)s") % {"name": name})


@cli.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, metavar=N_("ADDRESS"), help=N_("Address to listen on.")
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    metavar=N_("PORT"),
    help=N_("Port."),
)
@click.option(
    "--max-upload-mb",
    default=50,
    show_default=True,
    type=click.IntRange(1, 1024),
    metavar=N_("MB"),
    help=N_("Largest upload, in megabytes."),
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 16),
    metavar=N_("COUNT"),
    help=N_("Server processes (cores)."),
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, max_upload_mb: int, workers: int) -> None:
    """Serve the office's web page over the registry (Vietnamese; English with PROCREG_LANG=en).

    Binds to 127.0.0.1 by default. Another address needs accounts (procreg user add NAME --role admin):
    then everyone signs in, and every change is recorded under the account that made it.
    Needs the web extra: pip install 'procreg[web]'.

    \b
    Examples:
      procreg serve                      # then open http://127.0.0.1:8000/
      procreg serve --host 0.0.0.0 --port 8080
    """
    from procreg.web.server import run

    run(app(ctx).registry, host=host, port=port, max_upload=max_upload_mb * 1024 * 1024, workers=workers)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point (``procreg``); takes an argv list so tests can call it."""
    cli.main(args=argv, prog_name="procreg")


if __name__ == "__main__":
    main()
