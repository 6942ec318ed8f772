"""What an uploaded file is, judged by its content (magic bytes), in one table.

A name says nothing: a PDF renamed `.jpg`, an HTML page renamed `.pdf` or a program
renamed `.docx` would be stored and later opened by a colleague as what its name claims.
Each type here knows its extensions and how to recognise its bytes; an upload path names
the types it accepts (ATTACHMENT, PHOTO, LETTER) and either `check_named` (the name's
type must be the content's type: attachments keep their names) or `detect` (the content
alone decides and the stored name gets its extension: photos, letters).

A small table rather than a library: the accepted types are few, and the Office Open XML
ones need a look inside the zip (its `[Content_Types].xml` must declare the document's
main part) that the magic-number libraries only guess at from the first bytes.
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from django import forms
from django.core.files.uploadedfile import UploadedFile

HEAD_BYTES = 8192
CONTENT_TYPES_MAX_BYTES = 1024 * 1024  # a real [Content_Types].xml is a few KB


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple[str, ...]
    matches: Callable[[UploadedFile, bytes], bool]

    @property
    def extension(self) -> str:
        return self.extensions[0].lstrip(".")


def _starts(*magics: bytes, at: int = 0) -> Callable[[UploadedFile, bytes], bool]:
    return lambda upload, head: any(head[at : at + len(m)] == m for m in magics)


def _zip_member(name: str, declares: bytes = b"") -> Callable[[UploadedFile, bytes], bool]:
    """A zip archive holding `name` (which, when `declares` is given, contains it)."""

    def matches(upload: UploadedFile, head: bytes) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                info = archive.getinfo(name)
                if not declares:
                    return True
                if info.file_size > CONTENT_TYPES_MAX_BYTES:
                    return False
                return declares in archive.read(info)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError):
            return False
        finally:
            upload.seek(0)

    return matches


def _webp(upload: UploadedFile, head: bytes) -> bool:
    return head.startswith(b"RIFF") and head[8:12] == b"WEBP"


def _text(upload: UploadedFile, head: bytes) -> bool:
    """Plain text or CSV: no NUL byte, and UTF-8 or GB18030 (the start may cut a character)."""
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            return True
        except UnicodeDecodeError:
            continue
    return False


_OOXML = b"application/vnd.openxmlformats-officedocument."
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Office and WPS formats
TYPES: dict[str, FileType] = {
    t.label: t
    for t in (
        FileType("PDF", "application/pdf", (".pdf",), _starts(b"%PDF-")),
        FileType("OFD", "application/ofd", (".ofd",), _zip_member("OFD.xml")),
        FileType("JPEG", "image/jpeg", (".jpg", ".jpeg"), _starts(b"\xff\xd8\xff")),
        FileType("PNG", "image/png", (".png",), _starts(b"\x89PNG\r\n\x1a\n")),
        FileType("WebP", "image/webp", (".webp",), _webp),
        FileType(
            "Word",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
            _zip_member("[Content_Types].xml", _OOXML + b"wordprocessingml.document.main+xml"),
        ),
        FileType(
            "Excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
            _zip_member("[Content_Types].xml", _OOXML + b"spreadsheetml.sheet.main+xml"),
        ),
        FileType(
            "PowerPoint",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            (".pptx",),
            _zip_member("[Content_Types].xml", _OOXML + b"presentationml.presentation.main+xml"),
        ),
        FileType(
            "Office/WPS（旧格式）",
            "application/octet-stream",
            (".doc", ".xls", ".ppt", ".wps", ".et"),
            _starts(_OLE2),
        ),
        FileType("文本", "text/plain", (".txt", ".csv"), _text),
        FileType("ZIP", "application/zip", (".zip",), _starts(b"PK\x03\x04", b"PK\x05\x06")),
        FileType("RAR", "application/vnd.rar", (".rar",), _starts(b"Rar!\x1a\x07")),
        FileType("7z", "application/x-7z-compressed", (".7z",), _starts(b"7z\xbc\xaf\x27\x1c")),
    )
}
ATTACHMENT = tuple(TYPES)
PHOTO = ("JPEG", "PNG", "WebP")
LETTER = ("PDF", "JPEG", "PNG")


def _head(upload: UploadedFile) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def detect(upload: UploadedFile, allowed: Sequence[str]) -> FileType | None:
    """The first of the allowed types whose bytes the upload has, or None."""
    head = _head(upload)
    return next((TYPES[k] for k in allowed if TYPES[k].matches(upload, head)), None)


def check_named(upload: UploadedFile, allowed: Sequence[str]) -> FileType:
    """The type the upload's extension names, if its content is that type; else a
    ValidationError in Chinese saying what the name claims and what the file is."""
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    named = next((TYPES[k] for k in allowed if suffix in TYPES[k].extensions), None)
    if named is None:
        names = "、".join(e.lstrip(".") for k in allowed for e in TYPES[k].extensions)
        raise forms.ValidationError(f"不支持的附件类型“{suffix or '无扩展名'}”，可上传：{names}")
    if not named.matches(upload, _head(upload)):
        actual = detect(upload, ATTACHMENT)
        what = f"实际是 {actual.label} 文件" if actual else "内容不是可识别的文件类型"
        raise forms.ValidationError(
            f"“{upload.name}”的内容与扩展名不符：扩展名为 {suffix.lstrip('.')}，{what}"
        )
    return named
