"""The message catalogues (English, Ukrainian, Russian) and the language in use.

Catalogues are the ``.po`` files under ``locales/<lang>/LC_MESSAGES/truceline.po``, read at
run time and compiled in memory (no ``.mo`` file in the repository, no build step). Pure code
words its sentences with ``_()`` / ``_n()`` in the *current* language, which a caller sets
around a whole job with :func:`use_language` (a context variable: safe across threads and
async tasks); ``gettext`` / ``ngettext`` take the language explicitly. See docs/i18n.md.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from truceline.errors import InputError

LANGUAGES = ("en", "uk", "ru")
DEFAULT_LANGUAGE = "en"
LOCALES = {"en": "en_GB", "uk": "uk_UA", "ru": "ru_RU"}  # for dates and numbers (Babel/CLDR)
DOMAIN = "truceline"
LOCALES_DIR = Path(__file__).parent / "locales"
TEMPLATE_PATH = LOCALES_DIR / f"{DOMAIN}.pot"
_LANGUAGE_TAG_RE = re.compile(r"[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*")

_current: ContextVar[str] = ContextVar("truceline_language", default=DEFAULT_LANGUAGE)


def catalogue_path(lang: str) -> Path:
    """The ``.po`` file of a language."""
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def require_language(lang: str, option: str = "--lang") -> str:
    """``lang`` if it is one of ours (case-insensitive), else an InputError listing them.

    >>> require_language("UK")
    'uk'
    """
    chosen = lang.strip().lower()
    if chosen not in LANGUAGES:
        raise InputError(
            f"unknown language {lang!r}; the languages are {', '.join(LANGUAGES)}", column=option
        )
    return chosen


def read_catalogue(lang: str) -> Catalog:
    """The parsed ``.po`` catalogue of a language."""
    with catalogue_path(lang).open("rb") as file:
        return read_po(file, locale=LOCALES[lang], domain=DOMAIN)


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> Translations:
    """The gettext translations of a language, compiled in memory once per process."""
    buffer = io.BytesIO()
    write_mo(buffer, read_catalogue(require_language(lang)), use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def gettext(lang: str, message: str) -> str:
    """``message`` in language ``lang`` (the English msgid when it has no translation)."""
    return translations(lang).gettext(message)


def ngettext(lang: str, singular: str, plural: str, n: int) -> str:
    """The form of a message that agrees with ``n`` in language ``lang``."""
    return translations(lang).ngettext(singular, plural, n)


def pgettext(lang: str, context: str, message: str) -> str:
    """``message`` in ``lang``, as translated in ``context`` (one English word, two meanings)."""
    return str(translations(lang).pgettext(context, message))


def current_language() -> str:
    """The language pure code words its output in (``en`` unless a caller chose one)."""
    return _current.get()


@contextmanager
def use_language(lang: str) -> Iterator[str]:
    """Word everything inside the ``with`` block in ``lang``.

    >>> with use_language("uk"):
    ...     current_language()
    'uk'
    >>> current_language()
    'en'
    """
    token = _current.set(require_language(lang))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """``message`` in the current language."""
    return gettext(current_language(), message)


def _n(singular: str, plural: str, n: int) -> str:
    """The form agreeing with ``n``, in the current language."""
    return ngettext(current_language(), singular, plural, n)


def _p(context: str, message: str) -> str:
    """``message`` in its ``context``, in the current language."""
    return pgettext(current_language(), context, message)


def N_(message: str) -> str:  # the gettext convention for "mark only"
    """Mark ``message`` for extraction without translating it (it is translated where used)."""
    return message


def negotiate(accept_language: str | None, *requested: str | None) -> str:
    """The language to answer in: the first valid ``requested`` one (a ``?lang=``, a cookie),
    else the best of an ``Accept-Language`` header, else English.

    >>> negotiate("de-DE,de;q=0.9,ru;q=0.8,en;q=0.5")
    'ru'
    >>> negotiate("ru", None, "uk-UA")
    'uk'
    >>> negotiate(None, "fr")
    'en'
    """
    for candidate in requested:
        base = _base_language(candidate or "")
        if base in LANGUAGES:
            return base
    for tag, _quality in _weighted_tags(accept_language or ""):
        base = _base_language(tag)
        if base in LANGUAGES:
            return base
    return DEFAULT_LANGUAGE


def _base_language(tag: str) -> str:
    """``uk`` for ``uk-UA``, ``uk_UA`` or ``UK``; empty for anything malformed."""
    tag = tag.strip()
    if not _LANGUAGE_TAG_RE.fullmatch(tag):
        return ""
    return re.split(r"[-_]", tag)[0].lower()


def _weighted_tags(header: str) -> list[tuple[str, float]]:
    """The tags of an Accept-Language header, most wanted first (q=0 left out)."""
    tags = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        match = re.fullmatch(r"\s*q\s*=\s*([0-9.]+)\s*", params) if params else None
        if params and match is None:
            continue
        if match is not None:
            try:
                quality = float(match.group(1))
            except ValueError:
                continue
        if tag and quality > 0:
            tags.append((tag, quality, position))
    return [(tag, q) for tag, q, _ in sorted(tags, key=lambda t: (-t[1], t[2]))]
