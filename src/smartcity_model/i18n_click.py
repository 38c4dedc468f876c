"""The ``smartcity`` command line in Bahasa Indonesia: its help texts and click's own messages.

Help texts are written in English with :func:`~smartcity_model.i18n.N_` and translated when
help is shown, by the command classes :class:`SpeakingCommand` and :class:`SpeakingGroup`.
click (which parses the command line) words its own messages — ``Usage:``, ``Options``,
``Missing option '--region'``, ``'x' is not one of 'kabupaten', 'kota'`` — through Python's
:mod:`gettext`; :func:`click_speaks` points gettext at this package's catalogue while a command
runs, so click speaks the language chosen with ``--lang`` too. :data:`CLICK_MESSAGES` lists the
messages of click a user can meet, so that the catalogue keeps their translations.
"""

from __future__ import annotations

import contextlib
import gettext
import os
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import click

from smartcity_model.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, N_, Nn_, _, language, language_scope, set_language

__all__ = ["CLICK_MESSAGES", "SpeakingCommand", "SpeakingGroup", "choose_language", "click_speaks", "language_option"]

#: click's messages that a user of ``smartcity`` can meet, translated by this package's catalogue.
CLICK_MESSAGES: tuple[str | tuple[str, str], ...] = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Positional arguments"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("%(prog)s, version %(version)s"),
    N_("Aborted!"),
    N_("Missing command."),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Could not open file {filename!r}: {message}"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("(dynamic)"),
    N_("required"),
    N_("Choose from:\n\t{choices}"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("Option {name!r} does not take a value."),
    N_("Argument {name!r} takes {nargs} values."),
    Nn_("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    Nn_("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    Nn_("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    Nn_("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
)

#: The environment variable gettext reads the language from first.
_LANGUAGE = "LANGUAGE"
#: Whether smartcity's own ``main`` runs (it puts every language setting back when it ends).
_MAIN: ContextVar[bool] = ContextVar("smartcity_main", default=False)


@contextlib.contextmanager
def click_speaks() -> Iterator[None]:
    """Let click word its messages through this package's catalogue while the block runs.

    The language chosen inside the block (:func:`choose_language`) is dropped at its end, and
    gettext's domain and ``LANGUAGE`` are put back as they were.
    """
    domain, folder = gettext.textdomain(), gettext.bindtextdomain(DOMAIN)
    before = os.environ.get(_LANGUAGE)
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ[_LANGUAGE] = language()
    token = _MAIN.set(True)
    try:
        with language_scope():
            yield
    finally:
        _MAIN.reset(token)
        gettext.textdomain(domain)
        gettext.bindtextdomain(DOMAIN, folder)
        if before is None:
            os.environ.pop(_LANGUAGE, None)
        else:
            os.environ[_LANGUAGE] = before


def choose_language(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Apply ``--lang`` as soon as it is read (before ``--help`` is answered): messages and click's.

    The choice lasts until the command's context closes, also when ``smartcity`` runs inside
    another click program.
    """
    if value is None:
        return value
    if _MAIN.get():  # smartcity's own main: the language lasts until its usage errors are printed
        set_language(value)
        os.environ[_LANGUAGE] = value
    else:
        ctx.with_resource(_speaking(value))
    return value


@contextlib.contextmanager
def _speaking(value: str) -> Iterator[None]:
    """Speak ``value`` (messages and gettext's ``LANGUAGE``) inside the block, then what was before."""
    before = os.environ.get(_LANGUAGE)
    with language_scope():
        set_language(value)
        os.environ[_LANGUAGE] = value
        try:
            yield
        finally:
            if before is None:
                os.environ.pop(_LANGUAGE, None)
            else:
                os.environ[_LANGUAGE] = before


@contextlib.contextmanager
def _translated(*items: Any) -> Iterator[None]:
    """Show the help of each command or parameter in the current language while the block runs."""
    originals = [(item, item.help) for item in items if isinstance(getattr(item, "help", None), str)]
    for item, text in originals:
        item.help = _(text)
    try:
        yield
    finally:
        for item, text in originals:
            item.help = text


def language_option() -> click.Option:
    """Return the ``--lang`` option: applied as soon as it is read, before any other option or ``--help``."""
    return click.Option(
        ["--lang"],
        type=click.Choice(LANGUAGES),
        default=None,
        is_eager=True,
        expose_value=False,
        callback=choose_language,
        help=N_("Language of messages: id (Bahasa Indonesia) or en (default: SMARTCITY_LANG, else the locale)."),
    )


class SpeakingCommand(click.Command):
    """A command whose help, and the help of its options, is shown in the current language.

    Every such command takes ``--lang`` (unless it has an option of that name already), so that
    ``smartcity report PLAN --lang id`` works as ``smartcity --lang id report PLAN`` does.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Build the command, with a ``--lang`` option of its own."""
        super().__init__(*args, **kwargs)
        if not any(param.name == "lang" for param in self.params):
            self.params.append(language_option())

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """Return the ``--help`` option, its help kept as the English key (translated when shown)."""
        cached = getattr(self, "_help_option", None)  # click keeps the option it made first
        option = super().get_help_option(ctx)
        if option is not None and option is not cached:
            option.help = N_("Show this message and exit.")
        return option

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Write the help page in the current language."""
        with _translated(self, *self.get_params(ctx)):
            super().format_help(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        """Return the one-line help shown in a list of commands, in the current language."""
        with _translated(self):
            return super().get_short_help_str(limit)


class SpeakingGroup(SpeakingCommand, click.Group):
    """A group of :class:`SpeakingCommand`, whose help is shown in the current language."""

    command_class = SpeakingCommand
