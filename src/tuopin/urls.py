from django.urls import include, path
from django.views.i18n import set_language

from tuopin.api import api

urlpatterns = [
    path("accounts/", include("tuopin.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("registry/", include("tuopin.registry.urls")),
    path("stats/", include("tuopin.analytics.urls")),
    path("policy/", include("tuopin.policy.urls")),
    path("rules/", include("tuopin.rules.urls")),
    path("monitoring/", include("tuopin.monitoring.urls")),
    path("assistance/", include("tuopin.assistance.urls")),
    path("projects/", include("tuopin.projects.urls")),
    path("supervision/", include("tuopin.supervision.urls")),
    path("", include("tuopin.areas.urls")),
]
