from django.urls import path

from baozheng.assessment import views

urlpatterns = [
    path("", views.index, name="assessment-index"),
    path("runs/<int:pk>/", views.run_detail, name="assessment-run"),
]
