"""The JSON API: one NinjaAPI assembled from each app's router.

Errors are JSON of the form {"detail": ..., "errors": [{"field": "body.id_number", "message": ...}]}.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from bastion.access.decorators import public
from bastion.access.middleware import set_scope
from bastion.access.tokens import token_authenticate
from bastion.core.errors import field_errors


class TokenAuth(HttpBearer):
    """Authorization: Bearer bst_… for devices and scripts. The request then acts with the token user's scope."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            set_scope(request, user)
        return user


class BrowserSession(APIKeyCookie):
    """The signed-in browser session; unsafe methods (POST, PATCH, …) need the CSRF token.

    Without a signed-in session this returns nothing, so an anonymous caller gets 401 (not a
    CSRF 403); with one, a POST lacking the X-CSRFToken header gets 403.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)  # raises HttpError(403) when the CSRF check fails

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if key is not None and user is not None and user.is_authenticated:
            return user
        return None


api = NinjaAPI(
    title="Bastion API",
    version="1",
    description=(
        "Every operation is scoped to the caller's grants. Authenticate with the browser "
        "session (plus CSRF token) or with `Authorization: Bearer <token>`; tokens are "
        "created and revoked on the API tokens page. Lists are paginated with `limit` and "
        "`offset`. Errors name the field: `{\"detail\": ..., \"errors\": [{\"field\": ..., \"message\": ...}]}`. "
        "Personal identifiers (ID numbers, phones) are masked in every response; "
        "`POST /api/persons/{id}/reveal` shows them to roles allowed to, and is audited."
    ),
    auth=[TokenAuth(), BrowserSession()],
    urls_namespace="api",
    # The OpenAPI description and its docs page hold no data, only the shape of the API, which is
    # in the open-source repository anyway; devices and scripts read it before they have a token.
    docs_decorator=public("OpenAPI schema and docs: the shape of the API, no data"),
)


def _error(request: HttpRequest, status: int, detail: str, errors: list[dict[str, str]] | None = None) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


def _api_field(field: str) -> str:
    if field == "__all__" or field.startswith(("body.", "query.", "path.")):
        return field
    return f"body.{field}"


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A service refused the input: 400, naming the field as the request body spells it."""
    errors = [{"field": _api_field(e["field"]), "message": e["message"]} for e in field_errors(exc)]
    return _error(request, 400, errors[0]["message"] if errors else "invalid input", errors)


def _schema_field(loc: tuple[Any, ...] | list[Any]) -> str:
    """`("body", "payload", "id_number")` -> `body.id_number`: the path inside the JSON the caller sent.

    ninja puts the view's body parameter name second; a single body parameter *is* the body, so
    that name is not part of the path (an operation with several body parameters is not used here).
    Query and path errors come flattened already: `("query", "limit")`.
    """
    parts = [str(p) for p in loc]
    if len(parts) >= 2 and parts[0] == "body":
        del parts[1]
    return ".".join(parts)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """The request did not match the schema: 422, with field paths such as `body.id_number`."""
    errors = [{"field": _schema_field(err.get("loc", ())), "message": str(err.get("msg", ""))} for err in exc.errors]
    return _error(request, 422, errors[0]["message"] if errors else "invalid input", errors)


@api.exception_handler(ProtectedError)
def on_protected(request: HttpRequest, exc: ProtectedError) -> HttpResponse:
    """Deleting something other records still point to (an area with persons in it): 409, nothing deleted."""
    return _error(request, 409, _("Other records still refer to this; change or remove them first."))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "permission denied")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not found")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "authentication required")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Other errors ninja raises itself (a failed CSRF check, 403) in the same JSON shape."""
    return _error(request, exc.status_code, str(exc))


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
    ("reports", "/reports"),
    ("imports", "/imports"),
]
_mount_routers()
