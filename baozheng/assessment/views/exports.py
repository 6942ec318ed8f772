"""The run's notice (考评通报) as downloads: the documents are built in `assessment.exports`;
these views only check access (`access.visible_run`) and send the file."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from baozheng.assessment.access import visible_run
from baozheng.assessment.exports import notice_docx, notice_filename, notice_xlsx
from baozheng.lib import office
from baozheng.org.permissions import require
from baozheng.org.roles import Cap


@require(Cap.VIEW)
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    run = visible_run(request, pk)
    return office.download(
        notice_xlsx(run, request.user), notice_filename(run, "xlsx"), office.XLSX
    )


@require(Cap.VIEW)
def export_docx(request: HttpRequest, pk: int) -> HttpResponse:
    run = visible_run(request, pk)
    return office.download(
        notice_docx(run, request.user), notice_filename(run, "docx"), office.DOCX
    )
