"""Languages: English, Ukrainian and Russian, through gettext catalogues (docs/i18n.md).

``catalogue`` reads the ``.po`` files and holds the language in use, ``formatting`` writes
dates and numbers per locale, ``extract`` regenerates ``truceline.pot`` from the sources.
"""

from truceline.i18n.catalogue import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    LOCALES,
    N_,
    _,
    _n,
    _p,
    current_language,
    gettext,
    negotiate,
    ngettext,
    pgettext,
    require_language,
    translations,
    use_language,
)
from truceline.i18n.formatting import (
    format_date,
    format_datetime,
    format_number,
    format_percent,
    locale_of,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LOCALES",
    "N_",
    "_",
    "_n",
    "_p",
    "current_language",
    "format_date",
    "format_datetime",
    "format_number",
    "format_percent",
    "gettext",
    "locale_of",
    "negotiate",
    "ngettext",
    "pgettext",
    "require_language",
    "translations",
    "use_language",
]
