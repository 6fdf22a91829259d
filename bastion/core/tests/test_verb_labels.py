"""Every audit verb a service writes has a translated label in the history panel.

The verbs are read from the source (calls to `audit.record`, `AuditEvent(...)` and helpers that
pass their `verb` on to either), so a new verb without a label fails here instead of showing its code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import polib
import pytest
from django.utils import translation

from bastion.core.templatetags.bastion import VERB_LABELS, verb_label
from bastion.ledger.models import TransactionKind
from bastion.screening.models import TaskStatus

BASTION = Path(__file__).resolve().parents[2]
CATALOGS = {lang: BASTION / "core" / "locale" / lang / "LC_MESSAGES" / "django.po"
            for lang in ("zh_Hans", "zh_Hant", "en")}

# Verbs built from a value (f"transaction.{kind}"): every value the code can put there.
TEMPLATE_VALUES = {
    "transaction.{}": TransactionKind.values,
    "screening_task.{}": [TaskStatus.DONE, TaskStatus.CANCELLED],
}


def _is_audit_event(func: ast.expr) -> bool:
    """`AuditEvent(...)` or `AuditEvent.objects.create(...)`: written without audit.record (bulk, demo)."""
    if isinstance(func, ast.Name):
        return func.id == "AuditEvent"
    return (isinstance(func, ast.Attribute) and func.attr == "create" and isinstance(func.value, ast.Attribute)
            and isinstance(func.value.value, ast.Name) and func.value.value.id == "AuditEvent")


def _is_audit_record(func: ast.expr) -> bool:
    return (isinstance(func, ast.Attribute) and func.attr == "record"
            and isinstance(func.value, ast.Name) and func.value.id == "audit")


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"), str(p))) for p in sorted(BASTION.rglob("*.py"))
            if "tests" not in p.parts and "migrations" not in p.parts]


def _params(fn: ast.FunctionDef) -> list[str]:
    return [a.arg for a in fn.args.args + fn.args.kwonlyargs]


Forwarders = dict[tuple[Path, str], int | None]


def _verb_arg(call: ast.Call, path: Path, forwarders: Forwarders) -> tuple[bool, ast.expr | None]:
    """(whether the call writes an audit event, the expression giving its verb)."""
    keyword = next((k.value for k in call.keywords if k.arg == "verb"), None)
    if _is_audit_record(call.func):
        return True, call.args[1] if len(call.args) > 1 else keyword
    if _is_audit_event(call.func):
        return True, keyword
    if isinstance(call.func, ast.Name) and (path, call.func.id) in forwarders:
        index = forwarders[(path, call.func.id)]
        return True, call.args[index] if index is not None and len(call.args) > index else keyword
    return False, None


def _forwarders(modules: list[tuple[Path, ast.Module]]) -> Forwarders:
    """Helpers of a module that take `verb` and pass it on to audit.record or AuditEvent (helpers of helpers too)."""
    found: Forwarders = {}
    while True:
        before = len(found)
        for path, tree in modules:
            for fn in ast.walk(tree):
                if not isinstance(fn, ast.FunctionDef) or "verb" not in _params(fn) or (path, fn.name) in found:
                    continue
                for call in [c for c in ast.walk(fn) if isinstance(c, ast.Call)]:
                    writes, arg = _verb_arg(call, path, found)
                    if writes and isinstance(arg, ast.Name) and arg.id == "verb":
                        positional = [a.arg for a in fn.args.args]
                        found[(path, fn.name)] = positional.index("verb") if "verb" in positional else None
                        break
        if len(found) == before:
            return found


def _written_verbs() -> tuple[set[str], set[str], list[str]]:
    """(verbs, f-string templates, call sites whose verb could not be read) across the source."""
    modules = _modules()
    forwarders = _forwarders(modules)
    verbs: set[str] = set()
    templates: set[str] = set()
    unreadable: list[str] = []

    def read(node: ast.expr, fn: ast.FunctionDef, path: Path) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            verbs.add(node.value)
        elif isinstance(node, ast.IfExp):
            read(node.body, fn, path)
            read(node.orelse, fn, path)
        elif isinstance(node, ast.JoinedStr):
            templates.add("".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values))
        elif isinstance(node, ast.Name):
            assigned = [a.value for a in ast.walk(fn) if isinstance(a, ast.Assign)
                        and any(isinstance(t, ast.Name) and t.id == node.id for t in a.targets)]
            for value in assigned:
                read(value, fn, path)
            forwarded = node.id in _params(fn) and (path, fn.name) in forwarders
            if not assigned and not forwarded:
                unreadable.append(f"{path}:{node.lineno}")
        else:
            unreadable.append(f"{path}:{node.lineno}")

    for path, tree in modules:
        for fn in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
            for call in [c for c in ast.walk(fn) if isinstance(c, ast.Call)]:
                writes, arg = _verb_arg(call, path, forwarders)
                if not writes:
                    continue
                if arg is None:
                    unreadable.append(f"{path}:{call.lineno}")
                else:
                    read(arg, fn, path)
    return verbs, templates, unreadable


def _all_verbs() -> set[str]:
    verbs, templates, _ = _written_verbs()
    for template in templates:
        verbs |= {template.format(v) for v in TEMPLATE_VALUES.get(template, [])}
    return verbs


def test_the_verbs_written_in_the_code_are_found():
    # given the source of every app
    # when the verbs passed to audit.record are read
    verbs, templates, unreadable = _written_verbs()

    # then every call site could be read, and the known verbs of several apps are among them
    assert not unreadable, f"verbs not readable from the source (use a literal): {unreadable}"
    assert {"user.deactivate", "user.reactivate", "user.password_reset", "application.talk",
            "screening_visit.record", "person.reveal", "household.export"} <= verbs
    assert set(templates) <= set(TEMPLATE_VALUES), f"list the values of new verb templates: {templates}"


def test_every_written_verb_has_a_label():
    missing = sorted(_all_verbs() - set(VERB_LABELS))
    assert not missing, f"add these verbs to VERB_LABELS in bastion/core/templatetags/bastion.py: {missing}"


@pytest.mark.parametrize("lang", sorted(CATALOGS))
def test_every_verb_label_is_translated(lang: str):
    # given the core catalog of one language
    po = polib.pofile(str(CATALOGS[lang]))
    translated = {e.msgid for e in po if e.msgstr and "fuzzy" not in e.flags and not e.obsolete}

    # then every label of a written verb is in it
    with translation.override(None):  # no catalog: the labels as written (their msgids)
        msgids = {str(VERB_LABELS[v]) for v in _all_verbs()}
    missing = sorted(msgids - translated)
    assert not missing, f"{lang}: labels without a translation: {missing}"


def test_a_label_shows_in_the_reader_language():
    # given the verbs the review found shown as raw codes
    # when they are labelled in each language, then the label leads and the code stays beside it
    with translation.override("zh-hans"):
        assert verb_label("user.deactivate") == "停用用户 (user.deactivate)"
        assert verb_label("user.password_reset") == "重置密码 (user.password_reset)"
    with translation.override("zh-hant"):
        assert verb_label("user.reactivate") == "重新啟用使用者 (user.reactivate)"
    with translation.override("en"):
        assert verb_label("user.deactivate") == "user deactivated (user.deactivate)"
        assert verb_label("transaction.allocation") == "allocation posted (transaction.allocation)"


def test_an_unknown_verb_shows_its_code():
    with translation.override("en"):
        assert verb_label("something.unheard_of") == "something.unheard_of"
        assert verb_label("") == ""
        # a new verb with a known action still says what happened
        assert verb_label("gadget.create") == "created (gadget.create)"
