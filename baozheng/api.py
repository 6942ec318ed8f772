"""The JSON API (django-ninja, OpenAPI at /api/docs). The domain apps with an API mount
their `router` under their own label; every endpoint authenticates with the session and
checks scope through `baozheng.org.permissions`."""

from ninja import NinjaAPI
from ninja.security import django_auth

from baozheng.contest.api import router as contest_router
from baozheng.stats.api import router as stats_router

api = NinjaAPI(title="保争 API", version="1", auth=django_auth, urls_namespace="api")
api.add_router("/stats/", stats_router)
api.add_router("/contest/", contest_router)
