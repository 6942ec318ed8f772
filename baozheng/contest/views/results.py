"""Staff pages for draws, results and their publication: ranking and prizes, the
normalisation report, the public notice with objections, freezing, roll-up and exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from baozheng.contest import draw_service, exports, formula, publication, rollup
from baozheng.contest.access import staff_contest
from baozheng.contest.draw import DrawError
from baozheng.contest.figures import contest_rollup, unit_names
from baozheng.contest.models import (
    Division,
    Draw,
    DrawKind,
    Notice,
    Objection,
    ObjectionStatus,
    Session,
    Stage,
)
from baozheng.contest.standings import Standing, contest_standings
from baozheng.documents import pdf
from baozheng.lib.bounds import id_param, ids_param
from baozheng.lib.office import DOCX, XLSX, download
from baozheng.org.models import Unit, UnitKind
from baozheng.org.permissions import check, require
from baozheng.org.roles import Cap

SESSION_KINDS = (DrawKind.ORDER, DrawKind.TOPIC, DrawKind.BORROWED_CLASS)


@require(Cap.CONTEST)
def draws(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = staff_contest(request, contest_id)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        try:
            if kind in SESSION_KINDS:
                session = get_object_or_404(
                    Session, pk=id_param(request.POST.get("session")), venue__zone__contest=contest
                )
                candidates, params = draw_service.session_candidates(kind, session)
                title = f"{session} {DrawKind(kind).label}"
                draw = draw_service.publish(
                    contest, kind, title, candidates, params, request.user, session=session
                )
            elif kind == DrawKind.SAMPLING:
                township = get_object_or_404(
                    Unit, pk=id_param(request.POST.get("township")), kind=UnitKind.CENTRAL_SCHOOL
                )
                candidates, params = draw_service.sampling_candidates(
                    request.POST.get("roster", ""), id_param(request.POST.get("count")) or 0
                )
                draw = draw_service.publish(
                    contest,
                    kind,
                    f"{township.name} 乡抽选手",
                    candidates,
                    params,
                    request.user,
                    township=township,
                )
            elif kind == DrawKind.PLACEMENT:
                division = get_object_or_404(
                    Division, pk=id_param(request.POST.get("division")), contest=contest
                )
                candidates, params = draw_service.placement_candidates(division)
                draw = draw_service.publish(
                    contest,
                    kind,
                    f"{division} 场次安排",
                    candidates,
                    params,
                    request.user,
                    division=division,
                )
            else:
                raise DrawError("请选择抽签类型")
        except (DrawError, ValueError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已公布承诺值：{draw.commitment[:16]}…")
        return redirect("contest-draws", contest_id=contest.pk)
    return render(
        request,
        "contest/draws.html",
        {
            "contest": contest,
            "draws": contest.draws.select_related("session__venue", "township").order_by(
                "-published_at"
            )[:200],
            "sessions": Session.objects.filter(venue__zone__contest=contest).select_related(
                "venue", "room", "division"
            ),
            "townships": Unit.objects.filter(
                kind=UnitKind.CENTRAL_SCHOOL, path__startswith=contest.unit.path
            ),
            "kinds": DrawKind.choices,
            "divisions": contest.divisions.select_related("stage"),
        },
    )


@require(Cap.CONTEST)
@require_POST
def run_draw(request: HttpRequest, pk: int) -> HttpResponse:
    draw = get_object_or_404(Draw.objects.select_related("contest__unit"), pk=pk)
    check(request.user, Cap.CONTEST, draw.contest.unit)
    try:
        draw_service.run(
            draw, request.POST.get("entropy", ""), request.POST.get("witnesses", ""), request.user
        )
    except DrawError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "抽签完成，结果已公开，任何人可复核")
    return redirect("contest-draw-public", pk=draw.pk)


@dataclass(frozen=True)
class Cells:
    """One standing's table cells as text, each formatted once here: the table has a row
    per contestant, and a number filtered and localised in the template cost more than
    the rest of the page. The text is what the template's `default:"—"` and localisation
    gave (zh-hans has no thousands separator, "." for decimals; a zero shows as "—")."""

    pending: bool
    rank: str
    number: str
    name: str
    earlier: str
    school: str
    frontline: str
    researcher: str
    final: str
    sheets: str
    prize: str


def _text(value: int | Decimal | None) -> str:
    return f"{value:f}" if isinstance(value, Decimal) and value else str(value or "—")


def table_rows(rows: list[Standing]) -> list[Cells]:
    return [
        Cells(
            not s.complete,
            _text(s.rank) if s.complete else s.state,
            s.contestant.number,
            s.contestant.name,
            s.contestant.earlier_result,
            s.contestant.school.name,
            _text(s.frontline_display),
            _text(s.researcher_display),
            _text(s.final),
            f"{s.sheets}/{s.expected}",
            s.prize_label or "—",
        )
        for s in rows
    ]


@require(Cap.CONTEST)
def results(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = staff_contest(request, contest_id)
    notices = list(
        Notice.objects.filter(contest=contest)
        .select_related("stage", "published_by")
        .prefetch_related("divisions__stage")
        .order_by("-starts", "-pk")
    )
    return render(
        request,
        "contest/results.html",
        {
            "contest": contest,
            "standings": {d: table_rows(rows) for d, rows in contest_standings(contest).items()},
            "formula_version": formula.VERSION,
            "notices": notices,
            "stages": contest.stages.all(),
            "divisions": contest.divisions.select_related("stage"),
            "objections": Objection.objects.filter(notice__contest=contest)
            .select_related("contestant", "notice__stage", "handled_by")
            .prefetch_related("notice__divisions__stage"),
            "snapshot": getattr(contest, "snapshot", None),
            "today": timezone.localdate(),
            "objection_choices": [ObjectionStatus.UPHELD, ObjectionStatus.REJECTED],
        },
    )


@require(Cap.CONTEST)
def normalisation(request: HttpRequest, contest_id: int) -> HttpResponse:
    """Per-venue z-scores for the organisers' judgement; scores are never adjusted by it."""
    contest = staff_contest(request, contest_id)
    reports = []
    for division, rows in contest_standings(contest).items():
        by_venue: dict[str, dict[str, object]] = {}
        for s in rows:
            if s.final is not None and s.contestant.session_id:
                by_venue.setdefault(s.contestant.session.venue.name, {})[s.contestant.number] = (
                    s.final
                )
        reports.append(
            (division, formula.normalisation_report(by_venue, contest.normalisation_min_sample))
        )
    return render(request, "contest/normalisation.html", {"contest": contest, "reports": reports})


@require(Cap.CONTEST)
@require_POST
def publish_notice(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = staff_contest(request, contest_id)
    stage_id = request.POST.get("stage", "")
    stage = get_object_or_404(Stage, pk=id_param(stage_id), contest=contest) if stage_id else None
    division_ids = set(request.POST.getlist("divisions"))
    divisions = list(Division.objects.filter(pk__in=ids_param(division_ids)))
    if len(divisions) != len(division_ids):
        messages.error(request, "所选组别不存在")
        return redirect("contest-results", contest_id=contest.pk)
    try:
        start = date.fromisoformat(request.POST.get("starts", ""))
    except ValueError:
        messages.error(request, "请填写公示开始日期")
        return redirect("contest-results", contest_id=contest.pk)
    try:
        notice = publication.publish_notice(
            contest,
            start,
            request.user,
            timezone.localdate(),
            stage,
            request.POST.get("objection_channel", ""),
            request.POST.get("issuer", ""),
            divisions,
        )
    except publication.PublicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"{notice.scope_label}公示已发布：{notice.starts} 至 {notice.ends}"
        )
    return redirect("contest-results", contest_id=contest.pk)


@require(Cap.CONTEST)
@require_POST
def handle_objection(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(Objection.objects.select_related("notice__contest__unit"), pk=pk)
    check(request.user, Cap.CONTEST, objection.notice.contest.unit)
    try:
        publication.handle_objection(
            objection,
            request.POST.get("status", ""),
            request.POST.get("handling", ""),
            request.user,
        )
    except publication.PublicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "异议处理结果已记录")
    return redirect("contest-results", contest_id=objection.notice.contest_id)


@require(Cap.CONTEST)
@require_POST
def freeze(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = staff_contest(request, contest_id)
    try:
        snapshot = publication.freeze(contest, request.user, timezone.localdate())
    except publication.PublicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"成绩已定档（摘要 {snapshot.digest[:16]}…），此后不能再修改")
    return redirect("contest-results", contest_id=contest.pk)


@require(Cap.CONTEST)
def rollup_page(request: HttpRequest, contest_id: int) -> HttpResponse:
    contest = staff_contest(request, contest_id)
    level = request.GET.get("level", "county")
    if level not in rollup.LEVELS:
        level = "county"
    rows = contest_rollup(contest, level)
    names = unit_names(rows)
    return render(
        request,
        "contest/rollup.html",
        {
            "contest": contest,
            "rows": [(names.get(r.unit, r.unit), r) for r in rows],
            "level": level,
            "levels": [
                ("county", "县（市、区）"),
                ("central_school", "中心校"),
                ("school", "学校"),
            ],
        },
    )


EXPORTS = {
    ("scores", "xlsx"): (exports.scores_xlsx, XLSX, "成绩表.xlsx"),
    ("scores", "docx"): (exports.scores_docx, DOCX, "成绩表.docx"),
    ("prizes", "xlsx"): (exports.prizes_xlsx, XLSX, "获奖名单.xlsx"),
    ("prizes", "docx"): (exports.prizes_docx, DOCX, "获奖名单.docx"),
    ("certificates", "xlsx"): (exports.certificates_xlsx, XLSX, "证书名单.xlsx"),
}


@require(Cap.CONTEST)
def export(request: HttpRequest, contest_id: int, what: str, fmt: str) -> HttpResponse:
    contest = staff_contest(request, contest_id)
    if (what, fmt) not in EXPORTS:
        raise Http404("没有这种导出")
    build, content_type, suffix = EXPORTS[(what, fmt)]
    return download(build(contest), f"{contest.name}{suffix}", content_type)


@require(Cap.CONTEST)
def export_pdf(request: HttpRequest, contest_id: int, what: str) -> HttpResponse:
    """The Word score table or prize list as PDF (LibreOffice headless)."""
    contest = staff_contest(request, contest_id)
    if (what, "docx") not in EXPORTS:
        raise Http404("没有这种导出")
    build, _, suffix = EXPORTS[(what, "docx")]
    try:
        data = pdf.docx_to_pdf(build(contest))
    except pdf.PdfUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    return download(data, f"{contest.name}{suffix.replace('.docx', '.pdf')}", pdf.PDF)
