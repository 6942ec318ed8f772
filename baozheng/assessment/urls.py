from django.urls import path

from baozheng.assessment import exports, views, views_editor, views_entries

urlpatterns = [
    path("", views.index, name="assessment-index"),
    path("evidence/<str:kind>/<int:pk>/", views_entries.evidence, name="assessment-evidence"),
    path("runs/<int:pk>/", views.run_detail, name="assessment-run"),
    path("runs/<int:pk>/publish/", views.publish_run, name="assessment-run-publish"),
    path("runs/<int:pk>/units/<str:code>/", views.unit_breakdown, name="assessment-run-unit"),
    path("runs/<int:pk>/notice.xlsx", exports.export_xlsx, name="assessment-run-xlsx"),
    path("runs/<int:pk>/notice.docx", exports.export_docx, name="assessment-run-docx"),
    path("runs/<int:pk>/notice.pdf", exports.export_pdf, name="assessment-run-pdf"),
    path("schemes/<int:scheme_pk>/compute/", views.compute_run, name="assessment-compute"),
    path("schemes/new/", views_editor.edit_scheme, name="assessment-scheme-new"),
    path("schemes/<int:pk>/edit/", views_editor.edit_scheme, name="assessment-scheme-edit"),
    path(
        "schemes/<int:pk>/new-version/", views_editor.new_version, name="assessment-scheme-version"
    ),
    path("schemes/preview/", views_editor.preview, name="assessment-preview-new"),
    path("schemes/<int:pk>/preview/", views_editor.preview, name="assessment-preview"),
    path(
        "units/<str:code>/history/<slug:scheme_code>/",
        views.unit_history,
        name="assessment-history",
    ),
    path("figures/", views_entries.manual_figures, name="assessment-figures"),
    path("adjustments/", views_entries.adjustments, name="assessment-adjustments"),
    path("targets/", views_entries.rank_targets, name="assessment-targets"),
]
