"""Demo contest in the source interviews' shape: 13 zones (one per county), 22 venues, 264 contestants,
45 judges (30 frontline teachers, 15 teaching researchers), a topic bank, every draw done
and verifiable, all venues scored except one that is still live (宛城区第一赛点).

Deterministic (a fixed random state, fixed draw secrets derived from the draw's title — demo only)
and idempotent: a second run finds the contest and stops; schools are matched by code.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from datetime import date, time, timedelta
from decimal import Decimal

from django.db import transaction

from baozheng.contest import assignment, draw_service
from baozheng.contest.models import (
    Contest,
    Contestant,
    Correction,
    Division,
    DrawKind,
    Judge,
    JudgeGroup,
    Nomination,
    PanelSeat,
    Room,
    Rubric,
    RubricItem,
    SchoolStage,
    SchoolTeachers,
    ScoreLine,
    ScoreSheet,
    Session,
    Stage,
    StageKind,
    TeachingClass,
    Topic,
    Venue,
    Zone,
)
from baozheng.lib import bulk, saved
from baozheng.org.demo import COUNTIES, one_load
from baozheng.org.models import Unit, UnitKind, User
from baozheng.org.timeline import of as timeline_of
from baozheng.workcal.calendar import is_workday

TOWNS = ["城关镇", "新店乡", "石桥镇", "瓦店镇", "红泥湾镇", "黄台岗镇", "金华乡", "赊店镇"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏飞晨曦宇航欣怡子涵浩然梓萱雨桐"
RUBRIC = [
    ("教学目标", 10, "目标明确、具体，符合课标与学情"),
    ("教学内容", 20, "内容准确，重难点突出"),
    ("教学过程", 30, "环节清晰，学生主体，时间合理"),
    ("教学方法", 20, "方法得当，信息技术运用恰当"),
    ("教师素质", 15, "语言规范，板书工整，教态自然"),
    ("特色加分", 5, "有创新、有特色"),
]
SUBJECTS = [
    ("语文", SchoolStage.PRIMARY),
    ("数学", SchoolStage.PRIMARY),
    ("英语", SchoolStage.JUNIOR),
    ("物理", SchoolStage.JUNIOR),
]
VENUES_PER_COUNTY = [2] * 9 + [1] * 4  # 22 venues over 13 counties
PER_SESSION = 12
SLOTS = [(time(8, 30), time(11, 50)), (time(14, 30), time(17, 50))]
LIVE_VENUE = 0  # the first venue is still scoring


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def build_schools(rng: random.Random) -> dict[str, list[Unit]]:
    """Per county: two township central schools with three primary schools each, plus two
    county-run junior high schools and a senior high school. Returns county code → its
    schools."""
    schools: dict[str, list[Unit]] = {}
    counties = {u.code: u for u in Unit.objects.filter(code__in=[c for c, _, _ in COUNTIES])}
    made = _Schools(set(Unit.objects.values_list("code", flat=True)))
    facts = []
    for index, (code, county_name, _kind) in enumerate(COUNTIES):
        county = counties[code]
        short = county_name[:-1]
        found = []
        for z in range(2):
            town = TOWNS[(index + z * 3) % len(TOWNS)]
            central = made.school(
                f"{code}Z{z + 1}",
                name=f"{short}{town}中心校",
                kind=UnitKind.CENTRAL_SCHOOL,
                parent=county,
            )
            for s in range(3):
                school = made.school(
                    f"{code}Z{z + 1}S{s + 1}",
                    name=f"{short}{town}第{'一二三'[s]}小学",
                    kind=UnitKind.SCHOOL,
                    parent=central,
                )
                found.append(school)
        for suffix, name in (
            ("M1", f"{short}第一初级中学"),
            ("M2", f"{short}第二初级中学"),
            ("H1", f"{short}第一高级中学"),
        ):
            school = made.school(f"{code}{suffix}", name=name, kind=UnitKind.SCHOOL, parent=county)
            found.append(school)
        schools[code] = found
    made.new.write()
    # Each school's teachers once it is written (a held one-to-one would enter its entry).
    for found in schools.values():
        facts += [SchoolTeachers(school=s, teachers=rng.randint(30, 120)) for s in found]
    SchoolTeachers.objects.filter(school__in=[f.school for f in facts]).delete()
    SchoolTeachers.objects.bulk_create(facts)
    return schools


class _Schools:
    """Schools matched by code: changed as update_or_create changes them when an earlier
    load made them, else made in the order given and written together, as each would be
    saved (`lib.saved.InTurn`: the same rows, ids and audit entries) whenever a school's
    central school or a stored school comes next: 143 new schools in 27 inserts."""

    def __init__(self, stored: set[str]) -> None:
        self.stored = stored
        self.new = saved.InTurn(Unit)

    def school(self, code: str, **fields) -> Unit:
        parent = fields["parent"]
        if code in self.stored or self.new.holds(parent):
            self.new.write()
        if code in self.stored:
            return Unit.objects.update_or_create(code=code, defaults={**fields, "is_demo": True})[0]
        unit = Unit(code=code, **fields, is_demo=True)
        unit.path = Unit.path_of(code, parent)  # as Unit.save sets it
        self.new.hold(unit)
        return unit


def contest_days(today: date) -> list[date]:
    """The city round's three days on the demo timeline: the live venue (the first) scores
    on the latest working day up to the anchor, the others on the two working days before."""
    days: list[date] = []
    day = today
    while len(days) < 3:
        if is_workday(day):
            days.append(day)
        day -= timedelta(days=1)
    return days


def build_contest(year: int) -> tuple[Contest, dict[tuple[str, str], Division], Rubric]:
    city = Unit.objects.get(code="411300")
    contest = Contest.objects.create(
        code=f"NY{year}",
        name=f"南阳市十万教师课堂教学大比武（{year} 市级赛课）",
        unit=city,
        starts=date(year, 3, 1),
        ends=date(year + 1, 2, 28),
        is_demo=True,
    )
    stages = {
        kind: Stage.objects.create(contest=contest, kind=kind, order=i)
        for i, kind in enumerate(StageKind.values)
    }
    rubric = Rubric.objects.create(contest=contest, name="课堂教学评分标准（100 分）")
    RubricItem.objects.bulk_create(
        [
            RubricItem(rubric=rubric, name=n, max_points=Decimal(m), guidance=g, order=i)
            for i, (n, m, g) in enumerate(RUBRIC)
        ]
    )
    divisions = {
        (subject, stage): Division.objects.create(
            contest=contest,
            stage=stages[StageKind.CITY_FINAL],
            subject=subject,
            school_stage=stage,
            rubric=rubric,
        )
        for subject, stage in SUBJECTS
    }
    Topic.objects.bulk_create(
        [
            Topic(
                contest=contest,
                code=f"{stage[:2].upper()}-{subject}-{n:02d}",
                subject=subject,
                school_stage=stage,
                title=f"{subject}第{n}课",
                source=f"部编版教材第{(n + 1) // 2}单元",
            )
            for subject, stage in SUBJECTS
            for n in range(1, 21)
        ]
    )
    return contest, divisions, rubric


def build_venues(
    contest: Contest,
    divisions: dict,
    schools: dict[str, list[Unit]],
    rng: random.Random,
    head: User | None,
    days: list[date],
) -> list[Session]:
    sessions = []
    number = 0
    division_list = list(divisions.values())
    for index, ((code, county_name, _), venues) in enumerate(
        zip(COUNTIES, VENUES_PER_COUNTY, strict=True)
    ):
        zone = Zone.objects.create(contest=contest, name=f"{county_name}赛区", order=index)
        county_schools = schools[code]
        for v in range(venues):
            venue_no = len(sessions)
            host = county_schools[(v * 4) % len(county_schools)]
            venue = Venue.objects.create(
                zone=zone,
                name=f"{county_name}第{'一二'[v]}赛点",
                address=host.name,
                head=head,
                names_released=venue_no != LIVE_VENUE,
            )
            room = Room.objects.create(venue=venue, name="录播教室")
            day, (starts, ends) = days[venue_no % 3], SLOTS[(venue_no // 3) % 2]
            division = division_list[venue_no % len(division_list)]
            session = Session.objects.create(
                venue=venue, room=room, division=division, date=day, starts=starts, ends=ends
            )
            teachers_from = stage_schools(county_schools, division.school_stage)
            TeachingClass.objects.bulk_create(demo_classes(venue, teachers_from, division))
            contestants = []
            for _ in range(PER_SESSION):
                number += 1
                contestants.append(
                    Contestant(
                        contest=contest,
                        division=division,
                        number=f"{number:04d}",
                        name=person(rng),
                        school=rng.choice(teachers_from),
                        session=session,
                        nomination=rng.choice(
                            [Nomination.RECOMMENDED, Nomination.RECOMMENDED, Nomination.SAMPLED]
                        ),
                        video=f"录像/{contest.code}/{number:04d}.mp4",
                    )
                )
            Contestant.objects.bulk_create(contestants)
            sessions.append(session)
    return sessions


GRADE_NAMES = {3: "三年级", 4: "四年级", 5: "五年级", 6: "六年级", 7: "初一", 8: "初二", 9: "初三"}


def stage_schools(county_schools: list[Unit], stage: str) -> list[Unit]:
    """The county's schools of a school stage: primary schools sit under the central schools
    (codes …Z1S1), junior highs are county-run (…M1, …M2)."""
    marker = "S" if stage == SchoolStage.PRIMARY else "M"
    return [s for s in county_schools if s.code[-2] == marker]


def demo_classes(venue: Venue, schools: list[Unit], division: Division) -> list[TeachingClass]:
    """Classes of the division's stage at every school of that stage in the county: four per
    primary school (grades 3–6, twelve per central school), twelve per junior high (初一 to
    初三, four each). A session's twelve contestants can then always draw classes outside
    their own school and central school."""
    primary = division.school_stage == SchoolStage.PRIMARY
    grades = (
        [(g, 1) for g in (3, 4, 5, 6)]
        if primary
        else [(g, n) for g in (7, 8, 9) for n in (1, 2, 3, 4)]
    )
    classes = []
    for school in schools:
        for i, (grade, n) in enumerate(grades):
            name = f"{GRADE_NAMES[grade]}（{n}）班"
            classes.append(
                TeachingClass(
                    venue=venue,
                    school=school,
                    code=f"{school.code}-{i}",
                    name=name,
                    school_stage=division.school_stage,
                    grade=grade,
                    size=40 + (i * 3) % 12,
                )
            )
    return classes


def build_judges(
    contest: Contest, schools: dict[str, list[Unit]], rng: random.Random, judge_user: User | None
) -> None:
    subjects = [s for s, _ in SUBJECTS]
    all_schools = [s for found in schools.values() for s in found]
    office = Unit.objects.get(code="411300JYJ")
    judges = [
        Judge(
            contest=contest,
            name=person(rng),
            group=JudgeGroup.FRONTLINE,
            unit=rng.choice(all_schools),
            subjects=",".join(subjects),
        )
        for _ in range(30)
    ]
    judges += [
        Judge(
            contest=contest,
            name=person(rng),
            group=JudgeGroup.RESEARCHER,
            unit=office,
            subjects=",".join(subjects),
        )
        for _ in range(7)
    ]
    counties = [
        u for u in Unit.objects.filter(code__in=[c for c, _, _ in COUNTIES]).order_by("code")
    ]
    judges += [
        Judge(
            contest=contest,
            name=person(rng),
            group=JudgeGroup.RESEARCHER,
            unit=counties[i],
            subjects=",".join(subjects),
        )
        for i in range(7)
    ]
    judges.append(
        Judge(
            contest=contest,
            name=judge_user.full_name.split()[-1] if judge_user else "孙丽",
            group=JudgeGroup.RESEARCHER,
            unit=judge_user.unit if judge_user else counties[6],
            subjects=",".join(subjects),
            user=judge_user,
        )
    )
    for j, judge in enumerate(judges):
        judge.token_key = hashlib.sha256(f"demo-judge-{j}".encode()).hexdigest()[:32]
    Judge.objects.bulk_create(judges)


def run_draws(contest: Contest, sessions: list[Session], staff: User | None) -> None:
    """Order of appearance, then topics, then borrowed classes, per session; one township sample."""
    for session in sessions:
        for kind in (DrawKind.ORDER, DrawKind.TOPIC, DrawKind.BORROWED_CLASS):
            candidates, params = draw_service.session_candidates(kind, session)
            title = f"{session.venue.name} {DrawKind(kind).label}"
            secret = hashlib.sha256(f"demo-secret-{title}".encode()).hexdigest()
            draw = draw_service.publish(
                contest, kind, title, candidates, params, staff, session=session, secret=secret
            )
            draw_service.run(
                draw,
                f"见证人报数 {session.pk * 7 % 100:02d}",
                "市纪委监委派驻组 李华；家长代表 王敏",
                staff,
            )
    central = Unit.objects.get(code="411302Z1")
    roster = "\n".join(
        f"T{n:03d} {name}"
        for n, name in enumerate(
            ["张红", "李明", "王芳", "赵刚", "刘洋", "陈静", "杨帆", "黄磊", "周涛", "吴娟"],
            start=1,
        )
    )
    candidates, params = draw_service.sampling_candidates(roster, 3)
    title = f"{central.name} 乡抽选手"
    secret = hashlib.sha256(f"demo-secret-{title}".encode()).hexdigest()
    draw = draw_service.publish(
        contest,
        DrawKind.SAMPLING,
        title,
        candidates,
        params,
        staff,
        township=central,
        secret=secret,
    )
    draw_service.run(draw, "见证人报数 42", "中心校校长 马强；教师代表 韩梅", staff)


def score_all(contest: Contest, sessions: list[Session], rng: random.Random) -> None:
    items = list(RubricItem.objects.filter(rubric__contest=contest).order_by("order"))
    seats = {}
    for seat in PanelSeat.objects.filter(session__in=sessions, active=True).select_related("judge"):
        seats.setdefault(seat.session_id, []).append(seat.judge)
    sheets, planned = [], []
    for index, session in enumerate(sessions):
        contestants = list(session.contestants.order_by("appearance"))
        if index == LIVE_VENUE:
            contestants = contestants[:7]
        for contestant in contestants:
            quality = rng.uniform(0.62, 0.95)
            for judge in seats.get(session.pk, []):
                if (
                    index == LIVE_VENUE
                    and contestant.appearance == 7
                    and judge.group == JudgeGroup.RESEARCHER
                ):
                    continue  # the contestant on stage: researchers still scoring
                sheets.append(
                    (session.pk, judge.pk, contestant.pk, f"demo-{judge.pk}-{contestant.pk}")
                )
                planned.append(
                    [_points(item, quality + rng.uniform(-0.06, 0.06)) for item in items]
                )
    keys = ("session", "judge", "contestant", "idempotency_key")
    bulk.insert_rows(ScoreSheet, keys, sheets)
    stored = dict(
        ScoreSheet.objects.filter(session__in=sessions).values_list("idempotency_key", "pk")
    )
    bulk.insert_rows(
        ScoreLine,
        ("sheet", "item", "points"),
        (
            (stored[sheet[3]], item.pk, value)
            for sheet, values in zip(sheets, planned, strict=True)
            for item, value in zip(items, values, strict=True)
        ),
    )
    Venue.objects.filter(zone__contest=contest).update(version=1)
    first = ScoreSheet.objects.get(pk=stored[sheets[0][3]])
    new_points = {str(k): str(v) for k, v in first.points().items()}
    key = next(iter(new_points))
    new_points[key] = str(min(Decimal(new_points[key]) + Decimal("0.5"), items[0].max_points))
    Correction.objects.create(
        sheet=first,
        old_points={str(k): str(v) for k, v in first.points().items()},
        new_points=new_points,
        reason="误触输入，教学目标项应加 0.5 分",
    )


def _points(item: RubricItem, quality: float) -> Decimal:
    steps = int(min(max(quality, 0), 1) * float(item.max_points) / float(item.step))
    return item.step * steps


@one_load()
def load(out: Callable[[str], None], as_of: date | None = None) -> None:
    today = timeline_of(as_of).anchor
    if Contest.objects.filter(is_demo=True).exists():
        out("教学大比武：演示赛事已存在，未重复创建")
        return
    rng = random.Random(2022)
    staff = User.objects.filter(username="contest").first()
    judge_user = User.objects.filter(username="judge").first()
    with transaction.atomic():
        schools = build_schools(rng)
        contest, divisions, _rubric = build_contest(today.year - (today.month < 3))
        sessions = build_venues(contest, divisions, schools, rng, staff, contest_days(today))
        build_judges(contest, schools, rng, judge_user)
        _created, shortfalls = assignment.auto_assign(contest)
        run_draws(contest, sessions, staff)
        score_all(contest, sessions, rng)
    for text in shortfalls:
        out(f"  评委不足：{text}")
    out(
        f"教学大比武：13 个赛区、{len(sessions)} 个赛点、{Contestant.objects.filter(contest=contest).count()} 名选手、"
        f"{Judge.objects.filter(contest=contest).count()} 名评委，抽签已完成，{sessions[LIVE_VENUE].venue.name}正在评分"
    )
