from django.urls import path

from baozheng.api import views

urlpatterns = [
    path("", views.token_list, name="api-tokens"),
    path("<int:pk>/", views.token_detail, name="api-token"),
    path("<int:pk>/revoke/", views.token_revoke, name="api-token-revoke"),
]
