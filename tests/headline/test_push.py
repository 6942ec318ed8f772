"""The month's summary goes once per release to each configured channel: WeCom and
DingTalk robots (a local HTTP receiver) and an e-mail list (a local SMTP server)."""

from __future__ import annotations

from io import StringIO
from types import SimpleNamespace

from django.core.management import call_command
from django.test import override_settings

from baozheng.analysis.periods import Period
from baozheng.headline.models import ChannelKind, PushChannel, PushDelivery, ReleaseNotice
from baozheng.headline.push import push_release
from baozheng.stats.signals import period_released
from tests.headline.base import HeadlineTestCase
from tests.jobs.helpers import run_queued_jobs
from tests.receivers import Mailbox, Receiver, start_mail_server, start_robots


class PushTests(HeadlineTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mailbox = Mailbox()
        cls.smtp = start_mail_server(cls.mailbox)
        cls.http = start_robots()
        cls.hook = f"http://127.0.0.1:{cls.http.server_port}"
        cls.mail_settings = override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=cls.smtp.port,
            SITE_URL="https://tj.example.gov.cn",
        )
        cls.mail_settings.enable()

    @classmethod
    def tearDownClass(cls):
        cls.mail_settings.disable()
        cls.http.shutdown()
        cls.http.server_close()
        cls.smtp.stop()
        super().tearDownClass()

    def setUp(self):
        Receiver.posts = []
        Receiver.answer = {"errcode": 0, "errmsg": "ok"}
        self.mailbox.messages.clear()
        PushChannel.objects.create(
            name="市政府领导群",
            kind=ChannelKind.WECOM,
            address=f"{self.hook}/wecom",
            unit=self.city,
        )
        PushChannel.objects.create(
            name="调度办钉钉群",
            kind=ChannelKind.DINGTALK,
            address=f"{self.hook}/dingtalk",
            secret="SECabc",
            unit=self.city,
        )
        PushChannel.objects.create(
            name="领导邮件",
            kind=ChannelKind.EMAIL,
            address="a@nanyang.example，b@nanyang.example",
            unit=self.city,
        )

    def release(self, version: int = 1) -> None:
        """What #12's release does: store a release, then send the signal (here with a
        small stand-in release object), inside a transaction that commits."""
        stand_in = SimpleNamespace(version=version, period="2023-09", parent="411300")
        with self.captureOnCommitCallbacks(execute=True):
            period_released.send(
                sender=None, release=stand_in, period=Period(2023, 9), parent=self.city
            )
        run_queued_jobs()  # the push is a background job (tests/jobs/test_push_jobs.py)

    def test_a_release_pushes_one_message_per_channel_and_a_second_pushes_nothing(self):
        self.release()
        self.assertEqual(
            sorted(path.split("?")[0] for path, _ in Receiver.posts), ["/dingtalk", "/wecom"]
        )
        self.assertEqual(len(self.mailbox.messages), 1)
        self.assertEqual(
            sorted(self.mailbox.messages[0].rcpt_tos), ["a@nanyang.example", "b@nanyang.example"]
        )
        wecom = next(payload for path, payload in Receiver.posts if path == "/wecom")
        text = wecom["text"]["content"]
        lines = text.splitlines()
        self.assertTrue(5 <= len(lines) <= 10, lines)
        self.assertEqual(lines[0], "【南阳市经济运行要览】2023年1-9月")
        self.assertIn("地区生产总值：1-9月增长9.4%，高于争9目标0.4个百分点，全省第1（达争）", lines)
        self.assertEqual(
            lines[-1], "详情：https://tj.example.gov.cn/headline/?unit=411300&period=2023-09"
        )
        dingtalk_path = next(path for path, _ in Receiver.posts if path.startswith("/dingtalk"))
        self.assertIn("&sign=", dingtalk_path)
        self.assertEqual(PushDelivery.objects.filter(sent_at__isnull=False).count(), 3)
        self.assertTrue(ReleaseNotice.objects.filter(period="2023-09", version=1).exists())

        self.release()
        out = StringIO()
        call_command("push", "--period", "2023-09", "--parent", "411300", stdout=out)
        self.assertIn("已推送 0 个渠道，此前已推送 3 个", out.getvalue())
        self.assertEqual(len(Receiver.posts), 2)
        self.assertEqual(len(self.mailbox.messages), 1)

    def test_a_corrected_release_is_pushed_again(self):
        self.release(1)
        self.release(2)
        self.assertEqual(len(Receiver.posts), 4)
        self.assertEqual(PushDelivery.objects.filter(version=2).count(), 3)

    def test_a_refused_delivery_is_not_recorded_and_is_retried(self):
        Receiver.answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
        report = push_release(Period(2023, 9), self.city)
        self.assertEqual(len(report.failed), 2)
        self.assertEqual(PushDelivery.objects.count(), 1)  # the e-mail went
        Receiver.answer = {"errcode": 0, "errmsg": "ok"}
        again = push_release(Period(2023, 9), self.city)
        self.assertEqual((len(again.sent), again.already), (2, 1))

    def test_a_dry_run_sends_nothing(self):
        out = StringIO()
        call_command("push", "--period", "2023-09", "--dry-run", stdout=out)
        self.assertIn("将推送：市政府领导群（企业微信群机器人）", out.getvalue())
        self.assertEqual(Receiver.posts, [])
        self.assertFalse(PushDelivery.objects.exists())

    def test_a_county_group_reads_its_own_county(self):
        PushChannel.objects.all().delete()
        PushChannel.objects.create(
            name="宛城区领导群",
            kind=ChannelKind.WECOM,
            address=f"{self.hook}/wecom",
            unit=self.wancheng_unit,
        )
        self.release()
        text = Receiver.posts[0][1]["text"]["content"]
        self.assertTrue(text.startswith("【宛城区经济运行要览】2023年1-9月"), text)
        self.assertIn("全市第", text)
        self.assertNotIn("卧龙区", text)
        self.assertNotIn("全省第", text)
