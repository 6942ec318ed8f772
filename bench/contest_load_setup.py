"""Data for the load bench, bulk-created in the bench's own database (flushed first), the
moments of its bursts, and the timing of the pure score, ranking and prize functions at the
campaign's scale."""

from __future__ import annotations

import random
import time
from datetime import date
from datetime import time as clock
from decimal import Decimal

CONTESTANTS = 2876
VENUES = 22
JUDGES = 200


def build() -> dict:
    from django.core.management import call_command

    from baozheng.contest.demo import RUBRIC, build_schools, person
    from baozheng.contest.models import (
        Contest,
        Contestant,
        Division,
        Judge,
        PanelSeat,
        Room,
        Rubric,
        RubricItem,
        Session,
        Stage,
        Venue,
        Zone,
    )
    from baozheng.contest.tokens import make_token
    from baozheng.org import demo as org_demo
    from baozheng.org.models import Unit

    call_command("migrate", verbosity=0, interactive=False)
    call_command("flush", verbosity=0, interactive=False)
    org_demo.create_units()
    rng = random.Random(2022)
    schools = build_schools(rng)
    counties = list(schools)
    contest = Contest.objects.create(
        code="LOAD",
        name="负载测试赛",
        unit=Unit.objects.get(code="411300"),
        starts=date(2022, 9, 27),
        ends=date(2022, 9, 29),
    )
    stage = Stage.objects.create(contest=contest, kind="city_final")
    rubric = Rubric.objects.create(contest=contest, name="评分标准")
    items = RubricItem.objects.bulk_create(
        [
            RubricItem(rubric=rubric, name=n, max_points=Decimal(m), order=i)
            for i, (n, m, _g) in enumerate(RUBRIC)
        ]
    )
    division = Division.objects.create(
        contest=contest, stage=stage, subject="语文", school_stage="primary", rubric=rubric
    )
    venues, sessions = [], []
    for v in range(VENUES):
        zone = Zone.objects.create(contest=contest, name=f"赛区{v % 13 + 1}", order=v)
        venue = Venue.objects.create(zone=zone, name=f"赛点{v + 1}")
        room = Room.objects.create(venue=venue, name="录播教室")
        sessions.append(
            Session.objects.create(
                venue=venue,
                room=room,
                division=division,
                date=date(2022, 9, 27),
                starts=clock(8, 30),
                ends=clock(17, 30),
            )
        )
        venues.append(venue)
    contestants = [
        Contestant(
            contest=contest,
            division=division,
            number=f"{i + 1:05d}",
            name=person(rng),
            school=rng.choice(schools[counties[(i % VENUES) % 13]]),
            nomination="recommended",
            session=sessions[i % VENUES],
            appearance=i // VENUES + 1,
        )
        for i in range(CONTESTANTS)
    ]
    Contestant.objects.bulk_create(contestants)
    office = Unit.objects.get(code="411300JYJ")
    judges = [
        Judge(
            contest=contest,
            name=f"评委{j + 1}",
            group="researcher" if j % 9 >= 6 else "frontline",
            unit=office,
            subjects="语文",
            token_key=f"{j:032x}",
        )
        for j in range(JUDGES + 1)
    ]
    Judge.objects.bulk_create(judges)
    PanelSeat.objects.bulk_create(
        [
            PanelSeat(session=sessions[j % VENUES], judge=judge, source="auto")
            for j, judge in enumerate(judges)
        ]
    )
    by_session: dict[int, list[int]] = {}
    for c in Contestant.objects.filter(contest=contest).order_by("appearance"):
        by_session.setdefault(c.session_id, []).append(c.pk)
    plan_judges = []
    for j, judge in enumerate(judges[:JUDGES]):
        session = sessions[j % VENUES]
        plan_judges.append(
            {
                "id": judge.pk,
                "group": judge.group,
                "token": make_token(judge, session),
                "contestants": by_session[session.pk][:-25],
            }
        )
    probe_judge, probe_session = judges[JUDGES], sessions[JUDGES % VENUES]
    return {
        "judges": plan_judges,
        "item_ids": [i.pk for i in items],
        "item_max": [int(i.max_points) for i in items],
        "venues": [v.pk for v in venues],
        "numbers": dict(Contestant.objects.filter(contest=contest).values_list("number", "pk")),
        "probe": {
            "judge": probe_judge.pk,
            "group": probe_judge.group,
            "venue": probe_session.venue_id,
            "token": make_token(probe_judge, probe_session),
            "contestants": by_session[probe_session.pk][-25:],
        },
    }


def burst_schedule(duration: float, bursts: int, instant: int) -> list[tuple[float, str]]:
    """Moments of the bursts, evenly spread over the run: `bursts` within-a-second ones
    ("burst"), then `instant` same-instant ones ("instant")."""
    count = bursts + instant
    return [
        (duration * (i + 1) / (count + 1), "burst" if i < bursts else "instant")
        for i in range(count)
    ]


def judge_bursts(schedule: list[tuple[float, str]], rng: random.Random) -> list[tuple[float, str]]:
    """When one judge submits in each burst: at a uniform moment within the burst's second,
    or exactly at its start for a same-instant burst."""
    return [(at + rng.random(), kind) if kind == "burst" else (at, kind) for at, kind in schedule]


def pure_timing(n: int = 100_000, judges: int = 8) -> dict[str, float]:
    from baozheng.contest import formula, prizes

    rng = random.Random(1)
    groups = [formula.FRONTLINE] * 5 + [formula.RESEARCHER] * 3
    sheets = [
        [(groups[j], Decimal(rng.randint(600, 980)) / 10) for j in range(judges)] for _ in range(n)
    ]
    started = time.perf_counter()
    rules = formula.Rules()
    scores = [formula.score(s, rules) for s in sheets]
    scored = time.perf_counter()
    entries = [
        prizes.Entry(
            f"{i:06d}", s.final, s.group_mean(formula.FRONTLINE), s.group_mean(formula.RESEARCHER)
        )
        for i, s in enumerate(scores)
    ]
    awarded_at = time.perf_counter()
    per_division = 2000
    for start in range(0, n, per_division):
        prizes.award(entries[start : start + per_division])
    done = time.perf_counter()
    return {"score": scored - started, "award": done - awarded_at}
