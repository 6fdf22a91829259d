"""Writes to the organisation tree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from treebeard.exceptions import InvalidMoveToDescendant

from bastion.access.scope import Scope
from bastion.areas.models import Area, AreaKind
from bastion.core import audit
from bastion.core.text import search_key
from bastion.orgs.models import ALLOWED_PARENTS, Organization, OrgKind, TemporaryPurpose

# What a temporary branch of a given purpose may cover.
COVERABLE_KINDS: dict[str, set[str]] = {
    TemporaryPurpose.GRID_PIONEER: {AreaKind.GRID},
    TemporaryPurpose.CHECKPOINT_TEAM: {AreaKind.SITE},
}


def _check_placement(*, kind: str, parent: Organization | None) -> None:
    allowed = ALLOWED_PARENTS.get(kind)
    if allowed is None:
        raise ValidationError({"kind": _("Unknown organisation kind “%(kind)s”.") % {"kind": kind}})
    parent_kind = parent.kind if parent else None
    if parent_kind not in allowed:
        if parent is None:
            message = _("A %(kind)s must have a parent organisation.") % {"kind": OrgKind(kind).label}
        else:
            message = _("A %(kind)s cannot be placed under a %(parent)s.") % {
                "kind": OrgKind(kind).label,
                "parent": OrgKind(parent.kind).label,
            }
        raise ValidationError({"parent": message})


def _check_attributes(*, kind: str, purpose: str, channel: str) -> None:
    if kind == OrgKind.TEMPORARY_BRANCH:
        if purpose not in TemporaryPurpose.values:
            raise ValidationError({"purpose": _("A temporary branch needs a purpose.")})
    elif purpose:
        raise ValidationError({"purpose": _("Only a temporary branch has a purpose.")})
    if kind != OrgKind.ONLINE_BRANCH and channel:
        raise ValidationError({"channel": _("Only an online branch has a channel.")})
    if kind == OrgKind.ONLINE_BRANCH and not channel.strip():
        raise ValidationError({"channel": _("Name the channel the online branch meets in, e.g. a WeChat group.")})


def _check_dates(established: dt.date | None, dissolved: dt.date | None) -> None:
    if established and dissolved and dissolved < established:
        raise ValidationError({"dissolved": _("An organisation cannot be dissolved before it was established.")})


def _check_coverage(*, scope: Scope, kind: str, purpose: str, areas: list[Area]) -> None:
    if not areas:
        return
    if kind not in (OrgKind.TEMPORARY_BRANCH, OrgKind.STANDING_BRANCH):
        raise ValidationError({"covered_areas": _("Only branches cover areas.")})
    allowed = COVERABLE_KINDS.get(purpose)
    for index, area in enumerate(areas):
        if allowed and area.kind not in allowed:
            raise ValidationError(
                {
                    f"covered_areas.{index}": _("A %(purpose)s covers %(kinds)s only; %(area)s is a %(kind)s.")
                    % {
                        "purpose": TemporaryPurpose(purpose).label,
                        "kinds": ", ".join(str(AreaKind(k).label) for k in allowed),
                        "area": area.name,
                        "kind": AreaKind(area.kind).label,
                    }
                }
            )
        scope.require("org.change", area=area)


def org_create(
    *,
    scope: Scope,
    name: str,
    kind: str,
    parent: Organization | None = None,
    purpose: str = "",
    channel: str = "",
    area: Area | None = None,
    covered_areas: Iterable[Area] = (),
    established: dt.date | None = None,
    dissolved: dt.date | None = None,
) -> Organization:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the organisation a name.")})
    if parent is not None:
        # Sorted inserts renumber siblings' paths: work from the parent as stored now.
        parent = Organization.objects.get(pk=parent.pk)
    if parent is None:
        scope.require_global("org.change")
    else:
        scope.require("org.change", org=parent)
    _check_placement(kind=kind, parent=parent)
    _check_attributes(kind=kind, purpose=purpose, channel=channel)
    _check_dates(established, dissolved)
    if parent and parent.dissolved and established and established > parent.dissolved:
        raise ValidationError({"established": _("The parent organisation was dissolved before this date.")})
    covered = list(covered_areas)
    _check_coverage(scope=scope, kind=kind, purpose=purpose, areas=covered)
    fields = {
        "name": name,
        "kind": kind,
        "purpose": purpose,
        "channel": channel.strip(),
        "area": area,
        "established": established,
        "dissolved": dissolved,
        "search_key": search_key(name, channel),
    }
    with transaction.atomic():
        org = parent.add_child(**fields) if parent else Organization.add_root(**fields)
        if covered:
            org.covered_areas.set(covered)
        changes = audit.diff({}, audit.snapshot(org, [*fields.keys() - {"area"}, "area_id"]))
        if covered:
            changes["covered_areas"] = [[], [a.pk for a in covered]]
        audit.record(scope.user, "organization.create", org, changes)
    return org


# Nullable fields org_update may empty (a PATCH with null).
CLEARABLE = frozenset({"area", "established", "dissolved"})


def org_update(
    *,
    scope: Scope,
    org: Organization,
    name: str | None = None,
    purpose: str | None = None,
    channel: str | None = None,
    area: Area | None = None,
    established: dt.date | None = None,
    dissolved: dt.date | None = None,
    covered_areas: Iterable[Area] | None = None,
    clear: Collection[str] = (),
) -> Organization:
    """Change the fields given (None keeps a value); `clear` names nullable fields to empty."""
    scope.require("org.change", org=org)
    if set(clear) - CLEARABLE:
        raise ValueError(f"only {sorted(CLEARABLE)} can be cleared")  # a programming error, not input
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=org.pk)
        before = audit.snapshot(org)
        before_cov = sorted(org.covered_areas.values_list("pk", flat=True))
        if name is not None:
            if not name.strip():
                raise ValidationError({"name": _("Give the organisation a name.")})
            org.name = name.strip()
        if purpose is not None:
            org.purpose = purpose
        if channel is not None:
            org.channel = channel.strip()
        if area is not None:
            org.area = area
        if established is not None:
            org.established = established
        if dissolved is not None:
            org.dissolved = dissolved
        for name in clear:
            setattr(org, name, None)
        _check_attributes(kind=org.kind, purpose=org.purpose, channel=org.channel)
        _check_dates(org.established, org.dissolved)
        org.search_key = search_key(org.name, org.channel)
        org.save()
        changes = audit.diff(before, audit.snapshot(org))
        if covered_areas is not None:
            covered = list(covered_areas)
            _check_coverage(scope=scope, kind=org.kind, purpose=org.purpose, areas=covered)
            org.covered_areas.set(covered)
            after_cov = sorted(a.pk for a in covered)
            if after_cov != before_cov:
                changes["covered_areas"] = [before_cov, after_cov]
        audit.record(scope.user, "organization.update", org, changes)
    return org


def org_dissolve(*, scope: Scope, org: Organization, on: dt.date) -> Organization:
    if org.dissolved:
        raise ValidationError({"dissolved": _("This organisation is already dissolved.")})
    return org_update(scope=scope, org=org, dissolved=on)


def org_move(*, scope: Scope, org: Organization, new_parent: Organization) -> Organization:
    org, new_parent = Organization.objects.get(pk=org.pk), Organization.objects.get(pk=new_parent.pk)
    scope.require("org.change", org=org)
    scope.require("org.change", org=new_parent)
    if new_parent.pk == org.pk or new_parent.path.startswith(org.path):
        raise ValidationError(
            {"parent": _("An organisation cannot be moved under itself or one of its descendants.")}
        )
    _check_placement(kind=org.kind, parent=new_parent)
    old_parent = org.get_parent()
    with transaction.atomic():
        try:
            org.move(new_parent, "sorted-child")
        except InvalidMoveToDescendant as exc:
            raise ValidationError(
                {"parent": _("An organisation cannot be moved under one of its descendants.")}
            ) from exc
        org.refresh_from_db()
        audit.record(
            scope.user, "organization.move", org, {"parent": [old_parent.pk if old_parent else None, new_parent.pk]}
        )
    return org
