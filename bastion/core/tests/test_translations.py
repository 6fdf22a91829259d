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


def _translations_by_key(lang: str) -> dict[tuple[str | None, str], dict[str, list[str]]]:
    """(msgctxt, msgid) -> {msgstr: [catalogs translating it so]} over every catalog of `lang`."""
    out: dict[tuple[str | None, str], dict[str, list[str]]] = {}
    for po_path in CATALOGS:
        if po_path.parents[1].name != lang:
            continue
        for e in polib.pofile(str(po_path)):
            if e.obsolete or not e.msgid or "fuzzy" in e.flags or not _translated(e):
                continue
            text = str(sorted(e.msgstr_plural.items())) if e.msgid_plural else e.msgstr
            out.setdefault((e.msgctxt, e.msgid), {}).setdefault(text, []).append(_name(po_path))
    return out


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_no_message_is_translated_two_ways(lang: str):
    """Django merges every catalog of a language into one, and the app listed first in
    INSTALLED_APPS (the project catalog in bastion/locale before all) wins everywhere: if
    access says "For" is 持有人 and supplies says 用于, the supplies page shows 持有人.

    So a msgid (within its msgctxt) must have one translation across all catalogs. Where
    two apps mean different things, one of them gives its call site a context:
    `pgettext_lazy("supply use", "For")` or `{% translate "For" context "supply use" %}`.
    """
    clashes = {
        key: variants for key, variants in _translations_by_key(lang).items() if len(variants) > 1
    }
    lines = [
        f"{'[' + ctx + '] ' if ctx else ''}{msgid!r}: "
        + "; ".join(f"{text!r} in {', '.join(paths)}" for text, paths in variants.items())
        for (ctx, msgid), variants in sorted(clashes.items(), key=str)
    ]
    hint = "give the minority meaning a context, or make the translations equal"
    assert not clashes, f"{lang}: {len(clashes)} messages translated two ways ({hint}):\n" + "\n".join(lines)


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_no_library_catalog_outranks_ours(lang: str):
    """The apps listed before ours in INSTALLED_APPS (admin, auth, simple_history, ...) win
    the merge too: admin's 增加 for "Add" or simple_history's 已创建 for "Created" would replace
    ours on our pages. Only the project catalog (LOCALE_PATHS) outranks them. Where a library
    means something else, our call site takes a context; where it means the same, we use its words.
    """
    from django.apps import apps

    ours = _translations_by_key(lang)
    in_project = "bastion/locale/"
    project = {key for key, texts in ours.items() if any(p.startswith(in_project) for v in texts.values() for p in v)}
    found, decided = [], set()  # the first library holding a message wins over later ones
    for config in apps.get_app_configs():
        if config.name.startswith("bastion."):
            break  # everything after this is ours, or outranked by ours
        mo_path = Path(config.path) / "locale" / lang / "LC_MESSAGES" / "django.mo"
        if not mo_path.exists():
            continue
        for e in polib.mofile(str(mo_path)):
            key = (e.msgctxt, e.msgid)
            if not e.msgstr or key in decided:
                continue
            decided.add(key)
            if e.msgid_plural or key not in ours or key in project or e.msgstr in ours[key]:
                continue
            found.append(f"{e.msgid!r}: {config.label} says {e.msgstr!r}, we say {' / '.join(ours[key])}")
    assert not found, f"{lang}: library catalogs outrank ours for:\n" + "\n".join(sorted(found))
