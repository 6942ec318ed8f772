from django.urls import path

from baozheng.stats import views, views_lights

urlpatterns = [
    path("import/", views.import_upload, name="stats-import"),
    path("lights/", views_lights.light_rules, name="stats-light-rules"),
    path("lights/<int:pk>/", views_lights.light_rule_edit, name="stats-light-rule"),
    path(
        "lights/<int:pk>/remove/",
        views_lights.light_rule_remove,
        name="stats-light-rule-remove",
    ),
]
