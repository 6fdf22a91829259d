from __future__ import annotations

from typing import Any

from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from bastion.access import selectors, services
from bastion.access.decorators import login_scoped, public, scoped
from bastion.access.forms import AccountForm, GrantForm, PasswordResetForm
from bastion.access.models import ApiToken, Grant
from bastion.access.tokens import token_create, token_revoke
from bastion.areas.forms import add_service_errors
from bastion.areas.models import Area
from bastion.people.selectors import person_get, person_list


class LoginView(auth_views.LoginView):
    template_name = "access/login.html"
    redirect_authenticated_user = True


login_view = public("the sign-in page")(LoginView.as_view())


@public("signing out ends the session; needs no scope")
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    auth.logout(request)
    return redirect("access:login")


@login_scoped
def home(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    return render(request, "access/home.html", {"grants": selectors.grant_list(user=scope.user)})


@login_scoped
def tokens(request: HttpRequest) -> HttpResponse:
    user = request.scope.user  # type: ignore[attr-defined]
    new_token = None
    error = None
    if request.method == "POST":
        try:
            _token, new_token = token_create(user=user, name=request.POST.get("name", ""))
        except ValidationError as exc:
            error = exc.message_dict.get("name", exc.messages)[0]
    return render(
        request,
        "access/tokens.html",
        {"tokens": ApiToken.objects.filter(user=user), "new_token": new_token, "error": error},
    )


@login_scoped
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user = request.scope.user  # type: ignore[attr-defined]
    token = get_object_or_404(ApiToken, pk=token_id, user=user)
    token_revoke(user=user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("access:tokens")


@scoped("audit.view")
def audit_log(request: HttpRequest) -> HttpResponse:
    events = selectors.audit_event_list(scope=request.scope, verb=request.GET.get("verb", ""))  # type: ignore[attr-defined]
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "access/audit.html", {"page": page, "verb": request.GET.get("verb", "")})


# -- Accounts: give a volunteer an account and a role without a terminal -------------------


def _scope(request: HttpRequest) -> Any:
    return request.scope  # type: ignore[attr-defined]


def _no_store(response: HttpResponse) -> HttpResponse:
    # Pages that show a password once must not be kept by the browser or a proxy.
    response["Cache-Control"] = "no-store"
    return response


@scoped("grant.change")
def users(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.user_list(scope=_scope(request), query=query), 50).get_page(request.GET.get("page"))
    return render(request, "access/users.html", {"page": page, "q": query})


@scoped("grant.change")
def user_create_view(request: HttpRequest) -> HttpResponse:
    """Pick a person with the person search, then name the account; a generated password is shown once."""
    scope = _scope(request)
    query = request.GET.get("q", "").strip()
    person = None
    person_id = request.POST.get("person") or request.GET.get("person", "")
    if str(person_id).isdigit():
        person = person_get(scope=scope, pk=int(person_id))
    results = None
    if person is None and query:
        results = person_list(scope=scope, query=query).filter(user__isnull=True)[:20]
    form = AccountForm(request.POST or None, initial={"person": person.pk if person else None})
    if request.method == "POST" and person is not None and form.is_valid():
        try:
            user, generated = services.user_create(
                scope=scope,
                actor=scope.user,
                person=person,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You do not have permission to do this here."))
        else:
            messages.success(request, _("Account “%(name)s” created.") % {"name": user.username})
            if generated:
                return _no_store(_user_page(request, user, new_password=generated))
            return redirect("access:user", user.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "access/user_form.html",
        {"form": form, "person": person, "q": query, "results": results},
        status=status,
    )


def _user_page(
    request: HttpRequest,
    user: Any,
    *,
    grant_form: GrantForm | None = None,
    password_form: PasswordResetForm | None = None,
    new_password: str | None = None,
    status: int = 200,
) -> HttpResponse:
    scope = _scope(request)
    try:
        services.user_check(scope=scope, user=user)
        can_manage = True
    except PermissionDenied:
        can_manage = False
    context = {
        "account": user,
        "grants": selectors.grant_list(user=user),
        "can_manage": can_manage,
        # ?find= searches the nodes the role could be given over (a round trip, no script needed)
        "grant_form": grant_form or GrantForm(scope=scope, find=request.GET.get("find", "")[:100]),
        "password_form": password_form or PasswordResetForm(),
        "new_password": new_password,
        "events": list(selectors.user_history(user=user)[:50]),
    }
    return render(request, "access/user_detail.html", context, status=status)


@scoped("grant.change")
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _user_page(request, selectors.user_get(scope=_scope(request), pk=pk))


@scoped("grant.change")
def grant_add(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    scope = _scope(request)
    user = selectors.user_get(scope=scope, pk=pk)
    form = GrantForm(request.POST, scope=scope, find=request.POST.get("find", "")[:100])
    if form.is_valid():
        target = form.cleaned_data["target"]
        is_area = isinstance(target, Area)
        try:
            grant = services.grant_create(
                scope=scope,
                actor=scope.user,
                user=user,
                role=form.cleaned_data["role"],
                area=target if is_area else None,
                organization=None if is_area else target,
            )
        except ValidationError as exc:
            add_service_errors(form, exc, aliases={"area": "target", "organization": "target"})
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You do not have permission to do this here."))
            return _user_page(request, user, grant_form=form, status=403)
        else:
            messages.success(request, _("Granted: %(grant)s.") % {"grant": grant})
            return redirect("access:user", user.pk)
    return _user_page(request, user, grant_form=form, status=400)


@scoped("grant.change")
def grant_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    scope = _scope(request)
    grant = get_object_or_404(Grant.objects.select_related("area", "organization"), pk=pk)
    user = selectors.user_get(scope=scope, pk=grant.user_id)
    label = str(grant)
    try:
        services.grant_revoke(scope=scope, actor=scope.user, grant=grant)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You do not have permission to do this here."))
    else:
        messages.success(request, _("Revoked: %(grant)s.") % {"grant": label})
        # Its last grant in scope gone, an account without a person in scope leaves the list.
        if not selectors.user_list(scope=scope).filter(pk=user.pk).exists():
            return redirect("access:users")
    return redirect("access:user", user.pk)


@scoped("grant.change")
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    scope = _scope(request)
    user = selectors.user_get(scope=scope, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(scope=scope, actor=scope.user, user=user, active=active)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        if active:
            messages.success(request, _("Account “%(name)s” reactivated.") % {"name": user.username})
        else:
            messages.success(request, _("Account “%(name)s” deactivated.") % {"name": user.username})
    return redirect("access:user", user.pk)


@scoped("grant.change")
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    scope = _scope(request)
    user = selectors.user_get(scope=scope, pk=pk)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            password = services.user_password_reset(
                scope=scope, actor=scope.user, user=user, password=form.cleaned_data["password"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You do not have permission to do this here."))
            return _user_page(request, user, password_form=form, status=403)
        else:
            messages.success(request, _("Password of “%(name)s” reset.") % {"name": user.username})
            # A password typed by the officer is not echoed back; a generated one is shown once.
            shown = None if form.cleaned_data["password"] else password
            return _no_store(_user_page(request, user, new_password=shown))
    return _user_page(request, user, password_form=form, status=400)
