from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from bastion.access.decorators import public
from bastion.api import api

urlpatterns = [
    path("", include("bastion.access.urls")),
    path("areas/", include("bastion.areas.urls")),
    path("orgs/", include("bastion.orgs.urls")),
    path("people/", include("bastion.people.urls")),
    path("coverage/", include("bastion.coverage.urls")),
    path("screening/", include("bastion.screening.urls")),
    path("checkpoints/", include("bastion.checkpoints.urls")),
    path("orglife/", include("bastion.orglife.urls")),
    path("ledger/", include("bastion.ledger.urls")),
    path("supplies/", include("bastion.supplies.urls")),
    path("care/", include("bastion.care.urls")),
    path("reports/", include("bastion.reports.urls")),
    path("imports/", include("bastion.imports.urls")),
    path("i18n/setlang/", public("language switch, needs no login")(set_language), name="set_language"),
    path("api/", api.urls),
]
if settings.DEBUG or getattr(settings, "BASTION_ADMIN", False):
    urlpatterns.append(path("admin/", admin.site.urls))
