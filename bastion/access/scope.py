"""The Scope: what one user may see and do, resolved once per request.

Default deny: a user with no grant sees nothing. Every selector filters by a scope and
every service checks one. A grant is a role over an area subtree or an organisation
subtree; the permissions of several grants add up, each over its own subtree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from bastion.areas.models import Area
    from bastion.orgs.models import Organization

READ = {"area.view", "org.view", "person.view", "membership.view"}
WRITE = {"area.change", "org.change", "person.change", "membership.change"}

BASE_ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "district_admin": frozenset(
        READ | WRITE | {"person.reveal", "audit.view", "export", "grant.change", "token.manage"}
    ),
    # Street officers and community workers give accounts to the volunteers of their subtree;
    # what they may grant is bounded by what they hold there (see Scope.permissions_at).
    "street_officer": frozenset(
        READ | WRITE | {"person.reveal", "audit.view", "export", "grant.change", "token.manage"}
    ),
    "community_worker": frozenset(
        READ | WRITE | {"person.reveal", "audit.view", "export", "grant.change", "token.manage"}
    ),
    "grid_secretary": frozenset(
        READ | {"person.change", "membership.change", "person.reveal", "audit.view", "token.manage"}
    ),
    "member": frozenset(READ | {"token.manage"}),
    "checkpoint_member": frozenset(READ | {"token.manage"}),
    # An auditor reads everything in scope but may neither export nor reveal personal data.
    "auditor": frozenset(READ | {"audit.view"}),
}

# Who may give which role (with grant.change, over their own subtree). Roles of a street officer and a
# district administrator carry the same permissions, so a permission check alone would let a
# street officer make a district administrator: the ladder below forbids that.
GRANTABLE_ROLES: dict[str, frozenset[str]] = {
    "district_admin": frozenset(
        {"district_admin", "street_officer", "community_worker", "grid_secretary", "member", "checkpoint_member",
         "auditor"}
    ),
    "street_officer": frozenset(
        {"community_worker", "grid_secretary", "member", "checkpoint_member", "auditor"}
    ),
    "community_worker": frozenset({"grid_secretary", "member", "checkpoint_member", "auditor"}),
}

# Domain apps add their own permissions per role in bastion/<app>/permissions.py as
# ROLE_PERMISSIONS = {"role": {"perm", ...}}, so the spine need not know them.
PERMISSION_MODULES = [
    "coverage", "screening", "checkpoints", "orglife", "ledger", "supplies", "care", "reports", "imports",
]


def _collect_role_permissions() -> dict[str, frozenset[str]]:
    from importlib import import_module
    from importlib.util import find_spec

    merged = {role: set(perms) for role, perms in BASE_ROLE_PERMISSIONS.items()}
    for app in PERMISSION_MODULES:
        name = f"bastion.{app}.permissions"
        if find_spec(f"bastion.{app}") is None or find_spec(name) is None:
            continue
        for role, perms in import_module(name).ROLE_PERMISSIONS.items():
            merged.setdefault(role, set()).update(perms)
    return {role: frozenset(perms) for role, perms in merged.items()}


ROLE_PERMISSIONS: dict[str, frozenset[str]] = _collect_role_permissions()
ALL_PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values())

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class ScopeGrant:
    role: str
    area_path: str | None = None
    org_path: str | None = None
    # For an organisation grant: the paths of the areas its subtree covers or sits in.
    derived_area_paths: tuple[str, ...] = ()
    # For an area grant: the organisations sitting in or covering that area, with all
    # that hangs under them (a party group inside a grid's pioneer branch has no area).
    derived_org_paths: tuple[str, ...] = ()

    @property
    def permissions(self) -> frozenset[str]:
        return ROLE_PERMISSIONS.get(self.role, frozenset())


@dataclass
class Scope:
    user: Any = None
    grants: tuple[ScopeGrant, ...] = ()
    unrestricted: bool = False
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    # -- permissions ------------------------------------------------------------------
    @property
    def permissions(self) -> frozenset[str]:
        if self.unrestricted:
            return ALL_PERMISSIONS
        return frozenset().union(*(g.permissions for g in self.grants)) if self.grants else frozenset()

    def has(self, perm: str) -> bool:
        return perm in self.permissions

    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants} | ({"district_admin"} if self.unrestricted else set())

    def _grants_with(self, perm: str) -> list[ScopeGrant]:
        return [g for g in self.grants if perm in g.permissions]

    # -- query filters ----------------------------------------------------------------
    def area_paths(self, perm: str) -> list[str]:
        paths: list[str] = []
        for g in self._grants_with(perm):
            if g.area_path:
                paths.append(g.area_path)
            paths.extend(g.derived_area_paths)
        return paths

    def org_paths(self, perm: str) -> list[str]:
        paths: list[str] = []
        for g in self._grants_with(perm):
            if g.org_path:
                paths.append(g.org_path)
            paths.extend(g.derived_org_paths)
        return paths

    @staticmethod
    def _prefix_q(field_name: str, paths: Iterable[str]) -> Q:
        q = NOTHING
        for path in paths:
            q |= Q(**{f"{field_name}__startswith": path})
        return q

    def area_q(self, perm: str, field_name: str = "area") -> Q:
        """Rows whose area (via field_name) lies in the scope's area subtrees for perm."""
        if self.unrestricted:
            return Q()
        prefix = f"{field_name}__path" if field_name else "path"
        return self._prefix_q(prefix, self.area_paths(perm))

    def area_visible_q(self, perm: str) -> Q:
        return self.area_q(perm, field_name="")

    def org_visible_q(self, perm: str) -> Q:
        """Organisations in an organisation grant's subtree, or sitting in or covering a granted area
        (with everything under them)."""
        if self.unrestricted:
            return Q()
        return self._prefix_q("path", self.org_paths(perm))

    def person_visible_q(self, perm: str) -> Q:
        """Persons registered in a granted area, or members of an organisation in scope."""
        if self.unrestricted:
            return Q()
        from bastion.orgs.models import Organization
        from bastion.people.models import Membership

        q = self._prefix_q("area__path", self.area_paths(perm))
        orgs = Organization.objects.filter(self.org_visible_q(perm)).values("pk")
        if self._grants_with(perm):
            q |= Q(pk__in=Membership.objects.filter(organization__in=orgs).values("person_id"))
        return q

    # -- checks used by services ------------------------------------------------------
    def deny(self, message: str | None = None) -> None:
        raise PermissionDenied(message or _("You do not have permission to do this here."))

    def require(
        self,
        perm: str,
        *,
        area: Area | None = None,
        org: Organization | None = None,
        person: Any = None,
    ) -> None:
        if not self.has(perm):
            self.deny()
        if self.unrestricted:
            return
        if area is not None and not any(area.path.startswith(p) for p in self.area_paths(perm)):
            self.deny(_("%(name)s is outside your area.") % {"name": area.name})
        if org is not None:
            from bastion.orgs.models import Organization

            if not Organization.objects.filter(self.org_visible_q(perm), pk=org.pk).exists():
                self.deny(_("%(name)s is outside your organisations.") % {"name": org.name})
        if person is not None:
            from bastion.people.models import Person

            if not Person.objects.filter(self.person_visible_q(perm), pk=person.pk).exists():
                self.deny(_("This person is outside your scope."))

    def grants_at(self, *, area: Area | None = None, org: Organization | None = None) -> list[ScopeGrant]:
        """The scope's grants whose subtree (granted or derived) holds this node."""
        found = []
        for g in self.grants:
            if area is not None:
                paths = ([g.area_path] if g.area_path else []) + list(g.derived_area_paths)
            else:
                paths = ([g.org_path] if g.org_path else []) + list(g.derived_org_paths)
            node_path = area.path if area is not None else (org.path if org is not None else None)
            if node_path is not None and any(node_path.startswith(p) for p in paths):
                found.append(g)
        return found

    def permissions_at(self, *, area: Area | None = None, org: Organization | None = None) -> frozenset[str]:
        """The permissions the scope holds over one node: the union of the grants whose subtree holds it."""
        if self.unrestricted:
            return ALL_PERMISSIONS
        return frozenset().union(*(g.permissions for g in self.grants_at(area=area, org=org)))

    def grantable_roles_at(self, *, area: Area | None = None, org: Organization | None = None) -> frozenset[str]:
        """The roles the scope may give over one node (before the permission check)."""
        if self.unrestricted:
            return frozenset(GRANTABLE_ROLES["district_admin"])
        grants = self.grants_at(area=area, org=org)
        return frozenset().union(*(GRANTABLE_ROLES.get(g.role, frozenset()) for g in grants))

    def require_global(self, perm: str) -> None:
        """For writes that are not inside any subtree, such as a new root of a tree."""
        if not (self.unrestricted and self.has(perm)):
            self.deny(_("Only a system administrator may do this."))


def minimal_prefixes(paths: Iterable[str]) -> list[str]:
    """Drop every path that lies under another one: the subtrees they cover stay the same."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def resolve_scope(user: Any) -> Scope:
    """Build the scope of a user: one query for grants, one for derived area paths."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope(user=None)
    if user.is_superuser:
        return Scope(user=user, unrestricted=True)
    from bastion.access.models import Grant
    from bastion.areas.models import Area
    from bastion.orgs.models import Organization

    rows = list(
        Grant.objects.filter(user=user).select_related("area", "organization").only(
            "role", "area__path", "organization__path"
        )
    )
    grants: list[ScopeGrant] = []
    for row in rows:
        if row.area is not None:
            area_path = row.area.path
            org_paths = minimal_prefixes(
                Organization.objects.filter(
                    Q(area__path__startswith=area_path)
                    | Q(pk__in=Organization.objects.filter(covered_areas__path__startswith=area_path).values("pk"))
                ).values_list("path", flat=True)
            )
            grants.append(ScopeGrant(role=row.role, area_path=area_path, derived_org_paths=tuple(org_paths)))
        elif row.organization is not None:
            org_path = row.organization.path
            derived = tuple(
                minimal_prefixes(
                    Area.objects.filter(
                        Q(covering_organizations__path__startswith=org_path)
                        | Q(organizations__path__startswith=org_path)
                    ).values_list("path", flat=True)
                )
            )
            grants.append(ScopeGrant(role=row.role, org_path=org_path, derived_area_paths=derived))
    return Scope(user=user, grants=tuple(grants))


def system_scope() -> Scope:
    """The scope of the system itself: loaders and management commands run with it."""
    return Scope(user=None, unrestricted=True)
