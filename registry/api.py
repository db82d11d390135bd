"""procreg's Python API: ``procreg.parse`` and ``procreg.Registry``, the one door the CLI and the web use.

Every method returns records or dataclasses (never printed text) and raises only the exceptions of
``procreg.registry.errors`` (base ``RegistryError``, each with its exit code). Use cases live in
``registry.service``; this class keeps the registry's home and passes it along, so a caller never has to.

    >>> import procreg
    >>> reg = procreg.Registry("/tmp/so-ngoai-vu/.procreg")        # doctest: +SKIP
    >>> reg.ingest(["van-ban/"], recursive=True).ingested          # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from procreg.registry.models import ReadOptions

if TYPE_CHECKING:
    from procreg.procedures.audit import AuditReport
    from procreg.registry.models import DocumentRecord, ParsedDocument, ProcedureRecord, SearchResult
    from procreg.registry.results import (
        Account,
        AllDiagrams,
        DiagramOutput,
        ExportOutput,
        HomeLocation,
        IndexCheck,
        IngestReport,
        ProcedureView,
        RebuildReport,
        Recorded,
        RegistryCheck,
        ReportSettings,
        TargetsView,
        UnitInfo,
    )

__all__ = ["ReadOptions", "Registry", "locate_home", "parse", "user_date"]

Progress = Callable[[int, int, Path], None]


def parse(
    path: str | Path, *, home: str | Path | None = None, options: ReadOptions | None = None
) -> ParsedDocument:
    """Read one document (.txt, .md, .docx, .pdf, .doc, .rtf) into its record; nothing is stored.

    Args:
        path: the file.
        home: a registry whose issuer symbols (``procreg symbols add``) apply and where OCR results
            are cached; it is not created.
        options: ``ReadOptions(ocr="auto"|"always"|"never", max_pages=…, max_size=…)``.

    Raises:
        InputError: the file cannot be read, needs OCR that is off or missing, or is over a limit
            (exit code 3).
    """
    from procreg.registry.service.parsing import parse_file

    return parse_file(Path(path), home=Path(home) if home is not None else None, options=options)


def user_date(text: str, *, option: str = "--on") -> str:
    """A date typed by a user for ``option`` (``YYYY-MM-DD`` or ``DD/MM/YYYY``), as an ISO date.

    Raises:
        UsageError: not a date in either form, or no such day (exit code 2).
    """
    from procreg.registry.service.common import parse_date

    return parse_date(text, option=option)


def locate_home(
    option: str | Path | None = None, env: Mapping[str, str] | None = None, cwd: str | Path | None = None
) -> HomeLocation:
    """The registry folder a command works on, chosen like git chooses its repository.

    ``--home`` wins, else ``PROCREG_HOME``, else the nearest ``.procreg`` folder (holding a registry) in
    ``cwd`` or a parent, else ``cwd/.procreg`` (which only ``init`` and ``ingest`` create).

    Args:
        option: an explicit folder (the CLI's ``--home``); it wins over everything.
        env: the environment to read ``PROCREG_HOME`` from (default: ``os.environ``).
        cwd: where to start walking up (default: the current folder).
    """
    import os

    from procreg.registry.service.home import find_home

    return find_home(option, os.environ if env is None else env, Path(cwd) if cwd is not None else Path.cwd())


def _today(today: str | None) -> str:
    return today or date.today().isoformat()


@dataclass(frozen=True, slots=True)
class Diagram:
    """One procedure's flow diagram as text (SVG, Mermaid, DOT or BPMN XML)."""

    format: str
    text: str
    over_limit: bool


class Registry:
    """A procedure registry kept in the folder ``home`` (``registry.db`` and the search index).

    Only ``init`` and ``ingest`` create the registry; every other method raises ``NotFound`` (exit 4)
    when there is none.
    """

    def __init__(self, home: str | Path = ".procreg") -> None:
        self.home = Path(home)

    def __repr__(self) -> str:
        return f"Registry({str(self.home)!r})"

    @classmethod
    def find(cls, cwd: str | Path | None = None) -> Registry:
        """The registry found like the CLI finds it (``PROCREG_HOME``, else a ``.procreg`` walking up)."""
        return cls(locate_home(None, None, cwd).path)

    def exists(self) -> bool:
        """True when the registry file is there."""
        return self.db_path.is_file()

    def require(self) -> None:
        """Make sure the registry is there, as every command but ``init`` and ``ingest`` needs it.

        Raises:
            NotFound: there is no registry in ``home`` (the CLI's one line, exit 4).
        """
        from procreg.registry.service.common import existing_store

        existing_store(self.home).close()

    def init(self) -> bool:
        """Create the registry (``procreg init``); True when it was created, False when it was there."""
        from procreg.registry.service.common import has_registry, open_store

        existed = has_registry(self.home)
        open_store(self.home).close()
        return not existed

    @property
    def db_path(self) -> Path:
        """The SQLite registry file."""
        return self.home / "registry.db"

    @property
    def index_dir(self) -> Path:
        """The search index folder (a cache of the registry)."""
        return self.home / "index"

    # -- documents -------------------------------------------------------------------------------

    def parse(self, path: str | Path, options: ReadOptions | None = None) -> ParsedDocument:
        """``procreg.parse`` with this registry's issuer symbols and OCR cache."""
        return parse(path, home=self.home, options=options)

    def ingest(
        self,
        paths: Sequence[str | Path],
        *,
        recursive: bool = False,
        progress: Progress | None = None,
        options: ReadOptions | None = None,
    ) -> IngestReport:
        """Register the documents in ``paths`` (files or folders); unchanged files are skipped.

        A bad file never stops the others: it is listed in the report's ``failed``. ``options`` sets
        OCR and the limits (``ReadOptions``); OCR results are cached in the registry folder.
        """
        from procreg.registry.service.ingesting import ingest

        return ingest(
            [Path(p) for p in paths], recursive=recursive, home=self.home, progress=progress, options=options
        )

    def data_version(self) -> int:
        """A number every registry write increases (0 when there is no registry yet): caches compare it."""
        from procreg.registry.service.documents import data_version

        return data_version(home=self.home)

    def documents(self) -> list[DocumentRecord]:
        """Every ingested document (without its text), sorted by id."""
        from procreg.registry.service.documents import list_documents

        return list_documents(home=self.home)

    def document_file(self, document_id: int, rendering: int = 0) -> Path:
        """A file a document was ingested from, while it is still there with the same content.

        ``rendering``: 0 the file it was first registered from, 1 the next format, and so on.

        Raises:
            NotFound: no such document or rendering, or its file is gone or was changed since.
        """
        from procreg.registry.service.documents import document_file

        return document_file(document_id, rendering, home=self.home)

    def document_formats(self) -> dict[int, list[str]]:
        """The formats of every document's files (its renderings: .docx, .pdf...), first registered first."""
        from procreg.registry.service.documents import document_formats

        return document_formats(home=self.home)

    # -- procedures ------------------------------------------------------------------------------

    def procedures(
        self, *, unit: str | None = None, field: str | None = None, status: str | None = None
    ) -> list[ProcedureRecord]:
        """Current procedures, filtered by unit, field (accent-insensitive) and status."""
        from procreg.registry.service.listing import list_procedures

        return list_procedures(home=self.home, unit=unit, field=field, status=status)

    def get(self, code_or_id: str) -> ProcedureView:
        """One procedure with its versions and history, by QT code, national code, ``#id`` or name.

        Raises:
            NotFound: nothing matches, or several procedures do.
        """
        from procreg.registry.service.listing import show_procedure

        return show_procedure(code_or_id, home=self.home)

    # Events: ``code`` names a procedure (QT code, national code, name, ``#id``) or a catalog entry with
    # no process (national code, name, ``#DM id``). Dates are checked against ``today`` (default: the
    # clock): not in the future, not before the item was issued, công khai not before công bố; a refused
    # date is recorded anyway with ``force=True`` (the reasons are kept on the event). The same event
    # twice is recorded once (``Recorded.repeated``). Each raises ``UsageError`` when refused.

    def review(
        self,
        code: str,
        *,
        on: str,
        by: str | None = None,
        note: str | None = None,
        force: bool = False,
        today: str | None = None,
    ) -> Recorded:
        """Record a review (rà soát) on ``on`` (YYYY-MM-DD or DD/MM/YYYY)."""
        from procreg.registry.service.lifecycle import review

        return review(code, on=on, by=by, note=note, home=self.home, today=_today(today), force=force)

    def publish(
        self,
        code: str,
        *,
        decision: str,
        on: str | None = None,
        by: str | None = None,
        force: bool = False,
        today: str | None = None,
    ) -> Recorded:
        """Record the publication (công bố) by a registered ``decision``, on its date unless ``on``.

        ``by`` is who records it (the web page's account); by default the decision's issuer.
        """
        from procreg.registry.service.lifecycle import publish

        return publish(
            code, decision=decision, on=on, by=by, home=self.home, today=_today(today), force=force
        )

    def publicize(
        self,
        code: str,
        *,
        on: str,
        where: str,
        by: str | None = None,
        force: bool = False,
        today: str | None = None,
    ) -> Recorded:
        """Record that the item was made public (công khai) at ``where`` (``by``: who records it)."""
        from procreg.registry.service.lifecycle import publicize

        return publicize(code, on=on, where=where, by=by, home=self.home, today=_today(today), force=force)

    def withdraw(
        self,
        code: str,
        *,
        on: str,
        reason: str,
        by: str | None = None,
        force: bool = False,
        today: str | None = None,
    ) -> Recorded:
        """Withdraw the item (thu hồi); it stays in the registry, marked withdrawn, and takes no event."""
        from procreg.registry.service.lifecycle import withdraw

        return withdraw(code, on=on, reason=reason, by=by, home=self.home, today=_today(today), force=force)

    def restore(
        self,
        code: str,
        *,
        on: str,
        reason: str,
        by: str | None = None,
        force: bool = False,
        today: str | None = None,
    ) -> Recorded:
        """Restore a withdrawn item (in force again); ``by``: who records it."""
        from procreg.registry.service.lifecycle import restore

        return restore(code, on=on, reason=reason, by=by, home=self.home, today=_today(today), force=force)

    def undo(
        self, event_id: int, *, reason: str, by: str | None = None, today: str | None = None
    ) -> Recorded:
        """Cancel a mistaken review, publication or publicizing by appending a cancelling event."""
        from procreg.registry.service.lifecycle import undo

        return undo(event_id, reason=reason, by=by, home=self.home, today=_today(today))

    # -- integrity -------------------------------------------------------------------------------

    def check(self) -> RegistryCheck:
        """Verify the event log's hash chain and triggers and SQLite's integrity (``procreg check``)."""
        from procreg.registry.service.checking import check_registry

        return check_registry(home=self.home)

    def accept_incidents(self, reason: str) -> int:
        """Record that someone looked into the trigger repairs ``check`` reports; returns how many."""
        from procreg.registry.service.checking import accept_incidents

        return accept_incidents(reason, home=self.home)

    # -- units and issuer symbols ------------------------------------------------------------------

    def units(self) -> list[UnitInfo]:
        """Units with their aliases and how many steps name them."""
        from procreg.registry.service.units import units_list

        return units_list(home=self.home)

    def alias_unit(self, alias: str, canonical: str) -> int:
        """Make ``alias`` another name of ``canonical``; returns how many steps moved."""
        from procreg.registry.service.units import units_alias

        return units_alias(alias, canonical, home=self.home)

    def merge_units(self, source: str, into: str) -> int:
        """Merge unit ``source`` into ``into`` (kept as an alias); returns how many steps moved."""
        from procreg.registry.service.units import units_merge

        return units_merge(source, into, home=self.home)

    def symbols(self, *, shipped: bool = False) -> list[tuple[str, str, str]]:
        """Issuer symbols as (symbol, name, origin); ``shipped`` adds those procreg ships with."""
        from procreg.registry.service.symbols import symbols_list

        return symbols_list(home=self.home, shipped=shipped)

    def add_symbol(self, symbol: str, name: str) -> bool:
        """Add or rename an issuer symbol; True when it is new."""
        from procreg.registry.service.symbols import symbols_add

        return symbols_add(symbol, name, home=self.home)

    # -- search ----------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        kind: str | None = None,
        unit: str | None = None,
        field: str | None = None,
        status: str | None = None,
        limit: int = 10,
        all_versions: bool = False,
        marks: tuple[str, str] = ("", ""),
    ) -> SearchResult:
        """Search procedures, catalog entries and documents; accents optional.

        ``marks`` wrap the matched words in snippets (for example terminal bold).
        """
        from procreg.registry.service.searching import search

        return search(
            query,
            home=self.home,
            kind=kind,
            unit=unit,
            field=field,
            status=status,
            limit=limit,
            all_versions=all_versions,
            marks=marks,
        )

    def check_index(self) -> IndexCheck:
        """Compare the search index with the registry."""
        from procreg.registry.service.searching import check_index

        return check_index(home=self.home)

    def rebuild_index(self, *, progress: Callable[[int, int], None] | None = None) -> RebuildReport:
        """Rebuild the search index from the registry; ``progress(done, total)`` as documents go in."""
        from procreg.registry.service.searching import rebuild_index

        return rebuild_index(home=self.home, progress=progress)

    # -- audit -----------------------------------------------------------------------------------

    def audit(
        self,
        *,
        period: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        as_of: str | None = None,
        target: float | None = None,
        unit: str | None = None,
        field: str | None = None,
        issuer: str | None = None,
        review_months: int = 12,
        today: str | None = None,
        accept_broken_history: bool = False,
    ) -> AuditReport:
        """Coverage of the plan's review target (rà soát, công bố, công khai) with evidence and checks.

        Args:
            period: 2023, 2023-H1, 2023-Q3 or 2023-05 (default: the plan's year).
            date_from: first day of the period, instead of ``period``.
            date_to: last day of the period.
            as_of: evaluate the registry as it stood on this day.
            target: the target in percent (default: the ingested plan's).
            unit: only procedures owned by this unit.
            field: only procedures of this field.
            issuer: only procedures published by this issuer.
            review_months: the review interval of the overdue check.
            today: the day the audit is made (default: today).
            accept_broken_history: report even when the event log's hash chain is broken (the report
                then carries an error finding); without it a broken history raises ``StoreError``.
        """
        from procreg.registry.service.auditing import run_audit

        return run_audit(
            home=self.home,
            today=today or date.today().isoformat(),
            period=period,
            date_from=date_from,
            date_to=date_to,
            as_of=as_of,
            target=target,
            unit=unit,
            field=field,
            issuer=issuer,
            review_months=review_months,
            accept_broken_history=accept_broken_history,
        )

    def targets(self, *, today: str | None = None) -> TargetsView:
        """Every target of the ingested plans, measured where procreg can measure it."""
        from procreg.registry.service.auditing import list_targets

        return list_targets(home=self.home, today=today or date.today().isoformat())

    # -- settings (procreg config) ----------------------------------------------------------------

    def config(self) -> dict[str, str]:
        """The settings that are set, key -> value (the report's agency, place, signer...)."""
        from procreg.registry.service.settings import read_config

        return read_config(home=self.home)

    def get_config(self, key: str) -> str:
        """The value of one setting.

        Raises:
            UsageError: an unknown key.
            NotFound: the setting is not set.
        """
        from procreg.registry.service.settings import config_get

        return config_get(key, home=self.home)

    def set_config(self, key: str, value: str) -> str:
        """Set one setting; returns the value as kept. Known keys: ``registry.results.REPORT_SETTINGS``.

        Raises:
            UsageError: an unknown key or an empty value.
        """
        from procreg.registry.service.settings import config_set

        return config_set(key, value, home=self.home)

    def unset_config(self, key: str) -> bool:
        """Clear one setting; True when it was set.

        Raises:
            UsageError: an unknown key.
        """
        from procreg.registry.service.settings import config_unset

        return config_unset(key, home=self.home)

    def report_settings(self) -> ReportSettings:
        """What the audit report prints as its agency, parent agency, place, number and signer."""
        from procreg.registry.results import ReportSettings

        return ReportSettings.from_config(self.config())

    # -- web accounts (procreg user) ---------------------------------------------------------------

    def users(self) -> list[Account]:
        """The web page's accounts, sorted by name."""
        from procreg.registry.service.accounts import list_accounts

        return list_accounts(home=self.home)

    def add_user(self, name: str, *, role: str, password: str) -> bool:
        """Add a web account (or give it a new role and password); True when it is new.

        Raises:
            UsageError: an unknown role (viewer, editor, admin), a bad name or a short password.
        """
        from procreg.registry.service.accounts import add_account

        return add_account(name, role, password, home=self.home)

    def remove_user(self, name: str) -> bool:
        """Remove a web account; True when there was one."""
        from procreg.registry.service.accounts import remove_account

        return remove_account(name, home=self.home)

    def authenticate(self, name: str, password: str) -> Account | None:
        """The account when ``password`` is its password, else None."""
        from procreg.registry.service.accounts import check_password

        return check_password(name, password, home=self.home)

    # -- diagrams and export ---------------------------------------------------------------------

    def diagram(self, code: str, fmt: str = "svg") -> Diagram:
        """The swimlane diagram of one procedure: ``svg``, ``mermaid``, ``dot`` or ``bpmn``."""
        from procreg.registry.service.diagrams import diagram_procedure

        out = diagram_procedure(code, home=self.home, fmt=fmt, output=None, to_text=True)
        return Diagram(format=out.format, text=out.text or "", over_limit=out.over_limit)

    def write_diagram(self, code: str, fmt: str = "svg", *, output: Path | None = None) -> DiagramOutput:
        """Write one procedure's diagram to ``output`` (default: a file named from its code)."""
        from procreg.registry.service.diagrams import diagram_procedure

        return diagram_procedure(code, home=self.home, fmt=fmt, output=output)

    def diagram_all(self, out_dir: Path, *, fmt: str = "svg") -> AllDiagrams:
        """One diagram per procedure in ``out_dir`` plus an ``index.html`` gallery."""
        from procreg.registry.service.diagrams import diagram_all

        return diagram_all(out_dir, home=self.home, fmt=fmt)

    def units_overview(
        self, *, fmt: str = "text", output: Path | None = None
    ) -> tuple[str, list[dict[str, Any]]]:
        """Units by procedures: steps and hours per unit, as text or SVG, and as data."""
        from procreg.registry.service.diagrams import units_overview

        return units_overview(home=self.home, fmt=fmt, output=output)

    def export(
        self, fmt: str = "json", *, output: Path | None = None, include_superseded: bool = False
    ) -> ExportOutput:
        """The catalog graph as node-link JSON or GraphML, or procedures and steps as CSV."""
        from procreg.registry.service.diagrams import export_catalog

        return export_catalog(fmt, home=self.home, output=output, include_superseded=include_superseded)
