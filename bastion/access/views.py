from __future__ import annotations

from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from bastion.access import selectors
from bastion.access.decorators import login_scoped, public, scoped
from bastion.access.models import ApiToken
from bastion.access.tokens import token_create, token_revoke


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
