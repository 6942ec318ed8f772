"""The command-line overrides of a document type's settings, shared by the commands that
write Word documents (`baozheng bulletin`, `baozheng projects-bulletin`)."""

from __future__ import annotations

from django.core.management.base import CommandError

from baozheng.documents.settings import letterhead, parse_signed


def add_arguments(parser) -> None:
    group = parser.add_argument_group("公文（docx、pdf）；默认取“公文设置”")
    group.add_argument("--issuer", default="", help="发文机关署名")
    group.add_argument("--number", default="", help="发文字号或期号，如 第6期")
    group.add_argument("--recipients", default="", help="主送机关")
    group.add_argument("--copies", default="", help="抄送")
    group.add_argument("--signed", default="", help="成文日期，如 2023-07-10（默认今天）")
    group.add_argument("--draft", default="", help="标注并加水印，如 未发布 或 征求意见稿")


def head_from(options: dict, doc_type: str, year: int, month: int):
    try:
        signed = parse_signed(options.get("signed") or "")
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    given = {k: options.get(k) or "" for k in ("issuer", "number", "recipients", "copies")}
    return letterhead(doc_type, year=year, month=month, signed=signed, **given)
