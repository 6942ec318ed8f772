from django.urls import path

from baozheng.monitor.views import (
    bulletin,
    dashboard,
    entry,
    indicator,
    progress,
    review,
    target_edit,
    targets,
)

urlpatterns = [
    path("", dashboard.overview, name="monitor-overview"),
    path("warnings/", dashboard.warnings, name="monitor-warnings"),
    path("unit/<str:code>/", dashboard.unit_page, name="monitor-unit"),
    path("indicator/<str:code>/", indicator.indicator_page, name="monitor-indicator"),
    path("targets/", targets.targets, name="monitor-targets"),
    path("targets/new/", target_edit.target_new, name="monitor-target-new"),
    path("targets/<int:pk>/", target_edit.target_page, name="monitor-target"),
    path("targets/<int:pk>/remove/", target_edit.target_remove, name="monitor-target-remove"),
    path("bulletin/", bulletin.bulletin_page, name="monitor-bulletin"),
    path("bulletin/<str:fmt>/", bulletin.bulletin_download, name="monitor-bulletin-download"),
    path("entry/", entry.entry_grid, name="monitor-entry"),
    path("review/", review.review, name="monitor-review"),
    path("review/act/", review.review_action, name="monitor-review-action"),
    path("review/lock/", review.lock, name="monitor-lock"),
    path("data/<int:pk>/", review.observation_page, name="monitor-observation"),
    path("progress/", progress.progress, name="monitor-progress"),
]
