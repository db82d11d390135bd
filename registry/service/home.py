"""Where the registry is: one registry wherever the user stands, found the way git finds its repository.

Precedence, first that applies:

1. ``--home DIR`` on the command line (like ``git -C``/``--git-dir``: an explicit choice wins);
2. the ``PROCREG_HOME`` environment variable (like ``GIT_DIR``);
3. the nearest ``.procreg`` folder holding a ``registry.db``, looking in the current folder and then in
   each parent up to the root;
4. none found: ``./.procreg`` in the current folder, which only ``procreg init`` and ``procreg ingest``
   create (every other command says there is no registry here and exits 4).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from procreg.registry.results import HomeLocation

__all__ = ["HOME_DIR", "REGISTRY_FILE", "find_home"]

HOME_DIR = ".procreg"
REGISTRY_FILE = "registry.db"


def find_home(option: str | Path | None, env: Mapping[str, str], cwd: Path) -> HomeLocation:
    """The registry folder a command works on, and why that one.

    Args:
        option: the ``--home`` value, when given.
        env: the environment (``PROCREG_HOME``).
        cwd: the current folder.

    Returns:
        The folder (absolute) and its source: ``option``, ``env``, ``found`` (walked up to it) or
        ``default`` (nothing found: ``./.procreg``, not created).
    """
    if option is not None and str(option) != "":
        return HomeLocation(path=_absolute(Path(option), cwd), source="option")
    from_env = env.get("PROCREG_HOME", "")
    if from_env:
        return HomeLocation(path=_absolute(Path(from_env), cwd), source="env")
    start = _absolute(cwd, Path.cwd())
    for folder in (start, *start.parents):
        candidate = folder / HOME_DIR
        if (candidate / REGISTRY_FILE).is_file():
            return HomeLocation(path=candidate, source="found")
    return HomeLocation(path=start / HOME_DIR, source="default")


def _absolute(path: Path, base: Path) -> Path:
    path = path.expanduser()
    return path if path.is_absolute() else base / path
