"""The project's URLs that coverage and screening pages use, without the apps being built in parallel.

Tests run against this URLconf so that a half-written sibling app cannot break them; the project's own
URLconf is walked by bastion/core/tests/test_default_deny.py.
"""

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
    path("i18n/setlang/", public("language switch, needs no login")(set_language), name="set_language"),
    path("api/", api.urls),
]
