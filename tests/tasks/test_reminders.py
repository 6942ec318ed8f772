"""Reminders go out by e-mail (to a local SMTP server) and to group robots (a local HTTP
receiver), once each, however often `baozheng remind` runs."""

import base64
import hashlib
import hmac
from datetime import date
from io import StringIO
from urllib.parse import quote_plus

from django.core.management import CommandError, call_command
from django.test import override_settings

from baozheng.org.models import Unit
from baozheng.tasks import demo
from baozheng.tasks.models import Contact, ContactRole, Reminder, WebhookKind
from baozheng.tasks.notify import dingtalk_signed_url
from baozheng.tasks.reminders import escalation_recipients, recipients, send_due
from baozheng.tasks.services import add_progress
from baozheng.testing import BaozhengTestCase
from tests.receivers import Mailbox, Receiver, start_mail_server, start_robots
from tests.tasks.factory import make_task

TODAY = date(2023, 4, 10)


class ReminderTests(BaozhengTestCase):
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
            TASKS_DISPATCH_EMAILS=["duban@nanyang.example"],
            TASKS_DISPATCH_WECOM_WEBHOOKS=[],
            TASKS_DISPATCH_DINGTALK_WEBHOOKS=[],
        )
        cls.mail_settings.enable()

    @classmethod
    def tearDownClass(cls):
        cls.mail_settings.disable()
        cls.smtp.stop()
        cls.http.shutdown()
        cls.http.server_close()
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Contact.objects.create(
            unit=cls.wancheng_unit,
            role=ContactRole.HEAD,
            name="区长",
            email="head@wancheng.example",
        )
        Contact.objects.create(
            unit=cls.wancheng_unit,
            role=ContactRole.LIAISON,
            name="督查室群",
            webhook_kind=WebhookKind.WECOM,
            webhook_url="http://127.0.0.1:1/wecom",
        )
        Contact.objects.create(
            unit=Unit.objects.get(code="411300FGW"),
            role=ContactRole.DISPATCH,
            name="调度办群",
            webhook_kind=WebhookKind.DINGTALK,
            webhook_url="http://127.0.0.1:1/dingtalk",
            webhook_secret="SEC123",
            mobile="13800000000",
        )

    def setUp(self):
        self.mailbox.messages.clear()
        Receiver.posts.clear()
        Receiver.answer = {"errcode": 0, "errmsg": "ok"}
        for contact in Contact.objects.exclude(webhook_url=""):
            contact.webhook_url = f"{self.hook}/{contact.webhook_kind}"
            contact.save()

    def overdue_task(self):
        return make_task(
            self.dispatch,
            self.wancheng_unit,
            opened_on=date(2023, 3, 1),
            deadline=date(2023, 3, 31),
        )

    def test_a_red_task_escalates_to_the_lead_units_head_and_the_dispatch_office(self):
        task = self.overdue_task()
        found = {(r.channel, r.address) for r in escalation_recipients(task)}
        self.assertEqual(
            found,
            {
                ("email", "head@wancheng.example"),
                ("dingtalk", f"{self.hook}/dingtalk"),
                ("email", "duban@nanyang.example"),
            },
        )

    def test_a_blue_task_reminds_the_liaison_not_the_head(self):
        task = make_task(
            self.dispatch,
            self.wancheng_unit,
            opened_on=date(2023, 3, 1),
            deadline=date(2023, 4, 12),
        )
        self.assertEqual(
            [(r.channel, r.address) for r in recipients(task, "blue")],
            [("wecom", f"{self.hook}/wecom")],
        )

    def test_remind_sends_email_and_dingtalk_once_however_often_it_runs(self):
        task = self.overdue_task()
        first = send_due(TODAY)
        self.assertEqual(len(first.sent), 3, first.failed)
        self.assertEqual(
            sorted(m.rcpt_tos[0] for m in self.mailbox.messages),
            ["duban@nanyang.example", "head@wancheng.example"],
        )
        path, payload = Receiver.posts[0]
        self.assertTrue(path.startswith("/dingtalk?timestamp="))
        self.assertIn("&sign=", path)
        self.assertEqual(payload["msgtype"], "text")
        self.assertIn(task.code, payload["text"]["content"])
        self.assertEqual(payload["at"], {"atMobiles": ["13800000000"], "isAtAll": False})
        second = send_due(TODAY)
        self.assertEqual((len(second.sent), second.already), (0, 3))
        self.assertEqual(len(self.mailbox.messages), 2)
        self.assertEqual(Reminder.objects.filter(task=task, sent_at__isnull=False).count(), 3)

    def test_the_wecom_format_mentions_by_mobile(self):
        task = make_task(
            self.dispatch,
            self.wancheng_unit,
            opened_on=date(2023, 3, 1),
            deadline=date(2023, 4, 12),
        )
        add_progress(task, self.wancheng, "基本完成", percent_done=95)
        report = send_due(TODAY)
        self.assertEqual(len(report.sent), 1)
        path, payload = Receiver.posts[0]
        self.assertEqual(path, "/wecom")
        self.assertEqual(set(payload), {"msgtype", "text"})
        self.assertIn("即将到期", payload["text"]["content"])

    def test_every_reminder_carries_the_link_to_the_task_page(self):
        task = self.overdue_task()
        with self.settings(SITE_URL="https://duban.example.cn"):
            send_due(TODAY)
        link = f"https://duban.example.cn/tasks/{task.pk}/"
        self.assertTrue(self.mailbox.messages)
        for envelope in self.mailbox.messages:
            self.assertIn(link, envelope.content.decode("utf-8", "replace").replace("=\r\n", ""))
        self.assertTrue(Receiver.posts)
        for _path, payload in Receiver.posts:
            self.assertIn(link, payload["text"]["content"])

    def test_a_refused_webhook_is_not_recorded_and_is_retried_next_time(self):
        self.overdue_task()
        Receiver.answer = {"errcode": 310000, "errmsg": "sign not match"}
        report = send_due(TODAY)
        self.assertEqual(len(report.failed), 1)
        self.assertIn("sign not match", report.failed[0])
        self.assertFalse(Reminder.objects.filter(channel="dingtalk").exists())
        Receiver.answer = {"errcode": 0}
        retry = send_due(TODAY)
        self.assertEqual((len(retry.sent), retry.already), (1, 2))

    def test_a_new_deadline_earns_a_new_reminder(self):
        task = self.overdue_task()
        send_due(TODAY)
        task.deadline = date(2023, 4, 7)
        task.save()
        self.assertEqual(len(send_due(TODAY).sent), 3)

    def test_the_command_reports_in_chinese_and_dry_run_sends_nothing(self):
        self.overdue_task()
        out = StringIO()
        call_command("remind", "--dry-run", "--date", "2023-04-10", stdout=out)
        self.assertIn("将发送 3 条", out.getvalue())
        self.assertEqual(self.mailbox.messages, [])
        call_command("remind", "--date", "2023-04-10", stdout=out)
        self.assertIn("已发送 3 条", out.getvalue())
        with self.assertRaisesMessage(CommandError, "格式不对"):
            call_command("remind", "--date", "10.4.2023")

    def test_a_contact_without_an_address_is_skipped_not_failed_and_remind_exits_normally(self):
        Contact.objects.create(unit=self.wolong_unit, role=ContactRole.LIAISON, name="卧龙区联络员")
        behind = make_task(
            self.dispatch, self.wolong_unit, opened_on=date(2023, 3, 1), deadline=date(2023, 4, 12)
        )
        nobody = make_task(
            self.dispatch,
            Unit.objects.get(code="411300SWJ"),
            opened_on=date(2023, 3, 1),
            deadline=date(2023, 4, 12),
        )
        out = StringIO()
        call_command("remind", "--date", "2023-04-10", stdout=out)
        text = out.getvalue()
        self.assertIn(
            f"跳过：{behind.code} yellow → 卧龙区 联络员 卧龙区联络员：未配置发送渠道", text
        )
        self.assertIn(
            f"跳过：{nobody.code} yellow：未配置发送渠道（市商务局未登记提醒联系人）", text
        )
        self.assertIn("已发送 0 条，此前已发送 0 条，跳过 2 条（未配置发送渠道），失败 0 条", text)
        self.assertFalse(Reminder.objects.exists())
        self.assertEqual((self.mailbox.messages, Receiver.posts), ([], []))

    def test_the_demo_contacts_have_no_address_so_remind_attempts_nothing(self):
        Contact.objects.all().delete()
        demo.create_contacts({u.code: u for u in Unit.objects.all()})
        self.assertFalse(Contact.objects.exclude(email="", webhook_url="").exists())
        self.overdue_task()
        with self.settings(TASKS_DISPATCH_EMAILS=[]):
            report = send_due(TODAY)
        self.assertEqual((report.sent, report.failed), ([], []))
        self.assertEqual(
            len(report.skipped), 2
        )  # the district head and the dispatch office's duty room
        self.assertEqual(self.mailbox.messages, [])

    def test_the_dingtalk_signature_follows_the_published_recipe(self):
        url = dingtalk_signed_url(
            "https://oapi.dingtalk.com/robot/send?access_token=T", "SEC", 1700000000000
        )
        digest = hmac.new(b"SEC", b"1700000000000\nSEC", hashlib.sha256).digest()
        sign = quote_plus(base64.b64encode(digest).decode())
        self.assertEqual(
            url,
            f"https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1700000000000&sign={sign}",
        )
