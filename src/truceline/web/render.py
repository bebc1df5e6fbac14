"""The dashboard's pages as Jinja templates, worded in the caller's language.

The language is the ``?lang=`` of the request, else the ``truceline_lang`` cookie (which the
language switcher sets), else the browser's ``Accept-Language``, else English. Each page
carries the messages its scripts need (the catalogue's entries taken from ``static/js``) as
JSON, for the small ``t()`` helper of ``session.js``; the pages still hold no data.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2
import jinja2.ext

from truceline.i18n import LANGUAGES, _, _n, _p, locale_of, negotiate, use_language
from truceline.i18n.catalogue import read_catalogue
from truceline.web.assets import PAGES_DIR

LANG_COOKIE = "truceline_lang"
LANGUAGE_NAMES = {"en": "English", "uk": "Українська", "ru": "Русский"}  # each in itself
# Catalogue entries the dashboard's scripts use: their own, and the domain's words.
SCRIPT_SOURCES = ("web/static/js/", "i18n/terms.py")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PAGES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=[jinja2.ext.i18n],
    )
    env.install_gettext_callables(gettext=_, ngettext=_n, pgettext=_p, newstyle=True)  # type: ignore[attr-defined]
    return env


_ENVIRONMENT = _environment()


def page_language(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The language a page is shown in: ``?lang=``, then the cookie, then Accept-Language.

    >>> page_language(None, "ru", "uk-UA,uk;q=0.9")
    'ru'
    >>> page_language("xx", None, "uk-UA,uk;q=0.9")
    'uk'
    """
    return negotiate(accept_language, query, cookie)


def render_page(file_name: str, lang: str) -> str:
    """A dashboard page in ``lang``, with its scripts' messages embedded."""
    template = _ENVIRONMENT.get_template(file_name)
    with use_language(lang):
        return template.render(
            lang=lang,
            locale=locale_of(lang).replace("_", "-"),
            languages=LANGUAGE_NAMES,
            ui_messages=script_messages(lang),
        )


@lru_cache(maxsize=len(LANGUAGES))
def script_messages(lang: str) -> dict[str, Any]:
    """The scripts' messages in ``lang``: msgid -> text, or singular -> list of plural forms."""
    out: dict[str, Any] = {}
    for message in read_catalogue(lang):
        if not message.id or not any(
            source in where for where, _line in message.locations for source in SCRIPT_SOURCES
        ):
            continue
        if isinstance(message.id, str):
            out[message.id] = message.string or message.id
        else:
            forms = list(message.string or ())
            out[message.id[0]] = forms if all(forms) else list(message.id)
    return out
