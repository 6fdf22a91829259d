"""Checkpoint pages: sites, the site dashboard, the entrance console, referrals, the 亮身份 poster."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from bastion.access.decorators import public, scoped
from bastion.areas.models import Area, AreaKind
from bastion.checkpoints import conf, selectors, services
from bastion.checkpoints.forms import DeviceTokenForm, EntranceForm, OutcomeForm, ReferralForm, ShiftForm, apply_errors
from bastion.checkpoints.models import DeviceToken, Reading
from bastion.checkpoints.permissions import MANAGE, RECORD, VIEW


def _scope(request: HttpRequest) -> Any:
    return request.scope  # type: ignore[attr-defined]


def _date(value: str | None) -> dt.date | None:
    try:
        return parse_date(value) if value else None
    except ValueError:
        return None


@scoped(VIEW)
def index(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.site_list(scope=_scope(request)), 50).get_page(request.GET.get("page"))
    return render(request, "checkpoints/index.html", {"page": page})


@scoped(VIEW)
def site_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    site = selectors.site_get(scope=scope, pk=pk)
    start, end = _date(request.GET.get("start")), _date(request.GET.get("end"))
    day = _date(request.GET.get("day"))
    if day is None:
        latest = Reading.objects.filter(entrance__site=site).aggregate(m=Max("measured_at"))["m"]
        day = timezone.localdate(latest) if latest else timezone.localdate()
    warnings = Paginator(selectors.duty_warning_list(scope=scope).filter(site=site), 20)
    referrals = Paginator(selectors.referral_list(scope=scope, site=site), 20)
    context = {
        "site": site,
        "start": start,
        "end": end,
        "day": day,
        "prev_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "figures": selectors.site_figures(scope=scope, site=site, start=start, end=end),
        "hourly": selectors.hourly_person_times(scope=scope, site=site, day=day),
        "entrances": selectors.entrance_list(scope=scope, site=site),
        "on_duty": selectors.on_duty_now(site=site),
        "longest": selectors.longest_duty_per_member(scope=scope, site=site, start=start, end=end),
        "warnings": warnings.get_page(request.GET.get("wpage")),
        "referrals": referrals.get_page(request.GET.get("rpage")),
        "outcomes": selectors.referral_outcome_counts(scope=scope, site=site),
        "unreferred": selectors.fever_readings_without_referral(scope=scope, site=site)[:20],
        "threshold": conf.fever_threshold(),
        "long_duty_hours": int(conf.long_duty().total_seconds() // 3600),
        "team": selectors.team_for_site(site),
        "can_manage": scope.has(MANAGE),
        "can_record": scope.has(RECORD),
        "entrance_form": EntranceForm(),
    }
    return render(request, "checkpoints/site.html", context)


@scoped(MANAGE)
def entrance_add(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    scope = _scope(request)
    site = selectors.site_get(scope=scope, pk=pk, perm=MANAGE)
    form = EntranceForm(request.POST)
    if form.is_valid():
        try:
            services.entrance_create(scope=scope, site=site, name=form.cleaned_data["name"])
            messages.success(request, _("Entrance added."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Give the entrance a name."))
    return redirect("checkpoints:site", pk=site.pk)


def _shift_form(request: HttpRequest, site: Area, data: Any = None) -> ShiftForm:
    scope = _scope(request)
    people = [(p.pk, p.name) for p in selectors.team_member_list(scope=scope, site=site)]
    entrances = [(e.pk, e.name) for e in selectors.entrance_list(scope=scope, site=site)]
    return ShiftForm(data, people=people, entrances=entrances)


@scoped(VIEW)
def shifts(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    site = selectors.site_get(scope=scope, pk=pk)
    form = _shift_form(request, site)
    if request.method == "POST":
        scope.require(RECORD, area=site)
        form = _shift_form(request, site, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.shift_create(
                    scope=scope,
                    person=selectors.team_member_list(scope=scope, site=site).get(pk=data["person"]),
                    entrance=selectors.entrance_get(scope=scope, pk=data["entrance"], perm=RECORD),
                    start=data["start"],
                    end=data["end"],
                )
                messages.success(request, _("Shift recorded."))
                return redirect("checkpoints:shifts", pk=site.pk)
            except ValidationError as exc:
                apply_errors(form, exc)
    page = Paginator(selectors.shift_list(scope=scope, site=site), 50).get_page(request.GET.get("page"))
    return render(request, "checkpoints/shifts.html", {"site": site, "form": form, "page": page,
                                                       "can_record": scope.has(RECORD)})


@scoped(RECORD)
def shift_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    scope = _scope(request)
    shift = get_object_or_404(selectors.shift_list(scope=scope), pk=pk)
    try:
        services.shift_end(scope=scope, shift=shift, end=timezone.now())
        messages.success(request, _("Shift ended."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("checkpoints:shifts", pk=shift.entrance.site_id)


@scoped(MANAGE)
def devices(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    site = selectors.site_get(scope=scope, pk=pk, perm=MANAGE)
    form = DeviceTokenForm()
    new_token = None
    if request.method == "POST":
        form = DeviceTokenForm(request.POST)
        if form.is_valid():
            try:
                _token, new_token = services.device_token_create(scope=scope, site=site, name=form.cleaned_data["name"])
                form = DeviceTokenForm()
            except ValidationError as exc:
                apply_errors(form, exc)
    page = Paginator(selectors.device_token_list(scope=scope, site=site), 50).get_page(request.GET.get("page"))
    return render(request, "checkpoints/devices.html", {"site": site, "form": form, "page": page,
                                                        "new_token": new_token})


@scoped(MANAGE)
def device_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    scope = _scope(request)
    token = get_object_or_404(DeviceToken.objects.select_related("site"), pk=pk)
    services.device_token_revoke(scope=scope, token=token)
    messages.success(request, _("Device token “%(name)s” revoked.") % {"name": token.name})
    return redirect("checkpoints:devices", pk=token.site_id)


@scoped(VIEW)
def referrals(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    site = selectors.site_get(scope=scope, pk=pk)
    outcome = request.GET.get("outcome", "")
    page = Paginator(selectors.referral_list(scope=scope, site=site, outcome=outcome), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "checkpoints/referrals.html", {"site": site, "page": page, "outcome": outcome,
                                                          "reveal": scope.has("person.reveal")})


@scoped(VIEW)
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    referral = selectors.referral_get(scope=scope, pk=pk)
    form = OutcomeForm()
    if request.method == "POST":
        form = OutcomeForm(request.POST)
        if form.is_valid():
            try:
                services.referral_set_outcome(scope=scope, referral=referral, outcome=form.cleaned_data["outcome"],
                                              note=form.cleaned_data["note"])
                messages.success(request, _("Outcome recorded."))
                return redirect("checkpoints:referral", pk=referral.pk)
            except ValidationError as exc:
                apply_errors(form, exc)
    return render(request, "checkpoints/referral.html", {
        "referral": referral, "form": form, "reveal": scope.has("person.reveal"), "can_record": scope.has(RECORD),
    })


def _district_areas(site: Area) -> list[tuple[int, str]]:
    district = site.get_ancestors().filter(kind=AreaKind.DISTRICT).first()
    if district is None:
        return []
    areas = Area.objects.filter(path__startswith=district.path, kind__in=[AreaKind.COMMUNITY, AreaKind.GRID])
    return [(a.pk, a.name) for a in areas.order_by("path")[:2000]]


@scoped(RECORD)
def referral_new(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    entrance = selectors.entrance_get(scope=scope, pk=pk, perm=RECORD)
    areas = _district_areas(entrance.site)
    if request.method == "POST":
        form = ReferralForm(request.POST, areas=areas)
        if form.is_valid():
            data = form.cleaned_data
            destination = Area.objects.get(pk=data["destination_area"]) if data["destination_area"] else None
            try:
                referral = services.referral_create(
                    scope=scope, entrance=entrance, temperature=data["temperature"],
                    reading_uuid=data["reading_uuid"], traveller_name=data["traveller_name"],
                    id_kind=data["id_kind"], id_number=data["id_number"], phone=data["phone"],
                    travel_number=data["travel_number"], destination_address=data["destination_address"],
                    destination_area=destination,
                )
                messages.success(request, _("Referral recorded."))
                return redirect("checkpoints:referral", pk=referral.pk)
            except ValidationError as exc:
                apply_errors(form, exc)
    else:
        form = ReferralForm(initial={"reading_uuid": request.GET.get("reading") or None,
                                     "temperature": request.GET.get("t")}, areas=areas)
    return render(request, "checkpoints/referral_new.html", {"entrance": entrance, "form": form})


@scoped(RECORD)
def console(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    entrance = selectors.entrance_get(scope=scope, pk=pk, perm=RECORD)
    return render(request, "checkpoints/console.html", {
        "entrance": entrance,
        "threshold": conf.fever_threshold(),
        "batch_url": reverse("api:readings_batch"),
        "tally_url": reverse("api:tallies_batch"),
        "referral_url": reverse("checkpoints:referral-new", args=[entrance.pk]),
        "worker_url": reverse("checkpoints:service-worker"),
        "worker_scope": service_worker_scope(),
        "strings": {
            "online": _("Online: readings are sent at once."),
            "offline": _("Offline: readings are kept on this device and sent when the network returns."),
            "range": _("Type a temperature between 30.0 and 45.0 °C."),
            "fever": _("Fever"),
            "remeasure": _("Re-measure (°C)"),
            "measure": _("Temperature (°C)"),
            "confirmed": _("Confirmed fever"),
            "normal": _("Normal: let pass"),
            "normal_recheck": _("Normal on re-check: let pass"),
            "rejected": _("The server refused a reading:"),
            "sent": _("sent"),
            "queued": _("Readings waiting to be sent:"),
            "offline_ready": _("This console also opens without a network."),
            "others_waiting": _("Readings another member took here wait on this device until they sign in again:"),
        },
    })


# Bump when sw.js changes in a way the asset URLs do not show (they carry a hash in production).
SERVICE_WORKER_VERSION = "1"
CACHE_PREFIX = "bastion-checkpoints-"


def _console_assets() -> list[str]:
    """What the console page loads besides itself: kept by the service worker for offline use."""
    return [static(name) for name in (
        "bastion/bastion.css", "django_htmx/htmx.min.js", "checkpoints/checkpoints.css",
        "checkpoints/console.js", "checkpoints/icon.svg", "checkpoints/icon-192.png",
    )]


def service_worker_scope() -> str:
    """The worker may only ever control the entrance pages (console, referral form), nothing else."""
    return reverse("checkpoints:index") + "entrances/"


# Public, not @login_scoped: the script is the same code for everyone and holds no data. The
# browser re-fetches it by itself to look for updates, also after sign-out; a redirect to the
# sign-in page there would fail the update (a worker script may not redirect) and strand an old one.
@public("the console's service worker script: the same static code for everyone, no data")
def service_worker(request: HttpRequest) -> HttpResponse:
    assets = _console_assets()
    version = hashlib.sha256(json.dumps([SERVICE_WORKER_VERSION, assets]).encode()).hexdigest()[:12]
    console_pattern = "^" + service_worker_scope() + r"[0-9]+/console/$"
    response = render(request, "checkpoints/sw.js", {
        "cache_name_json": json.dumps(CACHE_PREFIX + version),
        "cache_prefix_json": json.dumps(CACHE_PREFIX),
        "assets_json": json.dumps(assets),
        "console_pattern_json": json.dumps(console_pattern),
    }, content_type="application/javascript; charset=utf-8")
    # Always ask the server, so a new version (new asset hashes) is installed on the next visit online.
    response["Cache-Control"] = "no-cache"
    # Narrower than the script's own folder: even a wrong registration cannot reach other pages.
    response["Service-Worker-Allowed"] = service_worker_scope()
    return response


@public("the console's home-screen manifest: app name, icons and the console's address, no data")
def console_manifest(request: HttpRequest, pk: int) -> HttpResponse:
    # No lookup on purpose: the entrance's name stays behind the sign-in; the console itself checks access.
    start = reverse("checkpoints:console", args=[pk])
    manifest = {
        "name": _("Bastion entrance console"),
        "short_name": _("Console"),
        "lang": get_language(),
        "start_url": start,
        "scope": reverse("checkpoints:index"),
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#fafafa",
        "theme_color": "#b71c1c",
        "icons": [
            {"src": static("checkpoints/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("checkpoints/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("checkpoints/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return HttpResponse(json.dumps(manifest, ensure_ascii=False), content_type="application/manifest+json")


@scoped(VIEW)
def poster(request: HttpRequest, pk: int) -> HttpResponse:
    entrance = selectors.entrance_get(scope=_scope(request), pk=pk)
    url = request.build_absolute_uri(reverse("checkpoints:on-duty", args=[entrance.public_key]))
    qr = segno.make(url, error="m").svg_data_uri(scale=10)
    return render(request, "checkpoints/poster.html", {"entrance": entrance, "qr": qr, "url": url})


@public("亮身份: the poster's QR code shows who is on duty at an entrance, names and roles only")
def on_duty_public(request: HttpRequest, key: Any) -> HttpResponse:
    entrance = selectors.entrance_by_public_key(key)
    people = selectors.on_duty_now(entrance=entrance)
    return render(request, "checkpoints/on_duty.html", {"entrance": entrance, "people": people})
