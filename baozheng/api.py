"""The JSON API (django-ninja, OpenAPI at /api/docs). Each domain app that has an
`api.py` with a `router` is mounted under its own prefix; every endpoint authenticates
with the session and checks scope through `baozheng.org.permissions`."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(title="保争 API", version="1", auth=django_auth, urls_namespace="api")

for config in apps.get_app_configs():
    if config.name.startswith("baozheng.") and find_spec(f"{config.name}.api"):
        api.add_router(f"/{config.label}/", import_module(f"{config.name}.api").router)
