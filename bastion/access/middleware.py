from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from bastion.access.scope import resolve_scope


class ScopeMiddleware:
    """Attach request.scope, resolved at most once per request and only when used."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.scope = SimpleLazyObject(lambda: resolve_scope(getattr(request, "user", None)))  # type: ignore[attr-defined]
        return self.get_response(request)


def set_scope(request: Any, user: Any) -> None:
    """For token-authenticated API calls: the scope of the token's user."""
    request.user = user
    request.scope = resolve_scope(user)
