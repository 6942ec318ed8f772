from django.contrib.auth import views as auth_views
from django.urls import path

from baozheng.org import views, views_calendar

urlpatterns = [
    path("", views.home, name="home"),
    path("landing/", views.landing, name="landing"),
    path("login/", views.Login.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(success_url="/"),
        name="password_change",
    ),
    path("units/", views.units, name="org-units"),
    path("audit/", views.audit, name="org-audit"),
    path("calendar/", views_calendar.calendar_page, name="org-calendar"),
    path("calendar/confirm/", views_calendar.confirm_year, name="org-calendar-confirm"),
]
