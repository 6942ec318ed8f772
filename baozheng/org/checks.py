"""System checks of the organisation settings, run by every `baozheng` command and server.

`BAOZHENG_HOME_UNIT` names the unit the installation runs for; a mistyped code used to fall
back silently to the root of the tree, so dashboards opened on the wrong unit. The check
warns, rather than refuses, because units arrive after the first `migrate` (by import or the
demo): an installation with no unit yet is not wrong, only one whose units lack the code.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register
from django.db import DatabaseError


@register()
def home_unit_exists(app_configs=None, **kwargs) -> list[Warning]:
    code = settings.HOME_UNIT
    if not code:
        return []
    from baozheng.org.models import Unit

    try:
        if not Unit.objects.exists() or Unit.objects.filter(code=code).exists():
            return []
    except DatabaseError:  # no tables yet: before the first migrate
        return []
    return [
        Warning(
            f"BAOZHENG_HOME_UNIT 指定的单位编码“{code}”不存在，驾驶舱和通报将以单位树的根单位打开",
            hint="请改为已导入单位的编码（如本市的行政区划代码），或留空",
            id="baozheng.W001",
        )
    ]
