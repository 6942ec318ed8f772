"""The run's notice (考评通报) as downloads: the documents are built in `assessment.exports`;
these views only check access (`access.visible_run`) and send the file (Word and PDF through
`documents.web.document_response`, which applies the letterhead and the export cache)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from baozheng.assessment.access import visible_run
from baozheng.assessment.exports import notice_docx, notice_filename, notice_title, notice_xlsx
from baozheng.documents.web import document_response
from baozheng.lib import office
from baozheng.org.permissions import require
from baozheng.org.roles import Cap


@require(Cap.VIEW)
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    run = visible_run(request, pk)
    return office.download(
        notice_xlsx(run, request.user), notice_filename(run, "xlsx"), office.XLSX
    )


def _notice_response(request: HttpRequest, pk: int, as_pdf: bool) -> HttpResponse:
    run = visible_run(request, pk)
    return document_response(
        request,
        lambda head: notice_docx(run, request.user, head),
        "assessment_notice",
        notice_title(run),
        run.period_year,
        as_pdf=as_pdf,
    )


@require(Cap.VIEW)
def export_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _notice_response(request, pk, as_pdf=False)


@require(Cap.VIEW)
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _notice_response(request, pk, as_pdf=True)
