from django.urls import path

from baozheng.jobs import views

urlpatterns = [
    path("<uuid:pk>/", views.job_page, name="job"),
    path("<uuid:pk>/progress/", views.job_progress, name="job-progress"),
    path("<uuid:pk>/retry/", views.job_retry, name="job-retry"),
]
