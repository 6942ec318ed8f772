"""The cadence of standing meetings: weeks, 旬 and months on the working-day calendar."""

from datetime import date

import pytest

from baozheng.tasks import cadence
from baozheng.workcal import calendar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.mark.parametrize(
    ("day", "start", "end", "label"),
    [
        (date(2023, 3, 1), date(2023, 3, 1), date(2023, 3, 10), "2023年3月上旬"),
        (date(2023, 3, 10), date(2023, 3, 1), date(2023, 3, 10), "2023年3月上旬"),
        (date(2023, 3, 11), date(2023, 3, 11), date(2023, 3, 20), "2023年3月中旬"),
        (date(2023, 3, 21), date(2023, 3, 21), date(2023, 3, 31), "2023年3月下旬"),
        (date(2023, 2, 28), date(2023, 2, 21), date(2023, 2, 28), "2023年2月下旬"),
        (date(2024, 2, 29), date(2024, 2, 21), date(2024, 2, 29), "2024年2月下旬"),
        (date(2023, 4, 30), date(2023, 4, 21), date(2023, 4, 30), "2023年4月下旬"),
    ],
)
def test_a_xun_runs_from_the_1st_11th_or_21st_to_the_10th_20th_or_month_end(day, start, end, label):
    span = cadence.span_of(cadence.TEN_DAY, day)
    assert (span.start, span.end, span.label) == (start, end, label)


def test_the_next_xun_after_a_short_february_starts_on_the_first_of_march():
    span = cadence.next_span(cadence.TEN_DAY, cadence.span_of(cadence.TEN_DAY, date(2023, 2, 25)))
    assert (span.start, span.end) == (date(2023, 3, 1), date(2023, 3, 10))


def test_weeks_run_monday_to_sunday_and_months_to_their_last_day():
    week = cadence.span_of(cadence.WEEKLY, date(2023, 3, 15))
    assert (week.start, week.end) == (date(2023, 3, 13), date(2023, 3, 19))
    month = cadence.span_of(cadence.MONTHLY, date(2023, 2, 9))
    assert (month.start, month.end, month.label) == (
        date(2023, 2, 1),
        date(2023, 2, 28),
        "2023年2月",
    )


def test_the_next_xun_meeting_after_a_held_one_is_the_first_working_day_of_the_next_xun():
    # held 2023-09-25 (下旬); October 1–6 are the National Day holiday, the 7th (Saturday)
    # and 8th (Sunday) are make-up working days: 上旬's first working day is the 7th.
    assert cadence.next_meeting_date(cadence.TEN_DAY, date(2023, 9, 25), date(2023, 9, 26)) == date(
        2023, 10, 7
    )


def test_a_weekly_meeting_not_yet_held_this_week_is_due_today_or_the_next_working_day():
    # Saturday 2023-03-18: the rest of the week is weekend, so next Monday
    assert cadence.next_meeting_date(cadence.WEEKLY, date(2023, 3, 6), date(2023, 3, 15)) == date(
        2023, 3, 15
    )
    assert cadence.next_meeting_date(cadence.WEEKLY, date(2023, 3, 13), date(2023, 3, 18)) == date(
        2023, 3, 20
    )


def test_a_weekly_meeting_in_the_spring_festival_week_falls_on_its_make_up_saturday():
    # 2023-01-23..27 are holidays; Saturday the 28th is a make-up working day
    assert cadence.next_meeting_date(cadence.WEEKLY, None, date(2023, 1, 23)) == date(2023, 1, 28)


def test_missed_xun_are_those_ended_without_a_held_meeting():
    held = [date(2023, 3, 2), date(2023, 3, 22)]
    missed = cadence.missed_spans(cadence.TEN_DAY, date(2023, 3, 1), held, date(2023, 4, 5))
    assert [s.label for s in missed] == ["2023年3月中旬"]  # 4月上旬 has not ended yet


def test_an_unknown_kind_is_refused_in_chinese():
    with pytest.raises(ValueError, match="不是按期召开的会议类型"):
        cadence.span_of("special", date(2023, 3, 1))
