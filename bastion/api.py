"""The JSON API: one NinjaAPI assembled from each app's router.

Errors are JSON of the form {"detail": ..., "errors": [{"field": "body.id_number", "message": ...}]}.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from bastion.access.middleware import set_scope
from bastion.access.tokens import token_authenticate
from bastion.core.errors import field_errors


class TokenAuth(HttpBearer):
    """Authorization: Bearer bst_… for devices and scripts."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            set_scope(request, user)
        return user


class BrowserSession(APIKeyCookie):
    """The signed-in browser session; unsafe methods need the CSRF token."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


api = NinjaAPI(
    title="Bastion API",
    version="1",
    description=(
        "Every operation is scoped to the caller's grants. Authenticate with the browser "
        "session (plus CSRF token) or with `Authorization: Bearer <token>`; tokens are "
        "created and revoked on the API tokens page. Lists are paginated with `limit` and "
        "`offset`. Errors name the field: `{\"detail\": ..., \"errors\": [{\"field\": ..., \"message\": ...}]}`."
    ),
    auth=[TokenAuth(), BrowserSession()],
    urls_namespace="api",
)


def _error(request: HttpRequest, status: int, detail: str, errors: list[dict[str, str]] | None = None) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = field_errors(exc)
    for error in errors:
        if error["field"] != "__all__" and not error["field"].startswith(("body.", "query.", "path.")):
            error["field"] = f"body.{error['field']}"
    return _error(request, 400, errors[0]["message"] if errors else "invalid input", errors)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("payload",)]
        errors.append({"field": ".".join(loc), "message": str(err.get("msg", ""))})
    return _error(request, 422, errors[0]["message"] if errors else "invalid input", errors)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "permission denied")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not found")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "authentication required")


def _mount_routers() -> None:
    from importlib import import_module

    for name, prefix in ROUTERS:
        module = import_module(f"bastion.{name}.api")
        api.add_router(prefix, module.router)


# (app, URL prefix). Each app's api.py exposes `router`.
ROUTERS: list[tuple[str, str]] = [
    ("areas", "/areas"),
    ("orgs", "/organizations"),
    ("people", "/"),
    ("access", "/access"),
    ("coverage", "/coverage"),
    ("screening", "/screening"),
    ("checkpoints", "/checkpoints"),
    ("orglife", "/orglife"),
    ("ledger", "/ledger"),
    ("supplies", "/supplies"),
    ("care", "/care"),
]
_mount_routers()
