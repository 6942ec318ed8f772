from django.urls import path

from baozheng.stats import views

urlpatterns = [
    path("import/", views.import_upload, name="stats-import"),
]
