"""Keep the translation catalogs in step with the sources.

    uv run python scripts/i18n.py          # extract, derive zh_Hant, compile
    uv run python scripts/i18n.py --check  # change nothing; exit 1 and list problems

Without ``--check``:

1. Django's ``makemessages`` extracts every marked string under ``src/tuopin`` into
   ``src/tuopin/locale/{zh_Hans,zh_Hant}/LC_MESSAGES/django.po``.  New strings arrive empty:
   fuzzy matching is off, so a guess from a similar old string never passes for a reviewed
   translation.
2. Every empty ``msgstr`` of zh_Hant is filled from the zh_Hans translation through OpenCC
   ``s2t``, then ``t2tw`` for the character forms alone (爲→為, 啓→啟, 審覈→審核, 羣→群:
   s2t picks old variants that read oddly today; t2tw changes no words).  A zh_Hant
   translation that is already there is never touched, so a hand correction stays; clear a
   zh_Hant ``msgstr`` to have it derived afresh.  Words are for a person to correct: 登入 and
   登出 for sign in and out, 帳號, 檔案, 匯入, and 列 (row) / 欄 (column), the reverse of the
   mainland 行/列.
3. The ``.mo`` files are compiled with polib, so no gettext is needed at run time.

The catalogs are the ones committed; only zh_Hans is translated by hand.  Extraction needs
GNU gettext (``xgettext``, ``msgmerge``, ``msguniq``, ``msgattrib``); ``--check`` needs
them too, to compare the catalogs with the sources, and reports it when they are missing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.commands import makemessages as django_makemessages
from django.test.utils import override_settings
from opencc import OpenCC

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "tuopin"
LOCALE_DIR = PACKAGE / "locale"
SOURCE_LOCALE = "zh_Hans"
DERIVED_LOCALE = "zh_Hant"
LOCALES = (SOURCE_LOCALE, DERIVED_LOCALE)
DOMAIN = "django"
IGNORE_PATTERNS = [".venv", "var", "static/vendor"]
GETTEXT_PROGRAMS = ("xgettext", "msgmerge", "msguniq", "msgattrib")

HEADER_COMMENT = {
    SOURCE_LOCALE: "Tuopin — Simplified Chinese (zh-Hans) translations, written by hand.",
    DERIVED_LOCALE: (
        "Tuopin — Traditional Chinese (zh-Hant) translations.\n"
        "Empty entries are derived from zh_Hans by scripts/i18n.py (OpenCC s2t, t2tw);\n"
        "entries corrected by hand are kept."
    ),
}
LICENCE_COMMENT = "This file is distributed under the same license as Tuopin (AGPL-3.0-or-later)."
TEMPLATE_HEADER_MARK = "SOME DESCRIPTIVE TITLE"
POT_DATE_LINE = re.compile(r'^"POT-Creation-Date: [^"]*"$', re.MULTILINE)

# printf-style conversions as Python's % operator reads them; "%%" is a literal percent sign.
PRINTF = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?"  # an optional mapping key
    r"[#0 +\-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"  # flags, width, precision, length
    r"(?P<conv>[diouxXeEfFgGcrsa%])"
)
NAMED_PRINTF = re.compile(r"%\([^)]*\)")
BRACE = re.compile(r"(?<!\{)\{(?P<field>[^{}]*)\}(?!\})")

Key = tuple[str | None, str]


def key(entry: polib.POEntry | polib.MOEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


def describe(k: Key) -> str:
    msgctxt, msgid = k
    return f"{msgctxt}|{msgid!r}" if msgctxt else repr(msgid)


# --- Django -----------------------------------------------------------------------------------


def setup_django() -> None:
    """Point Django at the project's settings.

    makemessages reads settings only: the apps are not loaded, so a model that does not
    import yet (work in progress) does not stop the catalogs from being kept.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuopin.settings")
    # Importing the settings creates the data directory; keep it the repository's ignored var/
    # rather than a stray var/ inside the package, whatever the working directory.
    os.environ.setdefault("TUOPIN_DATA_DIR", str(ROOT / "var"))
    # Load them now: override_settings would otherwise wrap settings that were never read.
    _ = settings.LOCALE_PATHS


@contextmanager
def working_directory(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def missing_gettext_programs() -> list[str]:
    return [name for name in GETTEXT_PROGRAMS if shutil.which(name) is None]


class MakeMessages(django_makemessages.Command):
    # A fuzzy guess copied from a similar string reads like a translation but is not one;
    # new strings arrive empty so that --check demands a real one.
    msgmerge_options = [*django_makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]


def makemessages(package_dir: Path, locale_dir: Path, locales: tuple[str, ...]) -> None:
    """Run Django's makemessages over ``package_dir`` into ``locale_dir``."""
    # makemessages walks the working directory and writes to the first LOCALE_PATHS entry.
    with working_directory(package_dir), override_settings(LOCALE_PATHS=[str(locale_dir)]):
        call_command(
            MakeMessages(),
            locale=list(locales),
            domain=DOMAIN,
            ignore_patterns=list(IGNORE_PATTERNS),
            no_obsolete=True,
            no_location=True,
            verbosity=0,
        )


def source_keys() -> set[Key]:
    """The (msgctxt, msgid) pairs the sources mark, extracted from a temporary copy."""
    with tempfile.TemporaryDirectory(prefix="tuopin-i18n-") as tmp:
        copy = Path(tmp) / "tuopin"
        shutil.copytree(
            PACKAGE,
            copy,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "locale", "var", ".venv"),
        )
        shutil.rmtree(copy / "static" / "vendor", ignore_errors=True)
        makemessages(copy, copy / "locale", (SOURCE_LOCALE,))
        po = polib.pofile(str(po_path(SOURCE_LOCALE, copy / "locale")))
        return {key(e) for e in po if not e.obsolete}


# --- catalogs ---------------------------------------------------------------------------------


def po_path(locale: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(locale: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return po_path(locale, locale_dir).with_suffix(".mo")


def nplurals(po: polib.POFile) -> int | None:
    match = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else None


def tidy_header(po: polib.POFile, locale: str) -> None:
    """Replace the template header that a new catalog starts with."""
    if not po.header or TEMPLATE_HEADER_MARK in po.header:
        po.header = f"{HEADER_COMMENT[locale]}\n{LICENCE_COMMENT}"
    po.metadata_is_fuzzy = False
    md = po.metadata
    if md.get("Project-Id-Version", "PACKAGE VERSION") == "PACKAGE VERSION":
        md["Project-Id-Version"] = "tuopin"
    if md.get("Last-Translator", "").startswith("FULL NAME"):
        md["Last-Translator"] = "Tuopin maintainers"
    if md.get("Language-Team", "").startswith("LANGUAGE"):
        md["Language-Team"] = "Tuopin maintainers"
    if md.get("PO-Revision-Date", "").startswith("YEAR"):
        md["PO-Revision-Date"] = md.get("POT-Creation-Date", "")
    md["Language"] = locale


def fit_plural_forms(po: polib.POFile) -> None:
    """Give every plural entry exactly the forms the header declares.

    A new catalog copies msgstr[0] and msgstr[1] from the template, but Chinese has one form
    (nplurals=1); gettext rejects a catalog whose entries disagree with its header.
    """
    n = nplurals(po)
    if not n:
        return
    for entry in po:
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            entry.msgstr_plural = {i: forms.get(i, "") for i in range(n)}


def to_traditional() -> Callable[[str], str]:
    """OpenCC s2t, with today's standard character forms (t2tw: variants only, no words)."""
    s2t, variants = OpenCC("s2t"), OpenCC("t2tw")
    return lambda text: variants.convert(s2t.convert(text))


def fill_derived(
    source: polib.POFile, derived: polib.POFile, convert: Callable[[str], str]
) -> list[Key]:
    """Fill the empty msgstrs of ``derived`` from ``source``; return what was filled.

    Only reviewed source translations are used (not fuzzy, not empty), and only empty target
    strings are written: a translation somebody wrote in ``derived`` stays as it is.
    """
    translations = {key(e): e for e in source if not e.obsolete and not e.fuzzy and e.translated()}
    filled = []
    for entry in derived:
        origin = translations.get(key(entry))
        if entry.obsolete or entry.fuzzy or origin is None:
            continue
        changed = False
        if entry.msgid_plural:
            for i, text in entry.msgstr_plural.items():
                if not text:
                    src = origin.msgstr_plural.get(i) or origin.msgstr_plural.get(0, "")
                    if src:
                        entry.msgstr_plural[i] = convert(src)
                        changed = True
        elif not entry.msgstr and origin.msgstr:
            entry.msgstr = convert(origin.msgstr)
            changed = True
        if changed:
            filled.append(key(entry))
    return filled


def write_quietly(path: Path, text: str, old: str | None) -> bool:
    """Write ``text``, or ``old`` again when they differ only by POT-Creation-Date.

    makemessages stamps the extraction time into every catalog; keeping the old stamp when
    nothing else changed keeps reruns from producing a diff.  Return whether it changed.
    """
    if old is not None and POT_DATE_LINE.sub("", old) == POT_DATE_LINE.sub("", text):
        text = old
    path.write_text(text, encoding="utf-8")
    return text != old


def compile_mo(po: polib.POFile, locale: str) -> bool:
    """Write the .mo of ``po``; return whether it changed."""
    path = mo_path(locale)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "django.mo"
        po.save_as_mofile(str(fresh))
        data = fresh.read_bytes()
    if path.exists() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


# --- checks -----------------------------------------------------------------------------------


def printf_placeholders(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Named placeholders (as a set) and positional ones (in order) of a printf string."""
    named, positional = set(), []
    for match in PRINTF.finditer(text):
        if match.group("conv") == "%":
            continue
        if match.group("name") is not None:
            named.add(match.group(0))
        else:
            positional.append(match.group(0))
    return frozenset(named), tuple(positional)


def brace_placeholders(text: str) -> frozenset[str]:
    return frozenset(m.group("field") for m in BRACE.finditer(text))


def placeholder_problems(entry: polib.POEntry) -> list[str]:
    """Where a translation's placeholders differ from its source string's."""
    pairs: list[tuple[str, list[str]]] = []
    if entry.msgid_plural:
        for i, text in sorted(entry.msgstr_plural.items()):
            # One Chinese form serves every count, so it must match the plural msgid; a
            # singular form may instead match the singular msgid.
            pairs.append((text, [entry.msgid_plural] if i else [entry.msgid, entry.msgid_plural]))
    else:
        pairs.append((entry.msgstr, [entry.msgid]))

    is_printf = "python-format" in entry.flags or bool(NAMED_PRINTF.search(entry.msgid))
    problems = []
    for text, originals in pairs:
        if not text:
            continue
        if is_printf:
            got = printf_placeholders(text)
            wanted = [printf_placeholders(o) for o in originals]
            if got not in wanted:
                problems.append(
                    f"placeholders {_show(got)} in {text!r}, expected {_show(wanted[-1])}"
                )
        elif NAMED_PRINTF.search(text):
            problems.append(f"{text!r} has placeholders its msgid lacks")
        if "python-brace-format" in entry.flags:
            got_b = brace_placeholders(text)
            if got_b not in [brace_placeholders(o) for o in originals]:
                wanted_b = brace_placeholders(originals[-1])
                problems.append(
                    f"placeholders {sorted(got_b)} in {text!r}, expected {sorted(wanted_b)}"
                )
    return problems


def _show(found: tuple[frozenset[str], tuple[str, ...]]) -> str:
    named, positional = found
    return str(sorted(named) + list(positional))


def mo_problems(po: polib.POFile, path: Path) -> list[str]:
    """Where the compiled .mo at ``path`` does not say what ``po`` says."""
    if not path.exists():
        return [f"{path.name} is missing"]
    mo = polib.mofile(str(path))
    problems = []
    if dict(mo.metadata) != dict(po.metadata):
        problems.append(f"{path.name}: header differs from the .po")
    expected = {key(e): _translation(e) for e in po.translated_entries()}
    actual = {key(e): _translation(e) for e in mo if e.msgid}
    for k in sorted(expected.keys() - actual.keys(), key=str):
        problems.append(f"{path.name} lacks {describe(k)}")
    for k in sorted(actual.keys() - expected.keys(), key=str):
        problems.append(f"{path.name} has {describe(k)}, which the .po does not translate")
    for k in sorted(expected.keys() & actual.keys(), key=str):
        if expected[k] != actual[k]:
            problems.append(f"{path.name} translates {describe(k)} differently from the .po")
    return problems


def _translation(entry: polib.POEntry | polib.MOEntry) -> tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(text for _, text in sorted(entry.msgstr_plural.items()))
    return (entry.msgstr,)


def catalog_problems(locale: str, wanted: set[Key] | None) -> list[str]:
    path = po_path(locale)
    if not path.exists():
        return [f"{path.relative_to(ROOT)} is missing"]
    po = polib.pofile(str(path))
    problems = []
    if po.metadata_is_fuzzy:
        problems.append("the header is marked fuzzy")
    n = nplurals(po)
    if n is None:
        problems.append("the header declares no Plural-Forms")
    present = set()
    for entry in po:
        k = key(entry)
        if entry.obsolete:
            problems.append(f"obsolete entry {describe(k)}")
            continue
        present.add(k)
        if entry.fuzzy:
            problems.append(f"fuzzy: {describe(k)}")
        if not entry.translated() and not entry.fuzzy:
            problems.append(f"untranslated: {describe(k)}")
        if entry.msgid_plural and n is not None and len(entry.msgstr_plural) != n:
            problems.append(
                f"{describe(k)} has {len(entry.msgstr_plural)} plural forms; the header says {n}"
            )
        problems.extend(f"{describe(k)}: {p}" for p in placeholder_problems(entry))
    if wanted is not None:
        problems.extend(
            f"missing from the catalog: {describe(k)}" for k in sorted(wanted - present, key=str)
        )
        problems.extend(
            f"no longer in the sources: {describe(k)}" for k in sorted(present - wanted, key=str)
        )
    problems.extend(mo_problems(po, mo_path(locale)))
    return [f"{locale}: {p}" for p in problems]


def check() -> int:
    problems = []
    wanted: set[Key] | None = None
    missing = missing_gettext_programs()
    if missing:
        problems.append(
            f"GNU gettext ({', '.join(missing)}) is missing: "
            "cannot compare the catalogs with the sources"
        )
    else:
        setup_django()
        wanted = source_keys()
    for locale in LOCALES:
        problems.extend(catalog_problems(locale, wanted))
    if problems:
        print(f"{len(problems)} translation problem(s):")
        for problem in problems:
            print(f"  {problem}")
        return 1
    print(f"Catalogs {', '.join(LOCALES)}: complete and compiled ({len(wanted or ())} messages).")
    return 0


# --- update -----------------------------------------------------------------------------------


def update() -> int:
    missing = missing_gettext_programs()
    if missing:
        print(f"GNU gettext is needed to extract messages; missing: {', '.join(missing)}")
        print("Install it (Debian: apt-get install gettext) and run again.")
        return 2
    setup_django()
    before = {
        loc: po_path(loc).read_text(encoding="utf-8") for loc in LOCALES if po_path(loc).exists()
    }
    makemessages(PACKAGE, LOCALE_DIR, LOCALES)

    catalogs = {}
    for locale in LOCALES:
        po = polib.pofile(str(po_path(locale)))
        tidy_header(po, locale)
        fit_plural_forms(po)
        catalogs[locale] = po

    filled = fill_derived(catalogs[SOURCE_LOCALE], catalogs[DERIVED_LOCALE], to_traditional())

    for locale, po in catalogs.items():
        path = po_path(locale)
        po_changed = write_quietly(path, str(po), before.get(locale))
        # Read back what was kept, so the .mo carries the same header as the committed .po.
        kept = polib.pofile(str(path))
        mo_changed = compile_mo(kept, locale)
        untranslated = [e for e in kept if not e.translated()]
        state = "updated" if po_changed or mo_changed else "unchanged"
        print(f"{locale}: {len(kept)} messages, {len(untranslated)} untranslated or fuzzy; {state}")
        if locale == DERIVED_LOCALE:
            if filled:
                print(f"  {len(filled)} filled from {SOURCE_LOCALE} through OpenCC; review them")
                by_key = {key(e): e for e in kept}
                for k in filled:
                    print(f"    {describe(k)} → {' | '.join(_translation(by_key[k]))}")
            # The rest wait for zh_Hans, which is listed above; only fuzzy ones need a person here.
            untranslated = [e for e in untranslated if e.fuzzy]
        for entry in untranslated:
            print(f"  needs a translation: {describe(key(entry))}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 listing missing, empty, fuzzy or mismatched translations",
    )
    args = parser.parse_args(argv)
    return check() if args.check else update()


if __name__ == "__main__":
    sys.exit(main())
