"""The console's service worker and manifest: public, data-free, and scoped to the entrance pages."""

from __future__ import annotations

import json

from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import resolve, reverse

from bastion.checkpoints import views


def test_the_worker_script_is_served_to_anyone_with_the_headers_a_browser_needs(station):
    # given no one signed in (the browser re-fetches the worker by itself, also after sign-out)
    url = reverse("checkpoints:service-worker")
    # when the script is fetched
    response = Client().get(url)
    # then it is JavaScript, always revalidated, and may control only the entrance pages
    assert url == "/checkpoints/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/checkpoints/entrances/"
    assert response["Service-Worker-Allowed"].startswith(url.rsplit("/", 1)[0] + "/")
    body = response.content.decode()
    assert "&quot;" not in body  # the JSON literals are not HTML-escaped
    assert '"bastion-checkpoints-' in body and "/static/checkpoints/console.js" in body
    assert "/static/django_htmx/htmx.min.js" in body


def test_the_worker_script_is_declared_public_and_holds_no_data(station, make_user, client_for):
    # given the URL's declared scope
    declared = resolve(reverse("checkpoints:service-worker")).func.bastion_scope  # type: ignore[attr-defined]
    assert declared.startswith("public: ")
    # when a signed-in member and a stranger fetch it, they get the very same bytes: nothing of a user is in it
    member = client_for(make_user("checkpoint_member", org=station.team, person=station.leader))
    assert member.get("/checkpoints/sw.js").content == Client().get("/checkpoints/sw.js").content
    body = Client().get("/checkpoints/sw.js").content.decode()
    assert station.leader.name not in body and station.entrances[0].name not in body


def test_the_worker_keeps_only_the_console_and_its_files_never_the_api(station):
    body = Client().get("/checkpoints/sw.js").content.decode()
    assets = json.loads(body.split("var ASSETS = ", 1)[1].split(";\n", 1)[0])
    # every file it keeps exists, and none is an API answer or another page
    assert assets and all(a.startswith("/static/") for a in assets)
    assert all(finders.find(a.removeprefix("/static/")) for a in assets)
    pattern = json.loads(body.split("var CONSOLE = new RegExp(", 1)[1].split(");", 1)[0])
    assert pattern == "^/checkpoints/entrances/[0-9]+/console/$"


def test_a_new_version_of_the_kept_files_gets_a_new_cache(station, monkeypatch):
    # given the cache name of today's worker
    def cache_name() -> str:
        return Client().get("/checkpoints/sw.js").content.decode().split('var CACHE = "', 1)[1].split('"', 1)[0]

    before = cache_name()
    # when the worker's version changes, its cache name changes (the old cache is dropped on activate)
    monkeypatch.setattr(views, "SERVICE_WORKER_VERSION", "test-next")
    assert cache_name() != before and cache_name().startswith("bastion-checkpoints-")


def test_the_console_links_its_manifest_and_registers_the_worker(station, make_user, client_for):
    client = client_for(make_user("checkpoint_member", org=station.team, person=station.leader))
    entrance = station.entrances[0]
    html = client.get(reverse("checkpoints:console", args=[entrance.pk])).content.decode()
    assert f'rel="manifest" href="/checkpoints/entrances/{entrance.pk}/manifest.webmanifest"' in html
    assert 'data-worker-url="/checkpoints/sw.js" data-worker-scope="/checkpoints/entrances/"' in html


def test_the_manifest_starts_at_the_console_and_names_no_entrance(station):
    entrance = station.entrances[0]
    # given no one signed in (a browser fetches a manifest without cookies)
    response = Client().get(reverse("checkpoints:console-manifest", args=[entrance.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == f"/checkpoints/entrances/{entrance.pk}/console/"
    assert manifest["start_url"].startswith(manifest["scope"])
    assert manifest["display"] == "standalone" and manifest["name"]
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
    assert all(finders.find(icon["src"].removeprefix("/static/")) for icon in manifest["icons"])
    assert entrance.name not in response.content.decode()
    declared = resolve(manifest["start_url"].replace("console/", "manifest.webmanifest")).func
    assert declared.bastion_scope.startswith("public: ")  # type: ignore[attr-defined]


def test_the_console_itself_still_needs_a_sign_in(station):
    response = Client().get(reverse("checkpoints:console", args=[station.entrances[0].pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_signed_out_page_drops_the_kept_console_and_a_signed_in_one_does_not(station, make_user, client_for):
    # the sign-in page, where sign-out lands, clears the worker's caches; the console page must not
    assert "caches.delete" in Client().get(reverse("access:login")).content.decode()
    client = client_for(make_user("checkpoint_member", org=station.team, person=station.leader))
    console = client.get(reverse("checkpoints:console", args=[station.entrances[0].pk]))
    assert "caches.delete" not in console.content.decode()
