"""Reads for care, filtered by scope."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bastion.access.scope import Scope
from bastion.care.models import Case, CaseStatus, Measure, MeasureKind, MeasureRecord, Policy, Situation
from bastion.orgs.models import Organization
from bastion.people.models import Person

logger = logging.getLogger(__name__)


def policy_list(*, scope: Scope) -> QuerySet[Policy]:
    """Policies are the rules everyone works under: any holder of care.view may read them."""
    if not scope.has("care.view"):
        return Policy.objects.none()
    return Policy.objects.select_related("organization").order_by("pk")


def policy_get(*, scope: Scope, pk: int) -> Policy:
    return get_object_or_404(policy_list(scope=scope), pk=pk)


def current_policy(*, scope: Scope) -> Policy | None:
    """The latest policy with situations (the one cases are filed under)."""
    return policy_list(scope=scope).filter(situations__isnull=False).order_by("-pk").distinct().first()


def situation_list(*, scope: Scope, policy: Policy | None = None) -> QuerySet[Situation]:
    qs = Situation.objects.filter(policy__in=policy_list(scope=scope), active=True)
    if policy is not None:
        qs = qs.filter(policy=policy)
    return qs.order_by("policy", "order", "pk")


def measure_list(*, scope: Scope, policy: Policy | None = None) -> QuerySet[Measure]:
    qs = Measure.objects.filter(policy__in=policy_list(scope=scope), active=True)
    if policy is not None:
        qs = qs.filter(policy=policy)
    return qs.order_by("policy", "order", "pk")


def case_list(*, scope: Scope, status: str | None = None, organization: Organization | None = None) -> QuerySet[Case]:
    qs = Case.objects.filter(
        organization__in=Organization.objects.filter(scope.org_visible_q("care.view"))
    ).select_related("situation", "person", "organization", "payment")
    if status:
        qs = qs.filter(status=status)
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    return qs.order_by("-created_at", "-pk")


def case_get(*, scope: Scope, pk: int) -> Case:
    return get_object_or_404(case_list(scope=scope), pk=pk)


def case_counts(*, scope: Scope) -> dict[str, int]:
    counts = {s.value: 0 for s in CaseStatus}
    for row in case_list(scope=scope).order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def care_figures(*, scope: Scope, policy: Policy | None = None) -> dict[str, int]:
    """care.situations and care.frontline_measures: the active situations and measures (of one policy, or all)."""
    return {
        "situations": situation_list(scope=scope, policy=policy).count(),
        "frontline_measures": measure_list(scope=scope, policy=policy).count(),
    }


@dataclass
class ChecklistRow:
    measure: Measure
    last_done: dt.date | None
    due: bool


def cadre_checklist(*, scope: Scope, person: Person, policy: Policy | None = None) -> list[ChecklistRow]:
    """Every measure of the policy for one cadre, with the last time it was done.

    A rest-after-duty measure is due when a long-duty warning for the cadre ended after it was last done.
    """
    scope.require("care.view", person=person)
    last = dict(
        MeasureRecord.objects.filter(person=person)
        .values("measure").annotate(d=Max("done_on")).values_list("measure", "d")
    )
    warned = [w.end for w in duty_warnings(scope=scope, person=person) if w.person.pk == person.pk]
    latest_warning = max(warned).astimezone(timezone.get_current_timezone()).date() if warned else None
    rows = []
    for measure in measure_list(scope=scope, policy=policy):
        done = last.get(measure.pk)
        if measure.kind == MeasureKind.REST_AFTER_DUTY:
            due = latest_warning is not None and (done is None or done < latest_warning)
        else:
            due = done is None
        rows.append(ChecklistRow(measure=measure, last_done=done, due=due))
    return rows


def duty_warnings(*, scope: Scope, since: dt.datetime | None = None, person: Person | None = None) -> list[Any]:
    """Long continuous duty warnings from the checkpoints app (empty if it is not installed)."""
    try:
        from bastion.checkpoints.selectors import duty_warning_list
    except ImportError:  # the checkpoints app is optional for care
        logger.warning("checkpoints.selectors.duty_warning_list is not available; no rest reminders")
        return []
    warnings = duty_warning_list(scope=scope, since=since)
    if person is not None and hasattr(warnings, "filter"):
        warnings = warnings.filter(person=person)
    return list(warnings)


@dataclass
class RestReminder:
    person: Person
    site: Any
    start: dt.datetime
    end: dt.datetime
    hours: Any
    measure: Measure


def rest_reminders(*, scope: Scope, since: dt.datetime | None = None) -> list[RestReminder]:
    """Cadres who came off a long continuous duty and have not yet been given rest since."""
    rest = measure_list(scope=scope).filter(kind=MeasureKind.REST_AFTER_DUTY).first()
    if rest is None:
        return []
    warnings = duty_warnings(scope=scope, since=since)
    if not warnings:
        return []
    last = dict(
        MeasureRecord.objects.filter(measure=rest, person__in=[w.person.pk for w in warnings])
        .values("person").annotate(d=Max("done_on")).values_list("person", "d")
    )
    tz = timezone.get_current_timezone()
    reminders: dict[int, RestReminder] = {}
    for w in warnings:
        done = last.get(w.person.pk)
        if done is not None and done >= w.end.astimezone(tz).date():
            continue
        if w.person.pk not in reminders or reminders[w.person.pk].end < w.end:
            reminders[w.person.pk] = RestReminder(person=w.person, site=w.site, start=w.start, end=w.end,
                                                  hours=w.hours, measure=rest)
    return sorted(reminders.values(), key=lambda r: r.end, reverse=True)
