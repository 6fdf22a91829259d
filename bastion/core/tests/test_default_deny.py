"""Default deny: every URL and every API operation declares who may call it.

A view declares its scope with `@scoped(perm)`, `@login_scoped` or `@public(reason)` (which
set `bastion_scope` on the callback); an API operation with `@scoped(perm, api=True)` or
`@login_scoped`. These tests walk the whole URLconf (every app's, including ones added later)
and every django-ninja operation, and fail naming any endpoint that declares nothing.

Declared here rather than by decorator, because the framework builds these views itself:
- Django admin (namespace "admin", mounted when BASTION_DEBUG or BASTION_ADMIN is set): every
  view goes through `AdminSite.admin_view` (staff only); its sign-in form is public. It is
  walked here even when the settings leave it unmounted, and the anonymous test checks it.
- ninja's API root (`api:api-root`) only raises 404; ninja needs it to reverse the API's path.
- The OpenAPI schema and docs (`/api/openapi.json`, `/api/docs`) are public by decision: they
  describe the API's shape, which is in the open-source repository anyway, and hold no data.
  They carry `@public` through `NinjaAPI(docs_decorator=...)` in bastion/api.py.
"""

from __future__ import annotations

import inspect
import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.contrib import admin
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path
from django.urls.resolvers import RegexPattern, RoutePattern
from ninja.openapi.views import default_home
from ninja.operation import PathView

import bastion.urls
from bastion.access.scope import ALL_PERMISSIONS
from bastion.api import api

# The project's URLconf, with the admin added when the settings leave it out, so it is always checked.
urlpatterns: list[Any] = list(bastion.urls.urlpatterns)
if not any(isinstance(p, URLResolver) and p.namespace == "admin" for p in urlpatterns):
    urlpatterns.append(path("admin/", admin.site.urls))

THIS_URLCONF = __name__
FRAMEWORK_DECLARED = {
    "api:api-root": "ninja's API root only raises 404",
}
DECLARED_NAMESPACES = {
    "admin": "Django admin: every view goes through AdminSite.admin_view (staff only)",
}


@dataclass
class Endpoint:
    route: str  # e.g. "api/persons/<int:person_id>"
    name: str  # "namespace:name" or the route when unnamed
    namespace: str
    callback: Callable[..., Any]
    sample_url: str | None  # a URL that resolves to it, or None when it cannot be built (regex groups)


def _sample(pattern: Any) -> str | None:
    if isinstance(pattern, RoutePattern):
        route = str(pattern._route)
        converters = pattern.converters

        def fill(match: re.Match[str]) -> str:
            converter = converters.get(match.group(2))
            regex = getattr(converter, "regex", "[^/]+")
            for candidate in ("1", str(uuid.UUID(int=1)), "x"):
                if re.fullmatch(regex, candidate):
                    return candidate
            return "x"

        return re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)
    if isinstance(pattern, RegexPattern):
        regex = pattern._regex
        if "(" in regex or any(c in regex.strip("^$") for c in "[]*+?|{}"):
            return None
        return regex.strip("^$").replace("\\", "")
    return None


def walk(resolver: URLResolver | None = None, prefix: str = "", sample: str | None = "/",
         namespace: str = "") -> Iterator[Endpoint]:
    resolver = resolver or get_resolver(THIS_URLCONF)
    for entry in resolver.url_patterns:
        part = _sample(entry.pattern)
        url = sample + part if sample is not None and part is not None else None
        if isinstance(entry, URLResolver):
            ns = ":".join(n for n in (namespace, entry.namespace) if n)
            yield from walk(entry, prefix + str(entry.pattern), url, ns)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or route)
            yield Endpoint(route, name, namespace, entry.callback, url)


def ninja_path_view(callback: Callable[..., Any]) -> PathView | None:
    """The PathView behind a URL pattern ninja generated, if this is one."""
    try:
        closure = inspect.getclosurevars(callback).nonlocals
    except TypeError:
        return None
    candidate = closure.get("self")
    return candidate if isinstance(candidate, PathView) else None


def is_default_home(callback: Callable[..., Any]) -> bool:
    return getattr(callback, "func", None) is default_home


def declaration(endpoint: Endpoint) -> str | None:
    """What the endpoint declares, or None when it declares nothing."""
    declared = getattr(endpoint.callback, "bastion_scope", None)
    if declared:
        return str(declared)
    top_namespace = endpoint.namespace.split(":")[0]
    if top_namespace in DECLARED_NAMESPACES:
        return DECLARED_NAMESPACES[top_namespace]
    if endpoint.name in FRAMEWORK_DECLARED and is_default_home(endpoint.callback):
        return FRAMEWORK_DECLARED[endpoint.name]
    path_view = ninja_path_view(endpoint.callback)
    if path_view is not None and path_view.operations:
        missing = [op for op in path_view.operations if not getattr(op.view_func, "bastion_scope", None)]
        return None if missing else "ninja operations, each scoped"
    return None


def ninja_operations() -> Iterator[tuple[str, str, Any]]:
    """(METHOD, path, operation) for every operation of every router mounted on the API."""
    api._get_bound_routers()  # binds the routers, so api._routers lists the nested ones too
    for prefix, router in api._routers:
        for route, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield method, "/api" + prefix.rstrip("/") + route, operation


def _valid_scope(declared: str) -> bool:
    return declared == "login" or declared.startswith("public: ") or declared in ALL_PERMISSIONS


# -- the static walk ------------------------------------------------------------------------


@override_settings(ROOT_URLCONF=THIS_URLCONF)
def test_every_url_declares_its_scope():
    endpoints = list(walk())
    undeclared = [f"{e.route} ({e.name}) -> {getattr(e.callback, '__qualname__', e.callback)!r}"
                  for e in endpoints if declaration(e) is None]

    assert len(endpoints) > 10  # the walk did find the project's URLs
    assert not undeclared, "URLs without @scoped/@login_scoped/@public:\n" + "\n".join(undeclared)


@override_settings(ROOT_URLCONF=THIS_URLCONF)
def test_the_walk_reaches_every_app_and_the_api():
    endpoints = list(walk())
    namespaces = {e.namespace.split(":")[0] for e in endpoints}

    assert {"access", "api", "admin"} <= namespaces
    api_views = [e for e in endpoints if ninja_path_view(e.callback)]
    walked = {op.view_func for e in api_views for op in ninja_path_view(e.callback).operations}
    assert walked >= {op.view_func for _m, _p, op in ninja_operations()}


def test_every_api_operation_declares_a_known_scope():
    operations = list(ninja_operations())
    undeclared = [f"{m} {p} -> {op.view_func.__qualname__}" for m, p, op in operations
                  if not getattr(op.view_func, "bastion_scope", None)]
    unknown = [f"{m} {p} -> {op.view_func.bastion_scope!r}" for m, p, op in operations
               if getattr(op.view_func, "bastion_scope", None) and not _valid_scope(op.view_func.bastion_scope)]

    assert len(operations) > 10
    assert not undeclared, "API operations without @scoped(..., api=True) / @login_scoped:\n" + "\n".join(undeclared)
    assert not unknown, "API operations needing a permission no role has (a typo?):\n" + "\n".join(unknown)


def test_the_operation_walk_matches_the_openapi_schema():
    # Every operation the OpenAPI schema documents is one the walk above checked, and vice versa
    schema = api.get_openapi_schema()
    documented = {(method.upper(), route) for route, item in schema["paths"].items() for method in item}
    walked = {(method, route) for method, route, op in ninja_operations() if op.include_in_schema}
    # Hidden operations are only the other spelling of a documented list/create route (a trailing slash).
    aliases = {(method, route) for method, route, op in ninja_operations() if not op.include_in_schema}

    assert documented == walked
    assert all((method, route.rstrip("/")) in documented for method, route in aliases), aliases


# Lists answered whole, each with the reason its length is bounded. Add here only with a reason.
BOUNDED_LISTS = {
    "/api/care/cadres/{person_id}/checklist": "one row per frontline-cadre measure of the policy (the seed: 12)",
    "/api/supplies/trace/recipients/{organization_id}": "the distributions one recipient received (a trace "
    "report; paginate it if recipients come to receive hundreds)",
}


def test_every_api_list_is_paginated():
    # A GET whose answer is a JSON array must be paginated (limit/offset), so no list grows unbounded
    import typing

    unpaginated = []
    for method, route, operation in ninja_operations():
        if method != "GET" or getattr(operation.view_func, "_ninja_is_paginated", False) or route in BOUNDED_LISTS:
            continue
        for status, model in (operation.response_models or {}).items():
            field = getattr(model, "model_fields", {}).get("response")
            annotation = field.annotation if field is not None else None
            if typing.get_origin(annotation) in (list, tuple, set) or annotation in (list, tuple, set):
                unpaginated.append(f"GET {route} ({status}: {annotation})")

    assert not unpaginated, "lists without @paginate(LimitOffsetPagination):\n" + "\n".join(unpaginated)


def test_every_url_scope_is_a_known_permission():
    unknown = [f"{e.route} -> {e.callback.bastion_scope!r}" for e in walk()
               if getattr(e.callback, "bastion_scope", None) and not _valid_scope(e.callback.bastion_scope)]

    assert not unknown, "views needing a permission no role has (a typo?):\n" + "\n".join(unknown)


# -- the anonymous walk ----------------------------------------------------------------------


def _is_public(endpoint: Endpoint) -> bool:
    declared = getattr(endpoint.callback, "bastion_scope", "") or ""
    return declared.startswith("public: ") or endpoint.name in {"admin:login"}


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=THIS_URLCONF)
def test_anonymous_get_of_every_url_is_refused():
    # Given no session and no token, when every URL is fetched (ids filled in with 1)
    client = Client()
    login_url = resolve_url(settings.LOGIN_URL)
    leaks = []
    checked = 0
    for endpoint in walk():
        if endpoint.sample_url is None or _is_public(endpoint) or is_default_home(endpoint.callback):
            continue
        response = client.get(endpoint.sample_url)
        checked += 1
        status, location = response.status_code, response.get("Location", "")
        if endpoint.sample_url.startswith("/api/"):
            ok = status in (401, 405) and response["Content-Type"].startswith("application/json") or status == 405
        elif endpoint.namespace.startswith("admin"):
            # to its sign-in page (or, for sign-out, to its index, which sends on to sign-in)
            ok = status == 405 or status == 302 and location.startswith("/admin/")
        else:
            ok = status == 405 or status == 302 and location.split("?")[0] == login_url
        if not ok:
            leaks.append(f"GET {endpoint.sample_url} ({endpoint.name}) -> {status} {location}")

    # Then pages send to the sign-in page, the API answers 401, admin sends to its own sign-in
    assert checked > 10
    assert not leaks, "answered an anonymous request:\n" + "\n".join(leaks)


@pytest.mark.django_db
def test_anonymous_call_of_every_api_operation_gets_401():
    client = Client()
    refused = []
    for method, route, operation in ninja_operations():
        if str(getattr(operation.view_func, "bastion_scope", "")).startswith("public: "):
            continue
        url = re.sub(r"\{(?:\w+:)?\w+\}", "1", route)
        response = client.generic(method, url, json.dumps({}), content_type="application/json")
        if response.status_code != 401:
            refused.append(f"{method} {url} -> {response.status_code}")

    assert not refused, "API operations that did not answer 401 to an anonymous call:\n" + "\n".join(refused)


@override_settings(ROOT_URLCONF=THIS_URLCONF)
def test_declared_public_pages_hold_no_personal_data(district):
    # The public pages (sign-in, language switch, API schema) show no record, whatever is stored
    from bastion.access.scope import system_scope
    from bastion.people.services import person_create

    person_create(scope=system_scope(), name="竇秀珍", area=district.grid(0, 0, 0), id_number="370202198512310023")
    client = Client()
    for endpoint in walk():
        if endpoint.sample_url is None or not _is_public(endpoint):
            continue
        body = client.get(endpoint.sample_url).content.decode(errors="replace")
        assert "竇秀珍" not in body and "370202198512310023" not in body, endpoint.route


def test_the_checker_catches_an_undeclared_view_and_operation():
    # Given a plain view and a ninja operation that declare nothing, and ones that do
    from ninja import NinjaAPI

    from bastion.access.decorators import public, scoped

    def bare(request: Any) -> None:
        return None

    selftest = NinjaAPI(urls_namespace="default-deny-selftest")

    @selftest.get("/open")
    def open_operation(request: Any) -> dict[str, str]:
        return {}

    @selftest.get("/closed")
    @scoped("person.view", api=True)
    def closed_operation(request: Any) -> dict[str, str]:
        return {}

    patterns = {p.name: p for p in selftest.urls[0] if isinstance(p, URLPattern)}

    def endpoint(callback: Callable[..., Any], name: str = "x") -> Endpoint:
        return Endpoint("x/", name, "", callback, "/x/")

    # Then the checker names the undeclared ones and accepts the declared ones
    assert declaration(endpoint(bare)) is None
    assert declaration(endpoint(public("a test")(lambda request: None))) == "public: a test"
    assert declaration(endpoint(patterns["open_operation"].callback)) is None
    assert declaration(endpoint(patterns["closed_operation"].callback)) == "ninja operations, each scoped"
    assert not _valid_scope("persn.view")
