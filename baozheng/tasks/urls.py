from django.urls import path

from baozheng.tasks.views import (
    enterprise_pages,
    files,
    group_pages,
    meeting_pages,
    public_pages,
    task_pages,
)

urlpatterns = [
    path("<int:pk>/closure-file/", files.closure_file, name="tasks-closure-file"),
    path(
        "<int:pk>/progress/<int:progress_pk>/file/", files.progress_file, name="tasks-progress-file"
    ),
    path("", task_pages.mine, name="tasks-mine"),
    path("board/", task_pages.board, name="tasks-board"),
    path("new/", task_pages.new, name="tasks-new"),
    path("<int:pk>/", task_pages.detail, name="tasks-detail"),
    path("<int:pk>/step/", task_pages.step, name="tasks-step"),
    path("<int:pk>/progress/", task_pages.progress, name="tasks-progress"),
    path("meetings/", meeting_pages.meeting_list, name="tasks-meetings"),
    path("meetings/new/", meeting_pages.meeting_new, name="tasks-meeting-new"),
    path("meetings/<int:pk>/", meeting_pages.meeting_detail, name="tasks-meeting"),
    path("meetings/<int:pk>/edit/", meeting_pages.meeting_edit, name="tasks-meeting-edit"),
    path("meetings/<int:pk>/decide/", meeting_pages.meeting_decide, name="tasks-meeting-decide"),
    path("groups/", group_pages.group_list, name="tasks-groups"),
    path("groups/<int:pk>/", group_pages.group_detail, name="tasks-group"),
    path("enterprises/", enterprise_pages.enterprise_list, name="tasks-enterprises"),
    path("enterprises/new/", enterprise_pages.enterprise_new, name="tasks-enterprise-new"),
    path("enterprises/<int:pk>/", enterprise_pages.enterprise_detail, name="tasks-enterprise"),
    path("requests/", enterprise_pages.request_list, name="tasks-requests"),
    path("requests/<int:pk>/", enterprise_pages.request_detail, name="tasks-request"),
    path("requests/<int:pk>/assign/", enterprise_pages.request_assign, name="tasks-request-assign"),
    path(
        "requests/<int:pk>/follow-up/",
        enterprise_pages.request_follow_up,
        name="tasks-request-follow-up",
    ),
    path("requests/figures/", enterprise_pages.figures, name="tasks-figures"),
    path("public/request/", public_pages.submit, name="tasks-public-request"),
    path("public/status/", public_pages.status, name="tasks-public-status"),
]
