"""Writes to accounts and grants. The CLI (system scope) and the accounts pages share these rules."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bastion.access.models import Grant, Role, User
from bastion.access.scope import ROLE_PERMISSIONS, Scope
from bastion.areas.models import Area
from bastion.core import audit
from bastion.orgs.models import Organization

# Fields of a user an audit diff records (never the password hash).
USER_AUDIT_FIELDS = ["username", "person_id", "is_active"]


def _implied(perms: frozenset[str]) -> set[str]:
    # "screening.view" covers "screening.view_own": holding the wider permission may grant the narrower.
    return set(perms) | {f"{p}_own" for p in perms}


def grant_check(*, scope: Scope, role: str, area: Area | None = None, organization: Organization | None = None) -> None:
    """Refuse unless the scope may give `role` over this node: grant.change there and no escalation."""
    scope.require("grant.change", area=area, org=organization)
    held = scope.permissions_at(area=area, org=organization)
    if "grant.change" not in held:
        scope.deny()
    if role not in scope.grantable_roles_at(area=area, org=organization):
        scope.deny(
            _("You may not give the role “%(role)s” here: only a higher role may.") % {"role": Role(role).label}
        )
    missing = ROLE_PERMISSIONS.get(role, frozenset()) - _implied(held)
    if missing:
        scope.deny(
            _("You may not give the role “%(role)s” here: it has permissions you do not hold here (%(perms)s).")
            % {"role": Role(role).label, "perms": ", ".join(sorted(missing))}
        )


def user_check(*, scope: Scope, user: Any) -> None:
    """Refuse unless the scope may manage this account: every grant it holds is one the scope could give.

    Without this, a street officer could reset the password of a district administrator who
    lives in their street and sign in as them.
    """
    if scope.unrestricted:
        return
    if user.is_superuser or user.is_staff:
        scope.deny(_("Only a system administrator may change this account."))
    if user.person_id is not None:
        scope.require("grant.change", person=user.person)
    grants = list(Grant.objects.filter(user=user).select_related("area", "organization"))
    if user.person_id is None and not grants:
        scope.deny(_("This account is outside your scope."))
    for grant in grants:
        grant_check(scope=scope, role=grant.role, area=grant.area, organization=grant.organization)


def grant_create(
    *,
    actor: Any,
    user: Any,
    role: str,
    area: Area | None = None,
    organization: Organization | None = None,
    scope: Scope | None = None,
) -> Grant:
    """Give `user` a role over a subtree. With a scope, the granter needs grant.change over that subtree
    and every permission of the role there (no escalation)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role “%(value)s”.") % {"value": role}})
    if (area is None) == (organization is None):
        raise ValidationError({"area": _("Give either an area or an organisation, not both.")})
    if scope is not None:
        grant_check(scope=scope, role=role, area=area, organization=organization)
    if Grant.objects.filter(user=user, role=role, area=area, organization=organization).exists():
        raise ValidationError({"role": _("This user already holds this role there.")})
    with transaction.atomic():
        grant = Grant(user=user, role=role, area=area, organization=organization)
        grant.full_clean()
        grant.save()
        audit.record(actor, "grant.create", grant, audit.diff({}, audit.snapshot(grant)))
    return grant


def grant_revoke(*, actor: Any, grant: Grant, scope: Scope | None = None) -> None:
    """Take a grant away; with a scope, only one the scope could have given."""
    if scope is not None:
        grant_check(scope=scope, role=grant.role, area=grant.area, organization=grant.organization)
    with transaction.atomic():
        audit.record(actor, "grant.revoke", grant, audit.diff(audit.snapshot(grant), {}))
        grant.delete()


def generate_password() -> str:
    """A random password of 16 URL-safe characters, to be shown once and changed by its holder."""
    return secrets.token_urlsafe(12)


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def user_create(
    *, scope: Scope, actor: Any, person: Any, username: str, password: str = ""
) -> tuple[User, str | None]:
    """An account for an existing person. Returns the user and the generated password (None if given)."""
    scope.require("grant.change", person=person)
    username = (username or "").strip()
    if User.objects.filter(person=person).exists():
        raise ValidationError({"person": _("%(name)s already has an account.") % {"name": person.name}})
    if username and User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The user name “%(name)s” is taken.") % {"name": username}})
    generated = None
    if not password:
        password = generated = generate_password()
    user = User(username=username, person=person, is_active=True)
    user.full_clean(exclude=["password"])
    _check_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        audit.record(actor, "user.create", user, audit.diff({}, audit.snapshot(user, USER_AUDIT_FIELDS)))
    return user, generated


def user_set_active(*, scope: Scope, actor: Any, user: User, active: bool) -> User:
    """Deactivate (the account can no longer sign in, its sessions and tokens stop working) or reactivate."""
    user_check(scope=scope, user=user)
    if not active and scope.user is not None and user.pk == scope.user.pk:
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    if user.is_active == active:
        return user
    before = audit.snapshot(user, USER_AUDIT_FIELDS)
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        verb = "user.reactivate" if active else "user.deactivate"
        audit.record(actor, verb, user, audit.diff(before, audit.snapshot(user, USER_AUDIT_FIELDS)))
    return user


def user_password_reset(*, scope: Scope, actor: Any, user: User, password: str = "") -> str:
    """Set a new password (a generated one if none is given) and return it, to be shown once."""
    user_check(scope=scope, user=user)
    password = password or generate_password()
    _check_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(actor, "user.password_reset", user, {})
    return password
