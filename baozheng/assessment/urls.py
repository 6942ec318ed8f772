from django.urls import path

from baozheng.assessment.views import entries, exports, runs, schemes

urlpatterns = [
    path("", runs.index, name="assessment-index"),
    path("evidence/<str:kind>/<int:pk>/", entries.evidence, name="assessment-evidence"),
    path("runs/<int:pk>/", runs.run_detail, name="assessment-run"),
    path("runs/<int:pk>/publish/", runs.publish_run, name="assessment-run-publish"),
    path("runs/<int:pk>/units/<str:code>/", runs.unit_breakdown, name="assessment-run-unit"),
    path("runs/<int:pk>/notice.xlsx", exports.export_xlsx, name="assessment-run-xlsx"),
    path("runs/<int:pk>/notice.docx", exports.export_docx, name="assessment-run-docx"),
    path("runs/<int:pk>/notice.pdf", exports.export_pdf, name="assessment-run-pdf"),
    path("schemes/<int:scheme_pk>/compute/", runs.compute_run, name="assessment-compute"),
    path("schemes/new/", schemes.edit_scheme, name="assessment-scheme-new"),
    path("schemes/<int:pk>/edit/", schemes.edit_scheme, name="assessment-scheme-edit"),
    path("schemes/<int:pk>/new-version/", schemes.new_version, name="assessment-scheme-version"),
    path("schemes/preview/", schemes.preview, name="assessment-preview-new"),
    path("schemes/<int:pk>/preview/", schemes.preview, name="assessment-preview"),
    path(
        "units/<str:code>/history/<slug:scheme_code>/",
        runs.unit_history,
        name="assessment-history",
    ),
    path("figures/", entries.manual_figures, name="assessment-figures"),
    path("adjustments/", entries.adjustments, name="assessment-adjustments"),
    path("targets/", entries.rank_targets, name="assessment-targets"),
]
