from django.urls import path

from baozheng.documents import views

urlpatterns = [path("settings/", views.settings_page, name="documents-settings")]
