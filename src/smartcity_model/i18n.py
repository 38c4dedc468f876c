"""Bahasa Indonesia beside English: the language of messages, and the catalogue that translates them.

Messages are written in English in the code and translated through a gettext catalogue,
``smartcity_model/locale/id/LC_MESSAGES/smartcity.po`` (compiled to ``smartcity.mo``). The
language is, in order: the one set with :func:`use_language` or :func:`set_language` (the CLI's
``--lang``), the ``SMARTCITY_LANG`` environment variable, the locale (Indonesian when it is
``id_ID`` or ``in_ID``), else English.

Keeping the catalogue up to date (Babel, in the ``test`` extra)::

    pybabel extract -k _ -k N_ -k n_:1,2 -k Nn_:1,2 --no-location -o messages.pot src/smartcity_model
    pybabel update -i messages.pot -d src/smartcity_model/locale -D smartcity -l id --no-fuzzy-matching
    pybabel compile -d src/smartcity_model/locale -D smartcity

Examples
--------
>>> from smartcity_model.i18n import _, use_language
>>> with use_language("id"):
...     _("No loading problems.")
'Tidak ada masalah saat memuat.'
>>> with use_language("en"):
...     _("No loading problems.")
'No loading problems.'
"""

from __future__ import annotations

import contextlib
import gettext
import locale
import os
from collections.abc import Iterator
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Literal

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "Language",
    "Nn_",
    "_",
    "format_number",
    "language",
    "language_scope",
    "n_",
    "set_language",
    "use_language",
]

Language = Literal["id", "en"]
#: The languages messages are available in.
LANGUAGES: tuple[Language, ...] = ("id", "en")
#: The gettext domain of the catalogue, and the folder that holds it (``id/LC_MESSAGES/smartcity.mo``).
DOMAIN = "smartcity"
LOCALE_DIR = Path(__file__).parent / "locale"
_CHOSEN: ContextVar[Language | None] = ContextVar("smartcity_language", default=None)


def _checked(value: str) -> Language:
    if value not in LANGUAGES:
        msg = _("language must be one of {languages}, not {value}").format(
            languages=", ".join(LANGUAGES), value=repr(value)
        )
        raise ValueError(msg)
    return value


def language() -> Language:
    """Return the language messages are given in now (see the module's description)."""
    chosen = _CHOSEN.get()
    if chosen is not None:
        return chosen
    from_env = os.environ.get("SMARTCITY_LANG", "").strip().lower()
    if from_env:
        return "id" if from_env.startswith(("id", "in")) else "en"
    names = [os.environ.get(name, "") for name in ("LC_ALL", "LC_MESSAGES", "LANG")]
    with contextlib.suppress(ValueError):
        names.append(locale.getlocale()[0] or "")
    current = next((name for name in names if name), "")
    return "id" if current.lower().startswith(("id", "in_id", "indonesian")) else "en"


def set_language(value: str) -> None:
    """Give messages in ``value`` (``id`` or ``en``) from now on, in this context."""
    _CHOSEN.set(_checked(value))


@contextlib.contextmanager
def use_language(value: str) -> Iterator[None]:
    """Give messages in ``value`` (``id`` or ``en``) inside the ``with`` block."""
    token = _CHOSEN.set(_checked(value))
    try:
        yield
    finally:
        _CHOSEN.reset(token)


@contextlib.contextmanager
def language_scope() -> Iterator[None]:
    """Forget, at the end of the block, any language set with :func:`set_language` inside it."""
    token = _CHOSEN.set(_CHOSEN.get())
    try:
        yield
    finally:
        _CHOSEN.reset(token)


@cache
def _translations(lang: Language) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    """Return ``message`` in the current language (English text is the key)."""
    return _translations(language()).gettext(message)


def n_(singular: str, plural: str, count: int) -> str:
    """Return the singular or plural form of a message for ``count``, in the current language."""
    return _translations(language()).ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name for "mark, translate later"
    """Mark ``message`` for the catalogue without translating it now (it is translated where shown)."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - as N_, for a message with a plural
    """Mark a message with a plural form for the catalogue without translating it now."""
    return singular, plural


#: English number separators swapped for Indonesian ones: ``,`` groups thousands in English, ``.`` in Indonesian.
_SEPARATORS_ID = str.maketrans(",.", ".,")


def format_number(value: float, decimals: int = 0, *, percent: bool = False) -> str:
    """Write a number for people in the current language: ``1,250.5`` in English, ``1.250,5`` in Indonesian.

    With ``percent``, ``value`` is a share (0.25 is ``25%``). ``nan`` gives an empty string.

    >>> with use_language("id"):
    ...     format_number(1250000.5, 1), format_number(0.035, 1, percent=True)
    ('1.250.000,5', '3,5%')
    """
    if value != value:  # nan  # noqa: PLR0124 - the one test that finds nan without numpy
        return ""
    text = f"{value * 100 if percent else value:,.{decimals}f}" + ("%" if percent else "")
    if language() == "id":
        text = text.translate(_SEPARATORS_ID)
    return text
