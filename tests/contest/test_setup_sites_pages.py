"""Zones, venues with their head, rooms and sessions within the contest's dates."""

from django.urls import reverse

from baozheng.contest.models import Room, Session, Venue, Zone
from baozheng.org.models import Unit
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest


class SitesSetupPageTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)
        cls.cid = cls.c.contest.pk
        cls.zone = cls.c.venue.zone
        cls.room = cls.c.session.room

    def setUp(self):
        self.login(self.contest_staff)

    def session_post(self, **changes) -> dict:
        data = {
            "room": self.room.pk,
            "division": self.c.division.pk,
            "date": "2022-09-28",
            "starts": "14:30",
            "ends": "17:30",
        }
        data.update(changes)
        return data

    def test_the_sites_page_lists_zones_and_venues(self):
        response = self.client.get(reverse("contest-sites", args=[self.cid]))
        self.assertContains(response, "宛城赛区")
        self.assertContains(response, "宛城第一赛点")

    def test_staff_add_a_zone_and_a_venue_with_a_contest_staff_head(self):
        self.client.post(
            reverse("contest-zone-add", args=[self.cid]), {"name": "卧龙赛区", "order": 2}
        )
        zone = Zone.objects.get(contest=self.c.contest, name="卧龙赛区")
        self.client.post(
            reverse("contest-venue-add", args=[self.cid]),
            {
                "zone": zone.pk,
                "name": "卧龙第一赛点",
                "address": "卧龙路 1 号",
                "head": self.contest_staff.pk,
            },
        )
        self.assertEqual(Venue.objects.get(name="卧龙第一赛点").head, self.contest_staff)

    def test_a_venue_head_who_is_not_contest_staff_is_refused(self):
        response = self.client.post(
            reverse("contest-venue-add", args=[self.cid]),
            {"zone": self.zone.pk, "name": "新赛点", "head": self.wancheng.pk},
        )
        self.assertContains(response, "选择一个有效的选项")
        self.assertFalse(Venue.objects.filter(name="新赛点").exists())

    def test_a_venue_head_from_outside_the_contests_scope_is_refused(self):
        self.contest_staff.scope.set([Unit.objects.get(code="410100")])
        self.login(self.admin)
        response = self.client.post(
            reverse("contest-venue-add", args=[self.cid]),
            {"zone": self.zone.pk, "name": "新赛点", "head": self.contest_staff.pk},
        )
        self.assertContains(response, "不能担任赛点负责人")

    def test_staff_add_a_room_and_a_session_in_it(self):
        self.client.post(reverse("contest-room-add", args=[self.c.venue.pk]), {"name": "二号教室"})
        room = Room.objects.get(venue=self.c.venue, name="二号教室")
        response = self.client.post(
            reverse("contest-session-add", args=[self.c.venue.pk]),
            self.session_post(room=room.pk, date="2022-09-27", starts="08:30", ends="11:30"),
        )
        self.assertRedirects(response, reverse("contest-venue-setup", args=[self.c.venue.pk]))
        self.assertTrue(Session.objects.filter(room=room).exists())

    def test_a_session_outside_the_contest_period_is_refused(self):
        response = self.client.post(
            reverse("contest-session-add", args=[self.c.venue.pk]),
            self.session_post(date="2023-01-05"),
        )
        self.assertContains(response, "日期须在赛事起止日期")

    def test_a_session_that_ends_before_it_starts_is_refused(self):
        response = self.client.post(
            reverse("contest-session-add", args=[self.c.venue.pk]),
            self.session_post(starts="15:00", ends="14:00"),
        )
        self.assertContains(response, "结束时间须晚于开始时间")

    def test_two_sessions_overlapping_in_one_room_are_refused(self):
        response = self.client.post(
            reverse("contest-session-add", args=[self.c.venue.pk]),
            self.session_post(date="2022-09-27", starts="10:00", ends="12:00"),
        )
        self.assertContains(response, "时间重叠")

    def test_a_session_cannot_use_a_room_of_another_venue(self):
        other = Venue.objects.create(zone=self.zone, name="第二赛点")
        foreign_room = Room.objects.create(venue=other, name="外点教室")
        response = self.client.post(
            reverse("contest-session-add", args=[self.c.venue.pk]),
            self.session_post(room=foreign_room.pk),
        )
        self.assertContains(response, "选择一个有效的选项")

    def test_a_session_with_contestants_is_not_deleted(self):
        response = self.client.post(
            reverse("contest-setup-delete", args=["session", self.c.session.pk]), follow=True
        )
        self.assertContains(response, "该场次已安排选手")
        self.assertTrue(Session.objects.filter(pk=self.c.session.pk).exists())

    def test_the_venue_setup_page_shows_rooms_and_sessions(self):
        response = self.client.get(reverse("contest-venue-setup", args=[self.c.venue.pk]))
        self.assertContains(response, "录播教室")
        self.assertContains(response, "08:30–11:30")

    def test_clerks_leaders_judges_and_anonymous_visitors_are_refused(self):
        self.client.logout()
        urls = [
            reverse("contest-sites", args=[self.cid]),
            reverse("contest-venue-setup", args=[self.c.venue.pk]),
            reverse("contest-session-add", args=[self.c.venue.pk]),
            reverse("contest-room-edit", args=[self.room.pk]),
            reverse("contest-zone-edit", args=[self.zone.pk]),
        ]
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 302, url)
        for user in (self.wancheng, self.leader, self.judge):
            self.login(user)
            for url in urls:
                self.assertEqual(self.client.get(url).status_code, 403, (user.username, url))
            self.assertEqual(self.client.post(urls[2], self.session_post()).status_code, 403)
        self.assertEqual(Session.objects.count(), 1)
