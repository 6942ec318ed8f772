"""The Letterhead of a document type: the admin's settings, then any override given on the
command line or the download form. No names are built in code: without settings a
document has no 版头 and no 署名, only its 成文日期."""

from __future__ import annotations

from datetime import date

from baozheng.documents.models import DocumentSettings
from baozheng.lib.gongwen import Letterhead

OVERRIDES = ("issuer", "number", "recipients", "copies", "signed")


def letterhead(doc_type: str, *, year: int | None = None, month: int | None = None, **given):
    """`given` overrides (issuer, number, recipients, copies, signed); empty values are ignored."""
    found = DocumentSettings.objects.filter(doc_type=doc_type).first()
    head = Letterhead()
    if found:
        number = found.number_pattern
        if number and year is not None:
            number = number.format(year=year, month=month or "")
        head = Letterhead(
            issuer=found.issuer,
            masthead=found.masthead,
            number=number,
            recipients=found.recipients,
            copies=found.copies,
            printer=found.printer,
            signed=found.signed,
            chinese_date=found.chinese_date,
            style=found.style,
        )
    for key, value in given.items():
        if key not in OVERRIDES:
            raise TypeError(key)
        if value:
            setattr(head, key, value)
    return head


def parse_signed(text: str) -> date | None:
    """成文日期 as typed on the form or command line (2023-07-10); a clear error otherwise."""
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"成文日期“{text}”格式不对，应为 2023-07-10") from None
