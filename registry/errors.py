"""Exit codes and the error classes that carry them (the one place that maps errors to codes)."""

from __future__ import annotations

from enum import IntEnum

__all__ = [
    "AuditBelowTarget",
    "EventRefused",
    "ExitCode",
    "IndexError_",
    "InputError",
    "NotFound",
    "RegistryError",
    "StoreError",
    "UsageError",
]


class ExitCode(IntEnum):
    """Process exit codes (docs/ARCHITECTURE.md lists them)."""

    OK = 0
    ERROR = 1
    USAGE = 2
    INPUT = 3
    NOT_FOUND = 4
    INDEX = 5
    AUDIT_BELOW_TARGET = 10


class RegistryError(Exception):
    """Base class for every error procreg reports to a user."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, *, path: str | None = None, where: str | None = None) -> None:
        self.message = message
        self.path = path
        self.where = where
        super().__init__(self.__str__())

    def __str__(self) -> str:
        prefix = ""
        if self.path:
            prefix = f"{self.path}, {self.where}: " if self.where else f"{self.path}: "
        return prefix + self.message


class InputError(RegistryError):
    """An input file cannot be read: wrong format, damaged, empty, unreadable."""

    exit_code = ExitCode.INPUT


class NotFound(RegistryError):
    """A procedure, document or file that was asked for does not exist."""

    exit_code = ExitCode.NOT_FOUND


class StoreError(RegistryError):
    """The SQLite registry cannot be opened or written."""

    exit_code = ExitCode.INDEX


class IndexError_(RegistryError):  # noqa: N801 - trailing underscore avoids the builtin IndexError
    """The search index is missing, broken or out of step with the registry."""

    exit_code = ExitCode.INDEX


class UsageError(RegistryError):
    """Options that parse but do not make sense together."""

    exit_code = ExitCode.USAGE


class EventRefused(UsageError):
    """An event the checks refuse (a date in the future, công khai before công bố...).

    ``reasons`` says why in the user's language, without the command line's way round it (``--force``), for a
    page that offers its own ("record anyway").
    """

    def __init__(self, message: str, *, reasons: tuple[str, ...]) -> None:
        self.reasons = reasons
        super().__init__(message)


class AuditBelowTarget(RegistryError):
    """Audit coverage is below the ``--fail-under`` threshold."""

    exit_code = ExitCode.AUDIT_BELOW_TARGET
