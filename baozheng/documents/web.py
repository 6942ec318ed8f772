"""The download form's overrides of a document type's settings, and the Word/PDF response."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from baozheng.documents import pdf
from baozheng.documents.settings import letterhead, parse_signed
from baozheng.lib.gongwen import Letterhead
from baozheng.lib.office import DOCX, download

FIELDS = ("issuer", "number", "recipients", "copies")
MAX_LENGTH = 300


class BadOverride(ValueError):
    pass


def overrides_from(request: HttpRequest) -> dict[str, str]:
    """The form's overrides as given (strings), checked: BadOverride with a Chinese
    message. Kept as strings so that a background job can rebuild the letterhead."""
    given = {k: request.GET.get(k, "").strip() for k in (*FIELDS, "signed")}
    if any(len(v) > MAX_LENGTH for v in given.values()):
        raise BadOverride(f"署名、文号、主送或抄送不能超过{MAX_LENGTH}字")
    try:
        parse_signed(given["signed"])
    except ValueError as exc:
        raise BadOverride(str(exc)) from None
    return given


def letterhead_of(
    doc_type: str, year: int, month: int | None, overrides: dict[str, str]
) -> Letterhead:
    """Settings for `doc_type` with checked overrides (`overrides_from`)."""
    given = {k: overrides.get(k, "") for k in FIELDS}
    signed = parse_signed(overrides.get("signed", ""))
    return letterhead(doc_type, year=year, month=month, signed=signed, **given)


def letterhead_from(request: HttpRequest, doc_type: str, year: int, month: int | None = None):
    """Settings for `doc_type` with what the form gave; BadOverride with a Chinese message."""
    return letterhead_of(doc_type, year, month, overrides_from(request))


def document_response(
    request: HttpRequest,
    build,
    doc_type: str,
    name: str,
    year: int,
    month: int | None = None,
    as_pdf: bool = False,
) -> HttpResponse:
    """`build(head: Letterhead) -> docx bytes`, served as Word or converted to PDF."""
    try:
        head: Letterhead = letterhead_from(request, doc_type, year, month)
    except BadOverride as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    data = build(head)
    if as_pdf:
        try:
            return download(pdf.docx_to_pdf(data), f"{name}.pdf", pdf.PDF)
        except pdf.PdfUnavailable as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    return download(data, f"{name}.docx", DOCX)
