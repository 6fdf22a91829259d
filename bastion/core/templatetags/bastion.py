from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from bastion.core.audit import events_for

register = template.Library()

# The label of every verb a service writes; a test checks that none is missing
# (bastion/core/tests/test_verb_labels.py), so new verbs cannot be forgotten.
VERB_LABELS: dict[str, Any] = {
    "account.open": _("account opened"),
    "account.purposes": _("account purposes changed"),
    "activity.attach": _("activity attachment added"),
    "activity.attendance": _("activity attendance recorded"),
    "activity.create": _("activity recorded"),
    "activity.update": _("activity changed"),
    "application.activist": _("applicant made an activist"),
    "application.admit": _("admitted as probationary member"),
    "application.confirm": _("full membership confirmed"),
    "application.create": _("party application received"),
    "application.extend": _("probation extended"),
    "application.talk": _("applicant talk held"),
    "application.target": _("made a development target"),
    "area.create": _("area created"),
    "area.delete": _("area deleted"),
    "area.move": _("area moved"),
    "area.update": _("area changed"),
    "branch_charter.create": _("branch charter recorded"),
    "brand.create": _("brand created"),
    "building.create": _("building created"),
    "building_head.assign": _("building head assigned"),
    "building_head.end": _("building head ended"),
    "care_case.approve": _("care case approved"),
    "care_case.create": _("care case opened"),
    "care_case.pay": _("care case paid"),
    "care_case.payment_reverse": _("care payment reversed"),
    "care_case.reject": _("care case rejected"),
    "care_measure.create": _("care measure configured"),
    "care_measure.record": _("care measure recorded"),
    "care_policy.create": _("care policy created"),
    "care_situation.create": _("care situation configured"),
    "compliance_rule.set": _("compliance rule set"),
    "container.create": _("container created"),
    "device_token.create": _("device token issued"),
    "device_token.revoke": _("device token revoked"),
    "distribution.create": _("distribution recorded"),
    "distribution.sign": _("distribution signed for"),
    "dues_receipt.create": _("special dues received"),
    "entrance.create": _("entrance created"),
    "grant.create": _("role granted"),
    "grant.revoke": _("role revoked"),
    "household.create": _("household created"),
    "household.export": _("household registry exported"),
    "household.self_report_enable": _("self-report enabled"),
    "household.self_report_revoke": _("self-report revoked"),
    "household.update": _("household changed"),
    "import.confirm": _("import confirmed"),
    "import.upload": _("import file uploaded"),
    "isolation.refer": _("isolation referred"),
    "isolation.release": _("isolation released"),
    "isolation.set_period": _("isolation period set"),
    "isolation.start": _("isolation started"),
    "isolation_check.record": _("isolation check recorded"),
    "isolation_check.review": _("isolation check reviewed"),
    "item.create": _("item created"),
    "location.create": _("location created"),
    "location.receives": _("location receiving changed"),
    "membership.create": _("membership added"),
    "membership.end": _("membership ended"),
    "organization.create": _("organisation created"),
    "organization.move": _("organisation moved"),
    "organization.update": _("organisation changed"),
    "person.create": _("person created"),
    "person.reveal": _("identifiers revealed"),
    "person.update": _("person changed"),
    "pledge.create": _("pledge recorded"),
    "purchase.create": _("purchase recorded"),
    "purchase.reverse": _("purchase reversed"),
    "purpose.create": _("purpose created"),
    "reading.batch": _("readings uploaded"),
    "received_lot.create": _("lot received"),
    "referral.create": _("referral made"),
    "referral.outcome": _("referral outcome recorded"),
    "report.export": _("report exported"),
    "resident.add": _("resident added"),
    "resident.move_out": _("resident moved out"),
    "responsibility.assign": _("responsibility assigned"),
    "responsibility.end": _("responsibility ended"),
    "screening_task.attach": _("person attached to screening task"),
    "screening_task.cancelled": _("screening task cancelled"),
    "screening_task.create": _("screening task created"),
    "screening_task.done": _("screening task done"),
    "screening_visit.record": _("screening visit recorded"),
    "screening_visit.review": _("screening visit reviewed"),
    "screening_visit.self_report": _("self-report received"),
    "shift.create": _("shift created"),
    "shift.delete": _("shift deleted"),
    "shift.end": _("shift ended"),
    "story.create": _("story recorded"),
    "tally.batch": _("tallies uploaded"),
    "token.create": _("API token created"),
    "token.revoke": _("API token revoked"),
    "transaction.allocation": _("allocation posted"),
    "transaction.payment": _("payment posted"),
    "transaction.purchase": _("purchase payment posted"),
    "transaction.receipt": _("receipt posted"),
    "transaction.reversal": _("reversal posted"),
    "transaction.special_dues": _("special dues posted"),
    "user.create": _("user created"),
    "user.deactivate": _("user deactivated"),
    "user.password_reset": _("password reset"),
    "user.reactivate": _("user reactivated"),
    "working_rules.set": _("working rules set"),
}

# Fallback for a verb without its own label: what its last part means.
VERB_ACTIONS: dict[str, Any] = {
    "create": _("created"),
    "update": _("changed"),
    "move": _("moved"),
    "delete": _("deleted"),
    "reveal": _("identifiers revealed"),
    "end": _("ended"),
    "dissolve": _("dissolved"),
    "revoke": _("revoked"),
}

# Detail pages of the object types audit events point at.
OBJECT_URLS = {
    "areas.area": "areas:detail",
    "orgs.organization": "orgs:detail",
    "people.person": "people:detail",
}


@register.inclusion_tag("core/history_panel.html", takes_context=True)
def history_panel(context: dict[str, Any], obj: Model, limit: int = 50) -> dict[str, Any]:
    """Who changed what, when: the audit events of one object (personal values arrive masked)."""
    return {"events": list(events_for(obj)[:limit]), "request": context.get("request")}


@register.filter
def verb_label(verb: str) -> str:
    """`user.deactivate` -> "user deactivated (user.deactivate)", translated; the code stays beside the label
    (audit lists are searched by it); an unknown verb shows its code alone, never fails."""
    verb = verb or ""
    label = VERB_LABELS.get(verb) or VERB_ACTIONS.get(verb.rsplit(".", 1)[-1])
    return f"{label} ({verb})" if label else verb


# Keys of an audit diff that are bookkeeping, not something a reader changed.
HIDDEN_DIFF_KEYS = {"search_key", "path", "depth", "numchild"}


@register.filter
def diff_items(diff: Any) -> list[tuple[str, Any]]:
    """The entries of an audit diff worth showing to a reader."""
    if not isinstance(diff, dict):
        return []
    empty: tuple[Any, ...] = (None, "", [])
    return [
        (key, value)
        for key, value in diff.items()
        if key not in HIDDEN_DIFF_KEYS
        and not (isinstance(value, list) and len(value) == 2 and value[0] in empty and value[1] in empty)
    ]


@register.filter
def change_text(change: Any, key: str = "") -> str:
    """One entry of an audit diff: [old, new] as "old → new", anything else as a list."""
    if isinstance(change, list | tuple) and len(change) == 2 and key != "fields":
        old, new = change
        return f"{new}" if old in (None, "", []) else f"{old} → {new}"
    if isinstance(change, list | tuple):
        return ", ".join(str(c) for c in change)
    return str(change)


@register.filter
def object_url(event: Any) -> str:
    """The detail page of the object an audit event is about, or "" if it has none."""
    name = OBJECT_URLS.get(getattr(event, "object_type", ""))
    if not name:
        return ""
    try:
        return reverse(name, args=[int(event.object_id)])
    except (NoReverseMatch, ValueError):
        return ""


@register.filter
def field_label(obj: Model, name: str) -> str:
    try:
        return str(getattr(obj._meta.get_field(name), "verbose_name", name))
    except Exception:  # noqa: BLE001 - a diff key that is not a field (e.g. covered_areas)
        return name
