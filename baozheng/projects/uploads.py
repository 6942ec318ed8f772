"""Checking uploaded site photos by their content, not by the name or the browser's word.

Pillow is not among our dependencies, so the file's leading bytes (magic numbers) decide
its type: JPEG, PNG or WebP. Anything else, or anything larger than the limit, is refused
with a Chinese message, and the stored name gets the extension of the detected type.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS_PER_REPORT = 6

SIGNATURES: tuple[tuple[str, str, bytes, int], ...] = (
    ("image/jpeg", "jpg", b"\xff\xd8\xff", 0),
    ("image/png", "png", b"\x89PNG\r\n\x1a\n", 0),
    ("image/webp", "webp", b"WEBP", 8),
)


def sniff_image(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of an image from its first bytes, or None."""
    for content_type, extension, magic, offset in SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            if content_type == "image/webp" and not head.startswith(b"RIFF"):
                continue
            return content_type, extension
    return None


def check_photo(upload: UploadedFile) -> tuple[str, str]:
    """Validate one uploaded photo; returns (content type, safe stored file name)."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            f"照片“{upload.name}”超过 {MAX_PHOTO_BYTES // 1024 // 1024} MB，请压缩后上传"
        )
    if upload.size == 0:
        raise ValidationError(f"照片“{upload.name}”是空文件")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = sniff_image(head)
    if found is None:
        raise ValidationError(f"“{upload.name}”不是 JPEG、PNG 或 WebP 图片")
    content_type, extension = found
    return content_type, f"{uuid.uuid4().hex}.{extension}"
