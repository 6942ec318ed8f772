"""Contest URLs by audience: staff (running and setting up a contest), judges (signed
links) and the public."""

from django.urls import path

from baozheng.contest.views import (
    classes as views_classes,
)
from baozheng.contest.views import (
    integrity as views_integrity,
)
from baozheng.contest.views import (
    judge as views_judge,
)
from baozheng.contest.views import (
    paper as views_paper,
)
from baozheng.contest.views import (
    promotion as views_promotion,
)
from baozheng.contest.views import (
    public as views_public,
)
from baozheng.contest.views import (
    results as views_results,
)
from baozheng.contest.views import (
    setup as views_setup,
)
from baozheng.contest.views import (
    setup_people as views_setup_people,
)
from baozheng.contest.views import (
    setup_sites as views_setup_sites,
)
from baozheng.contest.views import (
    staff as views_staff,
)

staff = [
    path("", views_staff.index, name="contest-index"),
    path("<int:contest_id>/", views_staff.detail, name="contest-detail"),
    path("<int:contest_id>/import/", views_staff.import_page, name="contest-import"),
    path("<int:contest_id>/judges/", views_staff.judges, name="contest-judges"),
    path("sessions/<int:session_id>/", views_staff.session_page, name="contest-session"),
    path(
        "sessions/<int:session_id>/panel/",
        views_staff.panel_override,
        name="contest-panel-override",
    ),
    path("sessions/<int:session_id>/qr/", views_staff.session_qr, name="contest-session-qr"),
    path("contestants/<int:contestant_id>/video/", views_staff.set_video, name="contest-set-video"),
    path("venues/<int:venue_id>/", views_staff.venue_page, name="contest-venue"),
    path("venues/<int:venue_id>/release/", views_staff.release_names, name="contest-release-names"),
    path(
        "corrections/<int:pk>/decide/",
        views_staff.decide_correction,
        name="contest-decide-correction",
    ),
    path("<int:contest_id>/draws/", views_results.draws, name="contest-draws"),
    path("draws/<int:pk>/run/", views_results.run_draw, name="contest-draw-run"),
    path("draws/<int:pk>/redraw/", views_integrity.redraw, name="contest-redraw"),
    path(
        "sessions/<int:session_id>/absence/",
        views_integrity.judge_absence,
        name="contest-judge-absence",
    ),
    path("sessions/<int:session_id>/paper/", views_paper.paper_entry, name="contest-paper-entry"),
    path(
        "sessions/<int:session_id>/paper/discard/",
        views_paper.paper_discard,
        name="contest-paper-discard",
    ),
    path(
        "sessions/<int:session_id>/place/",
        views_integrity.place_contestants,
        name="contest-place-contestants",
    ),
    path(
        "contestants/<int:contestant_id>/absent/",
        views_integrity.contestant_absent,
        name="contest-contestant-absent",
    ),
    path("<int:contest_id>/results/", views_results.results, name="contest-results"),
    path(
        "<int:contest_id>/normalisation/", views_results.normalisation, name="contest-normalisation"
    ),
    path("<int:contest_id>/notice/", views_results.publish_notice, name="contest-publish-notice"),
    path(
        "objections/<int:pk>/handle/",
        views_results.handle_objection,
        name="contest-handle-objection",
    ),
    path("<int:contest_id>/freeze/", views_results.freeze, name="contest-freeze"),
    path("<int:contest_id>/promotion/", views_promotion.promotion_page, name="contest-promotion"),
    path("<int:contest_id>/rollup/", views_results.rollup_page, name="contest-rollup"),
    path(
        "<int:contest_id>/export/<str:what>.pdf",
        views_results.export_pdf,
        name="contest-export-pdf",
    ),
    path(
        "<int:contest_id>/export/<str:what>.<str:fmt>", views_results.export, name="contest-export"
    ),
]

setup = [
    path("new/", views_setup.contest_create, name="contest-create"),
    path("<int:contest_id>/edit/", views_setup.contest_edit, name="contest-edit"),
    path("<int:contest_id>/setup/", views_setup.setup, name="contest-setup"),
    path("<int:contest_id>/stages/new/", views_setup.stage_edit, name="contest-stage-add"),
    path("stages/<int:pk>/", views_setup.stage_edit, name="contest-stage-edit"),
    path("<int:contest_id>/divisions/new/", views_setup.division_edit, name="contest-division-add"),
    path("divisions/<int:pk>/", views_setup.division_edit, name="contest-division-edit"),
    path("<int:contest_id>/rubrics/new/", views_setup.rubric_edit, name="contest-rubric-add"),
    path("rubrics/<int:pk>/", views_setup.rubric_edit, name="contest-rubric-edit"),
    path("setup/<str:kind>/<int:pk>/delete/", views_setup.delete, name="contest-setup-delete"),
    path("<int:contest_id>/sites/", views_setup_sites.sites, name="contest-sites"),
    path("<int:contest_id>/zones/new/", views_setup_sites.zone_edit, name="contest-zone-add"),
    path("zones/<int:pk>/", views_setup_sites.zone_edit, name="contest-zone-edit"),
    path("<int:contest_id>/venues/new/", views_setup_sites.venue_add, name="contest-venue-add"),
    path("venues/<int:venue_id>/setup/", views_setup_sites.venue_setup, name="contest-venue-setup"),
    path("venues/<int:venue_id>/classes/", views_classes.classes, name="contest-classes"),
    path("venues/<int:venue_id>/rooms/new/", views_setup_sites.room_edit, name="contest-room-add"),
    path("rooms/<int:pk>/", views_setup_sites.room_edit, name="contest-room-edit"),
    path(
        "venues/<int:venue_id>/sessions/new/",
        views_setup_sites.session_edit,
        name="contest-session-add",
    ),
    path("sessions/<int:pk>/edit/", views_setup_sites.session_edit, name="contest-session-edit"),
    path("<int:contest_id>/topics/", views_setup_people.topics, name="contest-topics"),
    path("topics/<int:pk>/", views_setup_people.topic_edit, name="contest-topic-edit"),
    path(
        "<int:contest_id>/judges/roster/",
        views_setup_people.judge_roster,
        name="contest-judge-roster",
    ),
    path("judges/<int:pk>/", views_setup_people.judge_edit, name="contest-judge-edit"),
    path("<int:contest_id>/teachers/", views_setup_people.teachers, name="contest-teachers"),
]

judge = [
    path("mine/", views_judge.my_sessions, name="contest-my-sessions"),
    path("score/<str:token>/", views_judge.score_session, name="contest-score-session"),
    path(
        "score/<str:token>/<int:contestant_id>/",
        views_judge.score_sheet,
        name="contest-score-sheet",
    ),
    path(
        "score/<str:token>/<int:contestant_id>/correct/",
        views_judge.request_correction,
        name="contest-request-correction",
    ),
]

public = [
    path("public/", views_public.public_index, name="contest-public"),
    path("board/<int:venue_id>/", views_public.board, name="contest-board"),
    path("board/<int:venue_id>/events/", views_public.board_stream, name="contest-board-events"),
    path(
        "board/<int:venue_id>/scores.json", views_public.board_scores, name="contest-board-scores"
    ),
    path("draws/<int:pk>/public/", views_public.draw_public, name="contest-draw-public"),
    path("draws/<int:pk>/record.json", views_public.draw_record, name="contest-draw-record"),
    path("notices/<int:pk>/", views_public.notice_public, name="contest-notice-public"),
    path("notices/<int:pk>/notice.docx", views_public.notice_docx, name="contest-notice-docx"),
]

urlpatterns = staff + setup + judge + public
