"""The translation catalogs: complete, in step with the sources, compiled, and used.

The catalogs are kept by ``scripts/i18n.py``; these tests read them independently of it.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import polib
import pytest
from django.core.management import call_command
from django.utils import translation
from opencc import OpenCC

import tuopin
from tuopin.accounts.choices import Role

PACKAGE = Path(tuopin.__file__).resolve().parent
LOCALE_DIR = PACKAGE / "locale"
LOCALES = ["zh_Hans", "zh_Hant"]
GETTEXT_PROGRAMS = ["xgettext", "msguniq", "msgmerge", "msgattrib"]

# Python's printf conversions; "%%" is a literal percent sign and no placeholder.
PRINTF = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?"  # an optional mapping key
    r"[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"  # flags, width, precision, length
    r"(?P<conv>[diouxXeEfFgGcrsa%])"
)


def po_file(locale: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"))


def key(entry: Any) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def translations(entry: Any) -> list[str]:
    if entry.msgid_plural:
        return [text for _, text in sorted(entry.msgstr_plural.items())]
    return [entry.msgstr]


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PRINTF.finditer(text) if m.group("conv") != "%")


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_translates_every_message_and_marks_none_fuzzy(locale: str) -> None:
    po = po_file(locale)

    assert not po.metadata_is_fuzzy, "a fuzzy header is skipped when compiling"
    assert [e.msgid for e in po if e.fuzzy] == []
    assert [e.msgid for e in po if not e.fuzzy and not e.translated()] == []
    assert [e.msgid for e in po if e.obsolete] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_plural_entries_have_the_single_form_chinese_declares(locale: str) -> None:
    po = po_file(locale)

    assert po.metadata["Plural-Forms"].startswith("nplurals=1;")
    plural_entries = [e for e in po if e.msgid_plural]
    assert [e.msgid for e in plural_entries if len(e.msgstr_plural) != 1] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders_of_their_msgid(locale: str) -> None:
    mismatched = []
    for entry in po_file(locale):
        # Chinese has one plural form; it serves every count, so it follows msgid_plural.
        wanted = placeholders(entry.msgid_plural or entry.msgid)
        for text in translations(entry):
            if placeholders(text) != wanted:
                mismatched.append((entry.msgid, text))

    assert mismatched == []


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_mo_says_what_its_po_says(locale: str) -> None:
    po = po_file(locale)
    mo = polib.mofile(str(LOCALE_DIR / locale / "LC_MESSAGES" / "django.mo"))

    assert mo.metadata == po.metadata
    assert {key(e): translations(e) for e in mo if e.msgid} == {
        key(e): translations(e) for e in po.translated_entries()
    }


def test_traditional_catalog_holds_nothing_left_in_simplified_characters() -> None:
    # The conversion scripts/i18n.py derives with; text it would still change is not Traditional.
    s2t, variants = OpenCC("s2t"), OpenCC("t2tw")
    simplified = [
        (entry.msgid, text)
        for entry in po_file("zh_Hant")
        for text in translations(entry)
        if variants.convert(s2t.convert(text)) != text
    ]

    assert simplified == []


def test_catalogs_hold_exactly_the_messages_the_sources_mark(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing_programs = [name for name in GETTEXT_PROGRAMS if shutil.which(name) is None]
    if missing_programs:
        reason = (
            f"GNU gettext ({', '.join(missing_programs)}) is not installed, so the messages "
            "the sources mark cannot be extracted (Debian: apt-get install gettext)"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    copy = tmp_path / "tuopin"
    shutil.copytree(
        PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "locale", "var", ".venv")
    )
    shutil.rmtree(copy / "static" / "vendor", ignore_errors=True)
    # makemessages walks the working directory and writes to the first LOCALE_PATHS entry.
    settings.LOCALE_PATHS = [str(copy / "locale")]
    monkeypatch.chdir(copy)

    call_command(
        "makemessages",
        locale=["zh_Hans"],
        domain="django",
        ignore_patterns=[".venv", "var", "static/vendor"],
        no_location=True,
        verbosity=0,
    )

    extracted = {key(e) for e in polib.pofile(str(copy / "locale/zh_Hans/LC_MESSAGES/django.po"))}
    assert len(extracted) > 100
    for locale in LOCALES:
        present = {key(e) for e in po_file(locale)}
        hint = f"{locale}: run `uv run python scripts/i18n.py` and translate"
        assert sorted(extracted - present, key=str) == [], f"{hint}: missing from the catalog"
        assert sorted(present - extracted, key=str) == [], f"{hint}: no longer in the sources"


def test_role_label_renders_in_simplified_and_traditional_chinese() -> None:
    with translation.override("zh-hans"):
        assert str(Role.GAQA_CADRE.label) == "嘎查村信息员"
        assert str(Role.TOWN_REVIEWER.label) == "苏木镇审核人员"
    with translation.override("zh-hant"):
        assert str(Role.GAQA_CADRE.label) == "嘎查村信息員"
        assert str(Role.TOWN_REVIEWER.label) == "蘇木鎮審核人員"


@pytest.mark.django_db
def test_sign_in_page_speaks_simplified_chinese_until_traditional_is_chosen(client: Any) -> None:
    default = client.get("/accounts/login/").content.decode()

    assert "登录" in default
    assert "登入" not in default

    chosen = client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/accounts/login/"})
    assert chosen.status_code == 302
    traditional = client.get("/accounts/login/").content.decode()

    assert "登入" in traditional
    assert "登录" not in traditional
    assert 'lang="zh-hant"' in traditional
