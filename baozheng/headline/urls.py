from django.urls import path

from baozheng.headline import views, views_display

urlpatterns = [
    path("", views.headline, name="headline"),
    path("displays/", views_display.display_links, name="headline-displays"),
    path("displays/<int:pk>/revoke/", views_display.revoke, name="headline-display-revoke"),
    path("screen/<str:token>/", views_display.screen, name="headline-screen"),
    path(
        "screen/<str:token>/version/", views_display.screen_version, name="headline-screen-version"
    ),
]
