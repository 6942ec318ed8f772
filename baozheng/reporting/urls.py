from django.urls import path

from baozheng.reporting import (
    views_corrections,
    views_forms,
    views_periods,
    views_releases,
    views_rules,
    views_steps,
)

urlpatterns = [
    path("", views_periods.periods_page, name="reporting-periods"),
    path("act/", views_periods.period_action, name="reporting-period-action"),
    path("validation/", views_periods.validation_report, name="reporting-validation"),
    path("forms/", views_forms.forms_page, name="reporting-forms"),
    path("forms/<int:pk>/", views_forms.form_page, name="reporting-form"),
    path("forms/<int:pk>/steps/", views_steps.step_add, name="reporting-step-add"),
    path("steps/<int:pk>/remove/", views_steps.step_remove, name="reporting-step-remove"),
    path("steps/<int:pk>/move/", views_steps.step_move, name="reporting-step-move"),
    path("rules/", views_rules.rules_page, name="reporting-rules"),
    path("rules/new/", views_rules.rule_edit, name="reporting-rule-new"),
    path("rules/check/", views_rules.expression_check, name="reporting-rule-check"),
    path("rules/<int:pk>/", views_rules.rule_edit, name="reporting-rule-edit"),
    path("rules/<int:pk>/toggle/", views_rules.rule_toggle, name="reporting-rule-toggle"),
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
    path(
        "corrections/<int:pk>/withdraw/",
        views_corrections.correction_withdraw,
        name="reporting-correction-withdraw",
    ),
]
