"""The catalogues: every message in all three languages, with every plural form and the same
placeholders; the template up to date with the sources; the language in use and its choice."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from truceline.errors import InputError
from truceline.i18n import (
    LANGUAGES,
    _,
    _n,
    current_language,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    gettext,
    negotiate,
    ngettext,
    require_language,
    translations,
    use_language,
)
from truceline.i18n.catalogue import TEMPLATE_PATH, read_catalogue
from truceline.i18n.extract import build_template, extract_js, source_messages

PLACEHOLDER_RE = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
PLURAL_FORMS = {"en": 2, "uk": 3, "ru": 3}


def read_template() -> Catalog:
    with TEMPLATE_PATH.open("rb") as file:
        return read_po(file)


def ids(catalog: Catalog) -> set[tuple[str | None, str | tuple[str, ...]]]:
    return {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)) for m in catalog if m.id}


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER_RE.findall(text)}


def forms(message: Message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string or ())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated_with_all_its_plural_forms(lang: str) -> None:
    template, catalog = read_template(), read_catalogue(lang)
    assert len(template) > 300
    assert ids(catalog) == ids(template), "run python -m truceline.i18n.extract"
    assert catalog.num_plurals == PLURAL_FORMS[lang]
    for message in catalog:
        if not message.id:
            continue
        texts = forms(message)
        assert all(t.strip() for t in texts), (lang, message.id)
        if not isinstance(message.id, str):
            assert len(texts) == PLURAL_FORMS[lang], (lang, message.id)
        assert not message.fuzzy, (lang, message.id)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders_of_their_message(lang: str) -> None:
    for message in read_catalogue(lang):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[1]
        expected = placeholders(source)
        for text in forms(message):
            assert placeholders(text) == expected, (lang, message.id, text)
            if "python-format" in message.flags or "%(" in source:
                assert text.count("%%") == source.count("%%"), (lang, text)


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_translations_are_not_left_in_english(lang: str) -> None:
    same = [
        m.id
        for m in read_catalogue(lang)
        if isinstance(m.id, str) and m.string == m.id and re.search(r"[a-z]{4,} [a-z]{3,}", m.id)
    ]
    assert same == []


def test_the_template_is_up_to_date_with_the_sources() -> None:
    extracted = ids(build_template(source_messages()))
    stored = ids(read_template())
    assert extracted - stored == set(), "new strings: run python -m truceline.i18n.extract"
    assert stored - extracted == set(), "strings no longer used: run the extraction"


def test_scripts_strings_are_extracted_from_t_calls() -> None:
    source = b'el("p", {}, t("Nothing \\"here\\"."));\nconst x = tn("{n} case", "{n} cases", n);'
    assert list(extract_js(io.BytesIO(source))) == [
        (1, 'Nothing "here".'),
        (2, ("{n} case", "{n} cases")),
    ]


def test_plural_forms_follow_each_language() -> None:
    singular, plural = "%(num)s violation", "%(num)s violations"
    assert [ngettext("en", singular, plural, n) for n in (1, 2)] == [singular, plural]
    uk = [ngettext("uk", singular, plural, n) % {"num": n} for n in (1, 3, 5, 11, 21, 22)]
    assert uk == [
        "1 порушення",
        "3 порушення",
        "5 порушень",
        "11 порушень",
        "21 порушення",
        "22 порушення",
    ]
    ru = [ngettext("ru", singular, plural, n) % {"num": n} for n in (1, 3, 5, 21)]
    assert ru == ["1 нарушение", "3 нарушения", "5 нарушений", "21 нарушение"]


def test_gettext_per_language_and_in_the_language_in_use() -> None:
    assert gettext("uk", "Summary") == "Резюме" and gettext("en", "Summary") == "Summary"
    assert gettext("ru", "line of contact") == "линия соприкосновения"
    assert gettext("uk", "no such message") == "no such message"  # falls back to the msgid
    assert translations("ru") is translations("ru")  # compiled once
    assert current_language() == "en" and _("Map") == "Map"
    with use_language("ru"):
        assert current_language() == "ru" and _("Map") == "Карта"
        assert _n("%(num)s event", "%(num)s events", 2) % {"num": 2} == "2 события"
        with use_language("uk"):
            assert _("Violations") == "Порушення"
        assert current_language() == "ru"
    assert current_language() == "en"


def test_an_unknown_language_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"unknown language 'de'.*en, uk, ru") as raised:
        require_language("de")
    assert raised.value.column == "--lang"
    with pytest.raises(InputError), use_language("xx"):
        pass
    assert current_language() == "en"


@pytest.mark.parametrize(
    ("accept", "requested", "expected"),
    [
        (None, (), "en"),
        ("uk-UA,uk;q=0.9,en;q=0.8", (), "uk"),
        ("de-DE,de;q=0.9,ru;q=0.7,uk;q=0.5", (), "ru"),
        ("en;q=0.2,ru;q=0.9", (), "ru"),
        ("ru;q=0,fr", (), "en"),  # q=0: not acceptable
        ("uk", ("ru",), "ru"),  # ?lang= first
        ("uk", (None, "RU"), "ru"),  # then the cookie
        ("uk", ("xx", ""), "uk"),  # invalid choices fall through to the header
        ("garbage;;;q=x, ru", (), "ru"),
    ],
)
def test_negotiation_prefers_the_choice_then_the_header(
    accept: str | None, requested: tuple[str | None, ...], expected: str
) -> None:
    assert negotiate(accept, *requested) == expected


def test_dates_and_numbers_follow_the_locale() -> None:
    day = date(2026, 11, 21)
    assert format_date("en", day) == "21 November 2026"
    assert format_date("uk", day) == "21 листопада 2026"
    assert format_date("ru", day) == "21 ноября 2026"
    moment = datetime(2026, 11, 22, 6, 5, tzinfo=UTC)
    assert format_datetime("uk", moment) == "22 листопада 2026, 06:05"
    assert format_number("en", 1303) == "1,303"
    assert format_number("uk", 1303) == "1\xa0303"
    assert format_number("ru", 0.5, "0.00") == "0,50"
    assert format_percent("ru", 0.95) == "95\xa0%"
