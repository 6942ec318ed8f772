"""Regression tests for the web findings F8 (lock-out by strangers), F10 (open redirect),
F11 (objection flood) and F15 (`javascript:` video links)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.test import RequestFactory, override_settings
from django.urls import reverse

from baozheng.contest import scoring
from baozheng.contest.models import Contestant, Objection
from baozheng.lib.web import link_problem, safe_next, web_link
from baozheng.testing import BaozhengTestCase
from tests.contest.factory import SmallContest


class LockoutTests(BaozhengTestCase):
    def login_from(self, address: str, password: str):
        return self.client.post(
            reverse("login"), {"username": "admin", "password": password}, REMOTE_ADDR=address
        )

    def test_f8_a_stranger_cannot_lock_the_administrator_out_of_their_own_address(self):
        for _ in range(6):
            self.login_from("203.0.113.9", "wrong")
        self.assertEqual(self.login_from("203.0.113.9", "test-password-123").status_code, 429)
        response = self.login_from("10.0.0.1", "test-password-123")
        self.assertRedirects(response, reverse("landing"), fetch_redirect_response=False)


class OpenRedirectTests(BaozhengTestCase):
    def test_f10_a_review_action_never_redirects_off_site(self):
        self.login(self.dispatch)
        for target in ("https://evil.example/phish", "//evil.example/phish", "javascript:x"):
            with self.subTest(target=target):
                response = self.client.post(
                    reverse("monitor-review-action"), {"action": "approve", "next": target}
                )
                self.assertEqual(response.status_code, 302)
                self.assertEqual(response["Location"], reverse("monitor-review"))

    def test_f10_a_local_next_is_kept(self):
        self.login(self.dispatch)
        response = self.client.post(
            reverse("monitor-review-action"), {"action": "approve", "next": "/monitor/?p=1"}
        )
        self.assertEqual(response["Location"], "/monitor/?p=1")

    def test_safe_next_falls_back_without_or_with_a_foreign_next(self):
        factory = RequestFactory()
        self.assertEqual(safe_next(factory.post("/x/"), "/back/"), "/back/")
        self.assertEqual(safe_next(factory.post("/x/", {"next": "/ok/"}), "/back/"), "/ok/")
        foreign = factory.post("/x/", {"next": "https://evil.example/"})
        self.assertEqual(safe_next(foreign, "/back/"), "/back/")


class VideoLinkTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)

    def test_f15_a_javascript_link_is_refused_and_never_rendered_as_a_link(self):
        contestant = self.c.contestants[0]
        self.login(self.contest_staff)
        url = reverse("contest-set-video", args=[contestant.pk])
        self.client.post(url, {"video": "javascript:alert(document.domain)//://x"})
        self.assertEqual(Contestant.objects.get(pk=contestant.pk).video, "")
        # a value stored before the fix is shown as text, not as a link
        Contestant.objects.filter(pk=contestant.pk).update(video="javascript:alert(1)//://x")
        page = self.client.get(reverse("contest-session", args=[self.c.session.pk]))
        self.assertNotContains(page, 'href="javascript:')
        self.client.post(url, {"video": "https://video.example/101"})
        page = self.client.get(reverse("contest-session", args=[self.c.session.pk]))
        self.assertContains(page, 'href="https://video.example/101"')

    def test_a_video_link_over_its_column_is_refused_not_cut(self):
        contestant = self.c.contestants[0]
        self.login(self.contest_staff)
        page = self.client.get(reverse("contest-session", args=[self.c.session.pk]))
        self.assertContains(page, 'name="video" value="" maxlength="300"')
        url = reverse("contest-set-video", args=[contestant.pk])
        long = "https://video.example/" + "1" * 279  # 301 characters
        response = self.client.post(url, {"video": long}, follow=True)
        self.assertContains(response, "课堂录像链接超过 300 字（301 字），请删减后重新提交")
        self.assertEqual(Contestant.objects.get(pk=contestant.pk).video, "")
        self.client.post(url, {"video": long[:300]})
        self.assertEqual(Contestant.objects.get(pk=contestant.pk).video, long[:300])

    def test_f15_only_web_schemes_are_links_and_file_paths_stay_allowed(self):
        self.assertEqual(web_link("HTTPS://v.example/1"), "HTTPS://v.example/1")
        for text in ("javascript:alert(1)//://x", "data:text/html,x", " vbscript:x", "file:///x"):
            with self.subTest(text=text):
                self.assertEqual(web_link(text), "")
                self.assertIsNotNone(link_problem(text))
        for text in ("录像/101.mp4", r"D:\录像\101.mp4", "https://v.example/1", ""):
            self.assertIsNone(link_problem(text))


@override_settings(CONTEST_OBJECTIONS_PER_HOUR=3)
class ObjectionRateTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.c = SmallContest(head=cls.contest_staff)
        for contestant in cls.c.contestants:  # a notice needs every panel complete
            for judge in cls.c.judges:
                points = {cls.c.goal.pk: Decimal(6), cls.c.process.pk: Decimal(3)}
                scoring.submit_sheet(
                    judge, cls.c.session, contestant, points, f"{judge.pk}-{contestant.pk}"
                )

    def test_f11_one_address_may_file_only_so_many_objections_an_hour(self):
        from baozheng.contest import publication

        today = date.today()
        notice = publication.publish_notice(
            self.c.contest, today, self.contest_staff, today, None, "市教育局，电话 0377-6312"
        )
        url = reverse("contest-notice-public", args=[notice.pk])
        form = {"author": "李四", "contact": "139", "text": "名次有误" * 400}
        for _ in range(5):
            response = self.client.post(url, form, REMOTE_ADDR="198.51.100.7", follow=True)
        self.assertContains(response, "同一地址提交过于频繁")
        self.assertEqual(Objection.objects.filter(submitted_from="198.51.100.7").count(), 3)
        self.client.post(url, form, REMOTE_ADDR="198.51.100.8")
        self.assertEqual(Objection.objects.count(), 4)
