from django.urls import path

from baozheng.reporting import views_corrections, views_forms, views_periods, views_releases

urlpatterns = [
    path("", views_periods.periods_page, name="reporting-periods"),
    path("act/", views_periods.period_action, name="reporting-period-action"),
    path("validation/", views_periods.validation_report, name="reporting-validation"),
    path("forms/", views_forms.forms_page, name="reporting-forms"),
    path("forms/<int:pk>/", views_forms.form_page, name="reporting-form"),
    path(
        "assignments/<int:pk>/remove/",
        views_forms.remove_assignment,
        name="reporting-assignment-remove",
    ),
    path(
        "releases/<str:period>/<str:parent>/<int:version>/",
        views_releases.release_page,
        name="reporting-release",
    ),
    path(
        "releases/<str:period>/<str:parent>/<int:version>/<str:fmt>/",
        views_releases.release_download,
        name="reporting-release-download",
    ),
    path("corrections/", views_corrections.corrections_page, name="reporting-corrections"),
    path(
        "corrections/<int:pk>/decide/",
        views_corrections.correction_decide,
        name="reporting-correction-decide",
    ),
]
