"""Contest URLs by audience: staff, judges (signed links) and the public."""

from django.urls import path

from baozheng.contest import views_judge, views_public, views_results, views_staff

staff = [
    path("", views_staff.index, name="contest-index"),
    path("<int:contest_id>/", views_staff.detail, name="contest-detail"),
    path("<int:contest_id>/import/", views_staff.import_page, name="contest-import"),
    path("<int:contest_id>/judges/", views_staff.judges, name="contest-judges"),
    path("sessions/<int:session_id>/", views_staff.session_page, name="contest-session"),
    path("sessions/<int:session_id>/panel/", views_staff.panel_override, name="contest-panel-override"),
    path("sessions/<int:session_id>/qr/", views_staff.session_qr, name="contest-session-qr"),
    path("contestants/<int:contestant_id>/video/", views_staff.set_video, name="contest-set-video"),
    path("venues/<int:venue_id>/", views_staff.venue_page, name="contest-venue"),
    path("venues/<int:venue_id>/release/", views_staff.release_names, name="contest-release-names"),
    path("corrections/<int:pk>/decide/", views_staff.decide_correction, name="contest-decide-correction"),
    path("<int:contest_id>/draws/", views_results.draws, name="contest-draws"),
    path("draws/<int:pk>/run/", views_results.run_draw, name="contest-draw-run"),
    path("<int:contest_id>/results/", views_results.results, name="contest-results"),
    path("<int:contest_id>/normalisation/", views_results.normalisation, name="contest-normalisation"),
    path("<int:contest_id>/notice/", views_results.publish_notice, name="contest-publish-notice"),
    path("objections/<int:pk>/handle/", views_results.handle_objection, name="contest-handle-objection"),
    path("<int:contest_id>/freeze/", views_results.freeze, name="contest-freeze"),
    path("<int:contest_id>/rollup/", views_results.rollup_page, name="contest-rollup"),
    path("<int:contest_id>/export/<str:what>.<str:fmt>", views_results.export, name="contest-export"),
]

judge = [
    path("mine/", views_judge.my_sessions, name="contest-my-sessions"),
    path("score/<str:token>/", views_judge.score_session, name="contest-score-session"),
    path("score/<str:token>/<int:contestant_id>/", views_judge.score_sheet, name="contest-score-sheet"),
    path("score/<str:token>/<int:contestant_id>/correct/", views_judge.request_correction,
         name="contest-request-correction"),
]

public = [
    path("public/", views_public.public_index, name="contest-public"),
    path("board/<int:venue_id>/", views_public.board, name="contest-board"),
    path("board/<int:venue_id>/events/", views_public.board_stream, name="contest-board-events"),
    path("board/<int:venue_id>/scores.json", views_public.board_scores, name="contest-board-scores"),
    path("draws/<int:pk>/public/", views_public.draw_public, name="contest-draw-public"),
    path("notices/<int:pk>/", views_public.notice_public, name="contest-notice-public"),
]

urlpatterns = staff + judge + public
