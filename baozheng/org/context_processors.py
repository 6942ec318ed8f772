from django.conf import settings
from django.http import HttpRequest

from baozheng.org.navigation import nav_for


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": [], "production": settings.PRODUCTION}
    return {"nav": nav_for(user), "production": settings.PRODUCTION}
