"""The API's one `NinjaAPI`: OpenAPI at /api/openapi.json, the documentation page at
/api/docs (Swagger UI from django-ninja's own static files, no CDN), every route under
/api/v1/. A caller authenticates with an API token (`Authorization: Bearer …`, resolved by
`baozheng.api.middleware`) or with the session of a logged-in person."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import django_auth

from baozheng.api import errors
from baozheng.assessment.api import router as assessment_router
from baozheng.contest.api import router as contest_router
from baozheng.org.api import router as org_router
from baozheng.projects.api import router as projects_router
from baozheng.reporting.api import router as reporting_router
from baozheng.stats.api import router as stats_router
from baozheng.tasks.api import router as tasks_router

DESCRIPTION = """保争平台的数据接口，供省统计系统推送数据、部门业务系统报送月度数据、大屏和县区系统读取。

- **认证**：在请求头中提供接口令牌 `Authorization: Bearer bz_…`（由管理员在“接口令牌”页面签发），
  或使用已登录的浏览器会话。令牌的权限与同角色、同数据范围的用户完全相同。
- **错误**：统一为 `{"code": "…", "message": "中文说明"}`；批量写入的行错误另有 `errors` 列表。
- **分页**：列表返回 `{"count", "page", "pages", "items"}`，参数 `page`、`page_size`（最多 1000）。
- **缓存**：读取接口带 `ETag`，请求时携带 `If-None-Match` 可得到 304。
- **限流**：每个令牌每分钟的请求数有上限，超出时返回 429 和 `Retry-After`。
"""


def token_auth(request: HttpRequest):
    """The account of the token the middleware resolved, if the request carried one."""
    return request.user if getattr(request, "api_token", None) else None


api = NinjaAPI(
    title="保争 数据接口",
    version="v1",
    description=DESCRIPTION,
    auth=[token_auth, django_auth],
    urls_namespace="api",
)
errors.install(api)
api.add_router("/v1/org/", org_router)
api.add_router("/v1/stats/", stats_router)
api.add_router("/v1/reporting/", reporting_router)
api.add_router("/v1/projects/", projects_router)
api.add_router("/v1/tasks/", tasks_router)
api.add_router("/v1/assessment/", assessment_router)
api.add_router("/v1/contest/", contest_router)
