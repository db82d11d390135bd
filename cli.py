"""procreg command line: thin click commands over ``registry.service``.

Every command parses its options, calls one service function and formats the result. Errors are
``RegistryError`` subclasses carrying their exit code; ``AppGroup`` turns them into one line on stderr
(a traceback only with ``-v``). Heavy libraries are imported inside the service functions, so
``procreg --help`` stays quick.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import click

from registry.errors import ExitCode, RegistryError

__all__ = ["AppContext", "cli", "main"]

log = logging.getLogger("procreg")


@dataclass(frozen=True, slots=True)
class AppContext:
    """Settings shared by every command: where the registry lives and how chatty to be."""

    home: Path
    verbose: int

    @property
    def db_path(self) -> Path:
        """The SQLite registry file."""
        return self.home / "registry.db"

    @property
    def index_dir(self) -> Path:
        """The Whoosh index directory (a cache of the registry)."""
        return self.home / "index"


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"procreg: {message}", err=True)
    sys.exit(code)


class AppGroup(click.Group):
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
            _fail("interrupted", 130)
        except BrokenPipeError:
            sys.exit(int(ExitCode.OK))
        except Exception as exc:  # noqa: BLE001 - the one boundary that turns surprises into a line
            if _verbose(ctx):
                traceback.print_exc()
            message = f"unexpected error: {type(exc).__name__}: {exc} (run with -v for details)"
            _fail(message, int(ExitCode.ERROR))


def _verbose(ctx: click.Context) -> bool:
    obj = ctx.obj
    return isinstance(obj, AppContext) and obj.verbose > 0


def emit_json(data: Any) -> None:
    """Print one JSON document: UTF-8, stable key order, Vietnamese kept readable."""
    click.echo(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2))


def app(ctx: click.Context) -> AppContext:
    """The ``AppContext`` of the running command."""
    obj = ctx.find_object(AppContext)
    assert obj is not None  # set by the group callback
    return obj


@click.group(cls=AppGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="PROCREG_HOME",
    default=Path(".procreg"),
    show_default=True,
    help="Registry folder (registry.db and the search index). Env: PROCREG_HOME.",
)
@click.option("-v", "--verbose", count=True, help="More detail on stderr; tracebacks on errors.")
@click.version_option(package_name="procreg")
@click.pass_context
def cli(ctx: click.Context, home: Path, verbose: int) -> None:
    """procreg: registry of internal administrative procedures (TTHC nội bộ) under ISO 9001.

    Reads Vietnamese plans, decisions and procedure catalogs (.txt, .docx, .pdf), keeps the
    procedures with their steps, units, versions and review history, finds them, draws them and
    audits the plan's review target.

    \b
    Examples:
      procreg parse kh-01-sngv-2023-cchc.docx
      procreg ingest ~/van-ban/ --recursive
      procreg search "quy trinh noi bo"
      procreg audit --fail-under 90
    """
    logging.basicConfig(
        level=logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING,
        format="procreg: %(message)s",
        stream=sys.stderr,
    )
    ctx.obj = AppContext(home=home, verbose=verbose)


# ==================================================================================================
# parse (issue: foundation)
# ==================================================================================================


# ==================================================================================================
# ingest, list, show, lifecycle events, units (issue: registry)
# ==================================================================================================


# ==================================================================================================
# export, diagram (issues: registry graph, flow diagrams)
# ==================================================================================================


# ==================================================================================================
# search, index (issue: search)
# ==================================================================================================


# ==================================================================================================
# audit, targets (issue: audit)
# ==================================================================================================


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point (``procreg``); takes an argv list so tests can call it."""
    cli.main(args=argv, prog_name="procreg")


if __name__ == "__main__":
    main()
