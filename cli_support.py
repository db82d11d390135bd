"""click in the user's language: help texts, metavars and Vietnamese words for choices.

Help texts are written in English in ``cli.py`` (docstrings, ``help=``) and are catalog msgids (``make i18n``
extracts the docstrings of commands with ``procreg.i18n.babel_extract``). ``Command`` and ``Group`` show them
in the current language for the length of one ``main()`` call: every text of the command tree is swapped for
its translation on the way in and put back on the way out, so a test can change ``PROCREG_LANG`` between two
runs in one process, and usage lines in error messages are translated too. click's own messages ("Missing
option", "No such command", "Usage:") come from the catalog through ``i18n.use_language_for_click``.

``WordChoice`` is the one parameter type for "one of these words": the English names procreg keeps, and the
Vietnamese words a user may type for them, with or without accents (``--status "hiệu lực"``).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import click

from procreg.i18n import N_, _, current_language, use_language_for_click
from procreg.text.vocabulary import canonical_word

__all__ = ["Command", "Group", "WordChoice", "localized"]

# click's names for the values of its types, shown as metavars (TEXT, INTEGER…): catalog entries.
TYPE_METAVARS = (
    N_("TEXT"),
    N_("INTEGER"),
    N_("INTEGER RANGE"),
    N_("FLOAT"),
    N_("FLOAT RANGE"),
    N_("BOOLEAN"),
    N_("DIRECTORY"),
    N_("FILE"),
    N_("PATH"),
    N_("[OPTIONS]"),
    N_("COMMAND [ARGS]..."),
)
# Words click translates at run time but names in a variable, out of reach of the extraction.
CLICK_WORDS = (N_("required"),)
# click's help option, and its version option: given here in English so they are translated when shown.
HELP_OPTION_HELP = N_("Show this message and exit.")
VERSION_OPTION_HELP = N_("Show the version and exit.")
_METAVAR_WORD = re.compile(r"[A-Z][A-Z_]*(?: RANGE)?")


def _translated(text: str | None) -> str | None:
    """A help text in the current language: the msgid is the text as click shows it (``cleandoc``)."""
    if not text:
        return text
    return _(inspect.cleandoc(text))


def _metavar(text: str) -> str:
    """``PATHS...`` -> ``ĐƯỜNG_DẪN...``: each upper-case word of a metavar through the catalog."""
    whole = _(text)
    if whole != text:
        return whole
    return _METAVAR_WORD.sub(lambda m: _(m.group(0)), text)


def _walk(command: click.Command) -> Iterator[click.Command]:
    yield command
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from _walk(sub)


@contextmanager
def localized(root: click.Command) -> Iterator[None]:
    """Show every help text, metavar and usage of ``root``'s tree in the current language while inside."""
    use_language_for_click()
    saved: list[tuple[Any, str, Any]] = []

    def swap(obj: Any, name: str, value: Any) -> None:
        saved.append((obj, name, getattr(obj, name)))
        setattr(obj, name, value)

    try:
        if current_language() != "en":  # the texts are English already
            for command in _walk(root):
                _localize_command(command, swap)
        yield
    finally:
        for obj, name, value in reversed(saved):
            setattr(obj, name, value)


def _localize_command(command: click.Command, swap: Any) -> None:
    """Swap one command's texts and its parameters' help and metavars for their translations."""
    ctx = click.Context(command, info_name=command.name)
    swap(command, "help", _translated(command.help))
    swap(command, "short_help", _translated(command.short_help))
    swap(command, "epilog", _translated(command.epilog))
    swap(command, "options_metavar", _metavar(command.options_metavar or ""))
    if isinstance(command, click.Group) and command.subcommand_metavar:
        swap(command, "subcommand_metavar", _(command.subcommand_metavar))
    # The help option is left out: click makes it once per command, from the running context's option
    # names (-h, --help), and ``Command.get_help_option`` gives it its help in the current language.
    for param in command.params:
        with suppress(Exception):  # a metavar click cannot make here (no value yet) stays as it is
            swap(param, "metavar", _metavar(param.make_metavar(ctx)))
        if isinstance(param, click.Option):
            swap(param, "help", _translated(param.help))
        if isinstance(param.type, WordChoice) and isinstance(param.default, str):
            # shown in help as the Vietnamese word ("tự động"); the type turns it back into the name
            swap(param, "default", param.type.shown_word(param.default))


class Command(click.Command):
    """A click command whose texts are shown in the user's language (see the module's docstring)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command with its texts in the current language."""
        with localized(self):
            return super().main(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """Return click's ``--help``, its help in the current language (click sets it at creation)."""
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _(HELP_OPTION_HELP)
        return option


class Group(Command, click.Group):
    """A click group of ``Command`` and ``Group`` commands, texts in the user's language."""

    command_class = Command
    group_class = type  # subgroups are of the group's own class


class WordChoice(click.ParamType[str]):
    """One of ``words``' names, typed as the name or one of its (Vietnamese) words, accents optional.

    ``words`` maps each name procreg keeps (``active``) to the words for it (``hiệu lực``, ``còn hiệu
    lực``); the value is always the name. Help shows the first word of each in Vietnamese, the names in
    English.
    """

    name = "choice"

    def __init__(self, words: Mapping[str, Sequence[str]]) -> None:
        self.words = {name: tuple(aliases) for name, aliases in words.items()}

    def shown_word(self, name: str) -> str:
        """The word help shows for ``name``: the first Vietnamese word, or the name in English."""
        aliases = self.words.get(name, ())
        return aliases[0] if aliases and current_language() != "en" else name

    def _shown(self) -> list[str]:
        return [self.shown_word(name) for name in self.words]

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        """``[hiệu lực|thay thế|…]`` in Vietnamese, ``[active|superseded|…]`` in English."""
        return "[" + "|".join(self._shown()) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The name for ``value``; a usage error listing the accepted words otherwise."""
        if value in self.words:
            return value
        found = canonical_word(str(value), self.words)
        if found is None:
            choices = ", ".join(self._shown())
            self.fail(
                _("%(value)r is not one of: %(choices)s.") % {"value": str(value), "choices": choices},
                param,
                ctx,
            )
        return found

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        """Complete the names and the words that start with what was typed."""
        from click.shell_completion import CompletionItem

        every = [w for name, aliases in self.words.items() for w in (name, *aliases)]
        return [CompletionItem(w) for w in every if w.startswith(incomplete)]
