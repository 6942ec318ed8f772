"""Attachments (task progress files, closure and assessment evidence): what may be uploaded
and how a stored file is served.

Uploads are served by permission-checked views, never as static files: the view checks
the scope of the object the file belongs to and answers with `Content-Disposition:
attachment`, `nosniff` and a sandboxing CSP, so an uploaded `.html` is downloaded, never
rendered on our origin. Behind nginx, set BAOZHENG_X_ACCEL_PREFIX (for example
`/protected-uploads/`, an `internal` location aliased to the uploads directory) and the
view hands the transfer to nginx with `X-Accel-Redirect` after its check.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import quote

from asgiref.sync import sync_to_async
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.handlers.asgi import ASGIRequest
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse

from baozheng.lib.filetypes import ATTACHMENT, check_named

CHUNK_BYTES = 64 * 1024
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


def validate_attachment(upload: UploadedFile) -> None:
    """Refuse, in Chinese, a file over the size limit, of a type an office does not use, or
    whose content is not what its extension says (lib/filetypes.py)."""
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise forms.ValidationError(
            f"附件过大：最多 {ATTACHMENT_MAX_BYTES // 1024 // 1024} MB，"
            f"本文件 {upload.size / 1024 / 1024:.1f} MB"
        )
    check_named(upload, ATTACHMENT)


def attachment_field(label: str = "附件") -> forms.FileField:
    limit = ATTACHMENT_MAX_BYTES // 1024 // 1024
    return forms.FileField(
        label=label,
        required=False,
        validators=[validate_attachment],
        help_text=f"PDF、图片、Office 文档或压缩包，不超过 {limit} MB",
    )


def serve_upload(request: HttpRequest, stored: FieldFile) -> HttpResponse:
    """The stored file as a download (the caller has checked the scope already)."""
    if not stored:
        raise Http404("没有附件")
    name = PurePosixPath(stored.name).name
    prefix = getattr(settings, "X_ACCEL_PREFIX", "")
    if prefix:
        response = HttpResponse()
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + _quoted(stored.name)
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quoted(name)}"
    else:
        try:
            handle = stored.open("rb")
        except FileNotFoundError:
            raise Http404("附件文件已不存在") from None
        response = file_download(request, handle, name, "application/octet-stream", True)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def _quoted(name: str) -> str:
    """Percent-encoded (headers are ASCII; nginx decodes the X-Accel-Redirect path)."""
    return quote(name)


def file_download(
    request: HttpRequest, handle, filename: str, content_type: str, as_attachment: bool
) -> HttpResponse:
    """A stored file as a streamed response that suits the server: under ASGI the chunks
    come from an asynchronous iterator (a synchronous one makes Django warn and buffer it
    through a thread), under WSGI from the file itself."""
    if not isinstance(request, ASGIRequest):
        return FileResponse(
            handle, as_attachment=as_attachment, filename=filename, content_type=content_type
        )
    read = sync_to_async(handle.read)

    async def chunks():
        try:
            while chunk := await read(CHUNK_BYTES):
                yield chunk
        finally:
            await sync_to_async(handle.close)()

    response = StreamingHttpResponse(chunks(), content_type=content_type)
    disposition = "attachment" if as_attachment else "inline"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{_quoted(filename)}"
    return response
