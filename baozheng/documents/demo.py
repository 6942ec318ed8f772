"""Demo 公文 settings for the demo city: the issuers, numbers and recipients its offices use.
Idempotent: an existing row (perhaps edited by the admin) is left as it is."""

from __future__ import annotations

from datetime import date

from baozheng.documents.models import DocumentSettings
from baozheng.org.models import Unit

RECIPIENTS = "各县市区人民政府，各功能区管委会，市直有关单位"


def load(say, as_of: date | None = None) -> None:
    """`as_of` (the demo timeline's anchor) is taken like every part's; nothing here is dated."""
    home = Unit.objects.home().name
    office = f"{home}经济运行调度指挥部办公室"
    rows = {
        "stats_bulletin": dict(
            issuer=office,
            masthead="经济运行通报",
            style="简报",
            number_pattern="第{month}期",
            recipients=RECIPIENTS,
            copies="市委办公室，市人大常委会办公室，市政府办公室，市政协办公室",
            printer=office,
        ),
        "projects_bulletin": dict(
            issuer=office,
            masthead="重点项目建设通报",
            style="简报",
            number_pattern="第{month}期",
            recipients=RECIPIENTS,
            printer=office,
        ),
        "assessment_notice": dict(
            issuer=office,
            number_pattern="宛调办〔{year}〕{month}号",
            recipients=RECIPIENTS,
            printer=office,
        ),
        "contest": dict(issuer=f"{home}教育局"),
    }
    created = 0
    for doc_type, fields in rows.items():
        _, made = DocumentSettings.objects.get_or_create(doc_type=doc_type, defaults=fields)
        created += made
    say(f"公文设置：新建 {created} 项")
