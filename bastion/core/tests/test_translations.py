"""Every catalog in the project is complete, and every compiled .mo matches its .po.

Checks ALL `bastion/**/locale/*/LC_MESSAGES/django.po`, so each app's engineers are held
to the same rule: zh-Hans (default), zh-Hant and en complete, nothing fuzzy, .mo fresh.
"""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

BASTION = Path(__file__).resolve().parents[2]
LANGUAGES = {"zh_Hans", "zh_Hant", "en"}
CATALOGS = sorted(BASTION.glob("**/locale/*/LC_MESSAGES/django.po"))


def _name(path: Path) -> str:
    return str(path.relative_to(BASTION.parent))


def _translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(v for v in entry.msgstr_plural.values())
    return bool(entry.msgstr)


def test_there_are_catalogs_for_the_spine():
    apps = {p.parents[3].name for p in CATALOGS}
    assert {"core", "access", "areas", "orgs", "people", "bastion"} <= apps


@pytest.mark.parametrize("po_path", CATALOGS, ids=_name)
def test_catalog_is_complete_and_not_fuzzy(po_path: Path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po if not e.obsolete and not _translated(e)]
    fuzzy = [e.msgid for e in po if not e.obsolete and "fuzzy" in e.flags]
    assert not untranslated, f"{_name(po_path)}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{_name(po_path)}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("po_path", CATALOGS, ids=_name)
def test_catalog_is_compiled_and_up_to_date(po_path: Path):
    """The .mo exists and is not older than its .po: it holds exactly the .po's translations.

    "Older" is judged by contents, not modification times: git gives every file of a fresh
    clone its checkout time, so times would fail or pass at random there.
    """
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{_name(po_path)} is not compiled: run compilemessages"
    assert po_path.parents[1].name in LANGUAGES, f"{_name(po_path)}: unexpected language"
    po = polib.pofile(str(po_path))
    mo = polib.mofile(str(mo_path))

    def pairs(catalog: polib._BaseFile) -> set[tuple]:
        out = set()
        for e in catalog:
            if e.obsolete or not e.msgid or "fuzzy" in getattr(e, "flags", []):
                continue
            plural = tuple(sorted(e.msgstr_plural.items())) if e.msgid_plural else ()
            out.add((e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, plural))
        return out

    stale = pairs(po) ^ pairs(mo)
    assert not stale, f"{_name(mo_path)} is older than its .po (run compilemessages): e.g. {sorted(stale, key=str)[:3]}"
