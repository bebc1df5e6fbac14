"""Extract the messages to translate into ``truceline.pot``, and merge it into each ``.po``.

Three kinds of source are read:

* Python under ``src/truceline``: ``_("...")``, ``N_("...")`` (mark only), ``_n(s, p, n)``,
  ``gettext(lang, "...")`` and ``ngettext(lang, s, p, n)``;
* Jinja templates (report and dashboard pages): ``_()``, ``gettext``, ``ngettext`` and
  ``{% trans %}`` blocks;
* the dashboard's JavaScript: ``t("...")`` and ``tn("singular", "plural", n)`` with
  double-quoted literals (placeholders ``{name}``).

Run ``python -m truceline.i18n.extract`` to rewrite the template and update the catalogues
(new messages get an empty translation, to be filled in; see docs/i18n.md).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import write_po

from truceline.i18n.catalogue import (
    DEFAULT_LANGUAGE,
    DOMAIN,
    LANGUAGES,
    LOCALES,
    TEMPLATE_PATH,
    catalogue_path,
    read_catalogue,
)

PACKAGE_DIR = Path(__file__).resolve().parents[1]
PYTHON_KEYWORDS: Mapping[str, Any] = {
    "_": None,
    "N_": None,
    "_n": (1, 2),
    "gettext": (2,),
    "ngettext": (2, 3),
}
JINJA_KEYWORDS: Mapping[str, Any] = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
}
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "1", "lstrip_blocks": "1"}
TEMPLATE_GLOBS = ("reports/templates/*.html", "reports/templates/*.css", "web/pages/*.html")
JS_GLOB = "web/static/js/*.js"
_JS_STRING = r'"((?:[^"\\\n]|\\.)*)"'
JS_CALL_RE = re.compile(
    rf"\b(?:t\(\s*{_JS_STRING}|tn\(\s*{_JS_STRING}\s*,\s*{_JS_STRING})", re.DOTALL
)
SOURCE_LANGUAGE = DEFAULT_LANGUAGE  # msgids are English
Msgid = str | tuple[str, ...]  # a message, or its singular and plural
Message = tuple[str, Msgid, str | None]  # (file relative to the package, msgid, context)


def extract_js(fileobj: IO[bytes]) -> Iterator[tuple[int, Msgid]]:
    """(line, msgid or (singular, plural)) of every ``t("...")`` / ``tn("...", "...", n)``.

    >>> import io
    >>> list(extract_js(io.BytesIO(b'el("h2", {}, t("Votes"));\\ntn("{n} case", "{n} cases", n)')))
    [(1, 'Votes'), (2, ('{n} case', '{n} cases'))]
    """
    text = fileobj.read().decode("utf-8")
    for match in JS_CALL_RE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        single, singular, plural = match.groups()
        if single is not None:
            yield line, _js_unescape(single)
        else:
            yield line, (_js_unescape(singular), _js_unescape(plural))


def _js_unescape(literal: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), literal)


def source_messages(package_dir: Path = PACKAGE_DIR) -> list[Message]:
    """Every message the sources use, with the file it comes from (in a stable order)."""
    found: list[Message] = []
    for path in sorted(package_dir.rglob("*.py")):
        found += _from_babel(path, package_dir, "python", PYTHON_KEYWORDS, {})
    for pattern in TEMPLATE_GLOBS:
        for path in sorted(package_dir.glob(pattern)):
            found += _from_babel(
                path, package_dir, "jinja2.ext:babel_extract", JINJA_KEYWORDS, JINJA_OPTIONS
            )
    for path in sorted(package_dir.glob(JS_GLOB)):
        with path.open("rb") as file:
            found += [(_relative(path, package_dir), msg, None) for _, msg in extract_js(file)]
    return found


def _from_babel(
    path: Path,
    package_dir: Path,
    method: str,
    keywords: Mapping[str, Any],
    options: Mapping[str, str],
) -> list[Message]:
    with path.open("rb") as file:
        messages = extract(method, file, keywords=keywords, options=options)  # type: ignore[arg-type]
        found = [(_relative(path, package_dir), m[1], m[3]) for m in messages]
    return [m for m in found if m[1] and (isinstance(m[1], str) or m[1][0])]


def _relative(path: Path, package_dir: Path) -> str:
    return path.relative_to(package_dir.parent).as_posix()


def build_template(messages: Iterable[Message]) -> Catalog:
    """The ``.pot`` catalogue of these messages, each with the files that use it."""
    catalog = Catalog(domain=DOMAIN, project="Truceline", charset="utf-8", fuzzy=False)
    for where, msgid, context in messages:
        flags = ("python-format",) if _has_percent_placeholder(msgid) else ()
        catalog.add(msgid, locations=[(where, None)], flags=flags, context=context)  # type: ignore[list-item]
    return catalog


def _has_percent_placeholder(msgid: Msgid) -> bool:
    texts = (msgid,) if isinstance(msgid, str) else msgid
    return any(re.search(r"%\(\w+\)[sd]", text) for text in texts)


def write_template(catalog: Catalog, path: Path = TEMPLATE_PATH) -> None:
    """Write the ``.pot`` (sorted, no line numbers, so that it changes only with messages)."""
    with path.open("wb") as file:
        write_po(file, catalog, width=96, sort_output=True, include_lineno=False, omit_header=False)


def update_catalogues(template: Catalog) -> dict[str, list[str]]:
    """Merge the template into each language's ``.po``; the msgids still untranslated."""
    missing: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        path = catalogue_path(lang)
        if path.exists():
            catalog = read_catalogue(lang)
        else:
            catalog = Catalog(locale=LOCALES[lang], domain=DOMAIN, project="Truceline", fuzzy=False)
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)  # update shares messages
        if lang == SOURCE_LANGUAGE:
            _copy_source(catalog)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as file:
            write_po(
                file, catalog, width=96, sort_output=True, include_lineno=False,
                ignore_obsolete=True,
            )  # fmt: skip
        missing[lang] = [str(m.id) for m in catalog if m.id and not all(_strings(m.string))]
    return missing


def _copy_source(catalog: Catalog) -> None:
    """The source language translates each message to itself (where not yet refined)."""
    for message in catalog:
        if message.id and not all(_strings(message.string)):
            message.string = message.id


def _strings(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ("",)
    return (value,) if isinstance(value, str) else tuple(value)


def main() -> None:
    """Regenerate the template, update the catalogues and list what needs translating."""
    template = build_template(source_messages())
    write_template(template)
    missing = update_catalogues(template)
    print(f"{len(template)} messages in {TEMPLATE_PATH}")
    for lang, ids in missing.items():
        print(f"{lang}: {len(ids)} untranslated" + "".join(f"\n  {m!r}" for m in ids[:50]))


if __name__ == "__main__":
    main()
