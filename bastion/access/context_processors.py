from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# (URL name, label, permissions of which one is needed, or "" for any signed-in user). Entries whose page
# does not exist yet are skipped, so apps can be added one by one.
NAV: list[tuple[str, Any, str]] = [
    ("access:home", _("Home"), ""),
    ("screening:today", pgettext_lazy("worklist", "Today"), "screening.view screening.view_own"),
    ("coverage:index", _("Coverage"), "coverage.view"),
    ("checkpoints:index", _("Checkpoints"), "checkpoint.view"),
    ("orglife:index", _("Branch life"), "orglife.view"),
    ("ledger:index", _("Funds"), "ledger.view"),
    ("supplies:index", _("Supplies"), "supplies.view"),
    ("care:index", _("Care"), "care.view"),
    ("reports:index", _("Report"), "reports.view"),
    ("imports:index", _("Import and export"), "imports.view"),
    ("areas:browse", _("Areas"), "area.view"),
    ("orgs:browse", _("Organisations"), "org.view"),
    ("people:search", _("People"), "person.view"),
    ("access:audit", _("Audit log"), "audit.view"),
    ("access:users", _("Accounts"), "grant.change"),
    ("access:tokens", _("API tokens"), ""),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The navigation entries the user's roles give access to."""
    scope = getattr(request, "scope", None)
    if scope is None or scope.user is None:
        return {"nav_items": []}
    items = []
    for url_name, label, perm in NAV:
        if perm and not any(scope.has(p) for p in perm.split()):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": request.path.startswith(url) and url != "/"
                      or request.path == url})
    return {"nav_items": items}
