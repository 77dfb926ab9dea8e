"""Every interface string is translated in every shipped language."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(lang):
    po = catalogue(lang)

    assert len(po) > 100
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert "fuzzy" not in po.metadata_as_entry().flags


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_their_placeholders(lang):
    for entry in catalogue(lang):
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            for form in entry.msgstr_plural.values():
                # A plural form may drop the number (e.g. "one invitation").
                assert set(PLACEHOLDER.findall(form)) <= set(
                    PLACEHOLDER.findall(entry.msgid_plural)
                ), entry.msgid
        else:
            assert sorted(PLACEHOLDER.findall(entry.msgstr)) == expected, entry.msgid


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(lang):
    po = catalogue(lang)
    mo = polib.mofile(str(ROOT / "locale" / lang / "LC_MESSAGES" / "django.mo"))

    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in mo}
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in po.translated_entries()}
    assert compiled == source


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_the_catalogues_hold_every_string_in_the_code(tmp_path):
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    for part in ["manage.py", "templates", "locale", *sorted(apps | {"inpud_portal"})]:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / part)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--all", "--no-location", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true"},
    )

    for lang in LANGUAGES:
        extracted = polib.pofile(str(tmp_path / f"locale/{lang}/LC_MESSAGES/django.po"))
        committed = {e.msgid for e in catalogue(lang)}
        assert {e.msgid for e in extracted} - committed == set(), lang
