from django.urls import path

from baozheng.projects import entry_views, registry_views, views

urlpatterns = [
    path("", views.project_list, name="projects-list"),
    path("new/", registry_views.create, name="projects-create"),
    path("<int:pk>/", views.project_detail, name="projects-detail"),
    path("<int:pk>/edit/", registry_views.edit, name="projects-edit"),
    path("<int:pk>/progress/", entry_views.progress, name="projects-progress"),
    path("<int:pk>/stages/", entry_views.stages, name="projects-stages"),
    path("<int:pk>/support/", entry_views.support, name="projects-support"),
    path("photos/<int:pk>/", views.photo, name="projects-photo"),
    path("county/<str:code>/", views.county, name="projects-county"),
    path("mine/", views.mine, name="projects-mine"),
    path("leaders/", views.leaders, name="projects-leaders"),
    path("warnings/", views.warnings, name="projects-warnings"),
    path("warnings/thresholds/", entry_views.thresholds, name="projects-thresholds"),
    path("batches/", views.batches, name="projects-batches"),
    path("batches/<int:pk>/", views.batch_detail, name="projects-batch"),
    path("bulletin/", views.bulletin, name="projects-bulletin"),
]
