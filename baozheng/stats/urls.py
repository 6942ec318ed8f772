from django.urls import path

from baozheng.stats import views, views_letters, views_lights

urlpatterns = [
    path("import/", views.import_upload, name="stats-import"),
    path("letters/new/", views_letters.letter_new, name="stats-letter-new"),
    path("letters/<int:pk>/document/", views_letters.letter_document, name="stats-letter-document"),
    path("lights/", views_lights.light_rules, name="stats-light-rules"),
    path("lights/<int:pk>/", views_lights.light_rule_edit, name="stats-light-rule"),
    path(
        "lights/<int:pk>/remove/",
        views_lights.light_rule_remove,
        name="stats-light-rule-remove",
    ),
]
