"""Checking uploaded site photos by their content, not by the name or the browser's word.

The file's leading bytes (magic numbers, lib/filetypes.py) decide its type: JPEG, PNG or
WebP. Anything else, or anything larger than the limit, is refused
with a Chinese message, and the stored name gets the extension of the detected type.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from baozheng.lib.filetypes import PHOTO, detect

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS_PER_REPORT = 6


def check_photo(upload: UploadedFile) -> tuple[str, str]:
    """Validate one uploaded photo; returns (content type, safe stored file name)."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            f"照片“{upload.name}”超过 {MAX_PHOTO_BYTES // 1024 // 1024} MB，请压缩后上传"
        )
    if upload.size == 0:
        raise ValidationError(f"照片“{upload.name}”是空文件")
    found = detect(upload, PHOTO)
    if found is None:
        raise ValidationError(f"“{upload.name}”不是 JPEG、PNG 或 WebP 图片")
    return found.content_type, f"{uuid.uuid4().hex}.{found.extension}"
