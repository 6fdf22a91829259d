"""Every view and API operation declares the permission it needs (default deny).

`scoped(perm)` checks that the request's scope holds perm somewhere; the selector or
service it calls then narrows to the subtree. `public(reason)` marks the few views that
need no login. A test walks the URLconf and the API and fails on any endpoint that
declares neither.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

F = TypeVar("F", bound=Callable[..., Any])


def _keep_signature(wrapper: Any, func: Callable[..., Any]) -> None:
    """Give the wrapper the wrapped function's signature with its annotations resolved.

    django-ninja evaluates string annotations (`from __future__ import annotations`) in the
    globals of the function it is given, which for a wrapper is this module: without this,
    an API operation's `AreaKind | None` could not be resolved and its schema would fail.
    """
    try:
        signature = inspect.signature(func)
        hints = typing.get_type_hints(inspect.unwrap(func))
    except (NameError, TypeError, ValueError):
        return
    wrapper.__signature__ = signature.replace(
        parameters=[p.replace(annotation=hints.get(p.name, p.annotation)) for p in signature.parameters.values()],
        return_annotation=hints.get("return", signature.return_annotation),
    )


def scoped(perm: str, *, api: bool = False) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            scope = request.scope
            if scope.user is None and not api:
                return redirect_to_login(request.get_full_path())
            if not scope.has(perm):
                raise PermissionDenied
            return func(request, *args, **kwargs)

        wrapper.bastion_scope = perm  # type: ignore[attr-defined]
        if api:
            _keep_signature(wrapper, func)
        return wrapper  # type: ignore[return-value]

    return decorate


def login_scoped(func: F) -> F:
    """For pages every signed-in user may open (home, own tokens): the data shown is still scoped."""

    @functools.wraps(func)
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.scope.user is None:
            return redirect_to_login(request.get_full_path())
        return func(request, *args, **kwargs)

    wrapper.bastion_scope = "login"  # type: ignore[attr-defined]
    _keep_signature(wrapper, func)
    return wrapper  # type: ignore[return-value]


def public(reason: str) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        func.bastion_scope = f"public: {reason}"  # type: ignore[attr-defined]
        return func

    return decorate
