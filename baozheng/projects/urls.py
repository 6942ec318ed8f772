from django.urls import path

from baozheng.projects.views import bulletin, entry, read, registry

urlpatterns = [
    path("", read.project_list, name="projects-list"),
    path("new/", registry.create, name="projects-create"),
    path("<int:pk>/", read.project_detail, name="projects-detail"),
    path("<int:pk>/edit/", registry.edit, name="projects-edit"),
    path("<int:pk>/progress/", entry.progress, name="projects-progress"),
    path("<int:pk>/stages/", entry.stages, name="projects-stages"),
    path("<int:pk>/support/", entry.support, name="projects-support"),
    path("support-routes/", entry.support_routes, name="projects-support-routes"),
    path("photos/<int:pk>/", read.photo, name="projects-photo"),
    path("county/<str:code>/", read.county, name="projects-county"),
    path("mine/", read.mine, name="projects-mine"),
    path("leaders/", read.leaders, name="projects-leaders"),
    path("warnings/", read.warnings, name="projects-warnings"),
    path("warnings/thresholds/", entry.thresholds, name="projects-thresholds"),
    path("batches/", read.batches, name="projects-batches"),
    path("batches/<int:pk>/", read.batch_detail, name="projects-batch"),
    path("bulletin/", bulletin.bulletin, name="projects-bulletin"),
]
