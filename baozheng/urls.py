"""Root URLs: each domain app mounts its own urls.py under its prefix."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from baozheng.api.site import api

# Overload (no database connection free, SQLite busy) is a 503 with Retry-After, not a 500.
handler500 = "baozheng.lib.overload.server_error"

urlpatterns = [
    path("", include("baozheng.org.urls")),
    path("stats/", include("baozheng.stats.urls")),
    path("monitor/", include("baozheng.monitor.urls")),
    path("reporting/", include("baozheng.reporting.urls")),
    path("tasks/", include("baozheng.tasks.urls")),
    path("projects/", include("baozheng.projects.urls")),
    path("contest/", include("baozheng.contest.urls")),
    path("assessment/", include("baozheng.assessment.urls")),
    path("documents/", include("baozheng.documents.urls")),
    path("jobs/", include("baozheng.jobs.urls")),
    path("headline/", include("baozheng.headline.urls")),
    path("api/", api.urls),
    path("tokens/", include("baozheng.api.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
