"""A small contest for database tests: two counties, a venue in 宛城区 with one session of
four contestants, seven judges (five frontline, two researchers) seated, a rubric of two items."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from baozheng.contest import draw_service
from baozheng.contest.models import (
    Contest,
    Contestant,
    Division,
    Draw,
    Judge,
    JudgeGroup,
    Nomination,
    PanelSeat,
    Room,
    Rubric,
    RubricItem,
    SchoolStage,
    SchoolTeachers,
    Session,
    Stage,
    StageKind,
    TeachingClass,
    Topic,
    Venue,
    Zone,
)
from baozheng.org.models import Unit, UnitKind


def school_tree() -> dict[str, Unit]:
    """宛城区 → 中心校 WZ → schools WA, WB; 宛城区 county-run WH; 卧龙区 → 中心校 LZ → LA, LB."""
    wancheng, wolong = Unit.objects.get(code="411302"), Unit.objects.get(code="411303")
    units = {}
    units["WZ"] = Unit.objects.create(
        code="411302Z", name="瓦店镇中心校", kind=UnitKind.CENTRAL_SCHOOL, parent=wancheng
    )
    units["WA"] = Unit.objects.create(
        code="411302ZA", name="瓦店一小", kind=UnitKind.SCHOOL, parent=units["WZ"]
    )
    units["WB"] = Unit.objects.create(
        code="411302ZB", name="瓦店二小", kind=UnitKind.SCHOOL, parent=units["WZ"]
    )
    units["WH"] = Unit.objects.create(
        code="411302H", name="宛城一高", kind=UnitKind.SCHOOL, parent=wancheng
    )
    units["LZ"] = Unit.objects.create(
        code="411303Z", name="石桥镇中心校", kind=UnitKind.CENTRAL_SCHOOL, parent=wolong
    )
    units["LA"] = Unit.objects.create(
        code="411303ZA", name="石桥一小", kind=UnitKind.SCHOOL, parent=units["LZ"]
    )
    units["LB"] = Unit.objects.create(
        code="411303ZB", name="石桥二小", kind=UnitKind.SCHOOL, parent=units["LZ"]
    )
    for key, teachers in (("WA", 40), ("WB", 60), ("WH", 100), ("LA", 50), ("LB", 50)):
        SchoolTeachers.objects.create(school=units[key], teachers=teachers)
    return units


class SmallContest:
    def __init__(self, head=None) -> None:
        self.units = u = school_tree()
        city = Unit.objects.get(code="411300")
        self.contest = Contest.objects.create(
            code="T1", name="测试赛", unit=city, starts=date(2022, 9, 1), ends=date(2022, 12, 31)
        )
        self.stage = Stage.objects.create(contest=self.contest, kind=StageKind.CITY_FINAL)
        Stage.objects.create(contest=self.contest, kind=StageKind.TOWNSHIP_RECOMMENDED, order=1)
        self.rubric = Rubric.objects.create(contest=self.contest, name="评分标准")
        self.goal = RubricItem.objects.create(
            rubric=self.rubric, name="教学目标", max_points=Decimal(10), order=1
        )
        self.process = RubricItem.objects.create(
            rubric=self.rubric, name="教学过程", max_points=Decimal(5), step=Decimal(1), order=2
        )
        self.division = Division.objects.create(
            contest=self.contest,
            stage=self.stage,
            subject="语文",
            school_stage=SchoolStage.PRIMARY,
            rubric=self.rubric,
        )
        zone = Zone.objects.create(contest=self.contest, name="宛城赛区")
        self.venue = Venue.objects.create(zone=zone, name="宛城第一赛点", head=head)
        room = Room.objects.create(venue=self.venue, name="录播教室")
        self.session = Session.objects.create(
            venue=self.venue,
            room=room,
            division=self.division,
            date=date(2022, 9, 27),
            starts=time(8, 30),
            ends=time(11, 30),
        )
        self.contestants = [
            Contestant.objects.create(
                contest=self.contest,
                division=self.division,
                number=f"00{i}",
                name=name,
                school=u[school],
                nomination=Nomination.RECOMMENDED,
                session=self.session,
                appearance=i,
            )
            for i, (name, school) in enumerate(
                (("甲", "WA"), ("乙", "WB"), ("丙", "WA"), ("丁", "WH")), start=1
            )
        ]
        for i in range(6):
            Topic.objects.create(
                contest=self.contest,
                code=f"YW{i}",
                subject="语文",
                school_stage=SchoolStage.PRIMARY,
                title=f"课题{i}",
            )
        # Primary classes: three of schools under the contestants' own central school (WZ),
        # four elsewhere; one junior-high class that a primary division never draws.
        for i, key in enumerate(("WA", "WA", "WB", "WH", "LA", "LB", "LB")):
            TeachingClass.objects.create(
                venue=self.venue,
                school=u[key],
                code=f"C{i}",
                name=f"4年级（{i + 1}）班",
                school_stage=SchoolStage.PRIMARY,
                grade=4,
                size=45,
            )
        TeachingClass.objects.create(
            venue=self.venue,
            school=u["LA"],
            code="J1",
            name="初一（1）班",
            school_stage=SchoolStage.JUNIOR,
            grade=7,
            size=50,
        )
        # Judges from 卧龙区 (no conflict with 宛城 contestants) and city researchers.
        office = Unit.objects.get(code="411300JYJ")
        self.frontline = [
            Judge.objects.create(
                contest=self.contest,
                name=f"一线{i}",
                group=JudgeGroup.FRONTLINE,
                unit=u["LA" if i % 2 else "LB"],
                subjects="语文,数学",
            )
            for i in range(5)
        ]
        self.researchers = [
            Judge.objects.create(
                contest=self.contest,
                name=f"教研{i}",
                group=JudgeGroup.RESEARCHER,
                unit=office,
                subjects="语文",
            )
            for i in range(2)
        ]
        self.judges = self.frontline + self.researchers
        for judge in self.judges:
            PanelSeat.objects.create(session=self.session, judge=judge, source="auto")

    def publish_draw(self, kind: str, user) -> Draw:
        """A draw of `kind` for the session, published by `user` (committed, not yet run)."""
        candidates, params = draw_service.session_candidates(kind, self.session)
        return draw_service.publish(
            self.contest, kind, f"测试{kind}", candidates, params, user, session=self.session
        )
