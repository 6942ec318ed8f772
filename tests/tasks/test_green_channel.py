"""Enterprise requests follow their tracked task and the follow-up call; the figures count them."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from baozheng.org.models import Unit
from baozheng.tasks import green_channel as green
from baozheng.tasks.figures import figures_by
from baozheng.tasks.forms import EnterpriseForm
from baozheng.tasks.models import (
    Channel,
    Complexity,
    Enterprise,
    RequestStatus,
    Satisfaction,
    ServiceRequest,
    SourceKind,
    Status,
    Task,
)
from baozheng.tasks.services import LifecycleError, transition
from baozheng.testing import BaozhengTestCase
from tests.interleave import after
from tests.tasks.exported import sheets

RECEIVED = date(2023, 1, 20)  # the Friday before the 2023 Spring Festival holiday


class GreenChannelTests(BaozhengTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.power = Unit.objects.get(code="411300GDG")
        cls.enterprise = Enterprise.objects.create(
            credit_code="91411300MA44XXXXX3", name="宛城食品有限公司", county=cls.wancheng_unit
        )

    def receive(self, complexity=Complexity.GENERAL) -> ServiceRequest:
        return green.receive(
            self.enterprise,
            category="energy",
            description="申请电力增容",
            channel=Channel.STAFF,
            complexity=complexity,
            received_on=RECEIVED,
        )

    def resolve(self, req: ServiceRequest) -> ServiceRequest:
        transition(req.task, Status.IN_PROGRESS, self.dispatch)
        transition(req.task, Status.REPORTED, self.dispatch, note="已送电")
        transition(req.task, Status.VERIFYING, self.dispatch)
        transition(req.task, Status.CLOSED, self.dispatch)
        req.refresh_from_db()
        return req

    def test_time_limits_count_working_days_across_the_holiday(self):
        limits = green.deadlines(self.receive())
        # 28 and 29 January 2023 (a weekend) were make-up working days.
        self.assertEqual(limits["route"], date(2023, 1, 28))
        self.assertEqual(limits["first_feedback"], date(2023, 1, 30))
        self.assertEqual(limits["solve"], date(2023, 2, 3))
        self.assertEqual(
            green.deadlines(self.receive(Complexity.COMPLEX))["solve"], date(2023, 3, 8)
        )

    def test_assigning_opens_a_tracked_task_for_the_department(self):
        req = green.assign(self.receive(), self.power, self.dispatch)
        self.assertEqual(req.status, RequestStatus.ASSIGNED)
        task = req.task
        self.assertEqual(
            (task.source_kind, task.source_id, task.lead_unit),
            (SourceKind.ENTERPRISE, req.pk, self.power),
        )
        self.assertEqual(task.deadline, date(2023, 2, 3))
        self.assertIn(self.wancheng_unit, task.helpers.all())

    def test_the_request_follows_its_task_to_resolved(self):
        req = green.assign(self.receive(), self.power, self.dispatch)
        transition(req.task, Status.IN_PROGRESS, self.dispatch)
        transition(req.task, Status.REPORTED, self.dispatch, note="已送电")
        req.refresh_from_db()
        self.assertEqual(req.status, RequestStatus.HANDLED)
        transition(req.task, Status.VERIFYING, self.dispatch)
        transition(req.task, Status.IN_PROGRESS, self.dispatch, note="企业反映尚未送电")
        req.refresh_from_db()
        self.assertEqual(req.status, RequestStatus.ASSIGNED)
        transition(req.task, Status.REPORTED, self.dispatch, note="已送电")
        transition(req.task, Status.VERIFYING, self.dispatch)
        transition(req.task, Status.CLOSED, self.dispatch)
        req.refresh_from_db()
        self.assertEqual(req.status, RequestStatus.RESOLVED)
        self.assertEqual(
            (req.on_time_count, req.late_count), (0, 1)
        )  # reported today, long after 3 Feb 2023

    def test_an_unsatisfied_follow_up_reopens_the_request_with_a_new_task(self):
        req = self.resolve(green.assign(self.receive(), self.power, self.dispatch))
        first_task = req.task
        req = green.follow_up(req, self.dispatch, Satisfaction.UNSATISFIED, "电压仍不稳定")
        self.assertEqual((req.status, req.reopen_count), (RequestStatus.ASSIGNED, 1))
        self.assertNotEqual(req.task, first_task)
        self.assertEqual(
            Task.objects.filter(source_kind=SourceKind.ENTERPRISE, source_id=req.pk).count(), 2
        )
        req = green.follow_up(self.resolve(req), self.dispatch, Satisfaction.SATISFIED)
        self.assertEqual(req.status, RequestStatus.FOLLOWED_UP)

    def test_steps_out_of_order_are_refused(self):
        req = self.receive()
        with self.assertRaisesMessage(LifecycleError, "只有“已解决”的诉求可以回访"):
            green.follow_up(req, self.dispatch, Satisfaction.SATISFIED)
        green.assign(req, self.power, self.dispatch)
        with self.assertRaisesMessage(LifecycleError, "只有“已受理”的诉求可以交办"):
            green.assign(req, self.power, self.dispatch)

    def test_only_the_dispatch_office_assigns(self):
        with self.assertRaises(PermissionDenied):
            green.assign(self.receive(), self.power, self.wancheng)

    def test_figures_by_department_and_county(self):
        done = self.resolve(green.assign(self.receive(), self.power, self.dispatch))
        green.follow_up(done, self.dispatch, Satisfaction.BASICALLY)
        reopened = self.resolve(green.assign(self.receive(), self.power, self.dispatch))
        green.follow_up(reopened, self.dispatch, Satisfaction.UNSATISFIED)
        self.receive()
        rows = {f.name: f for f in figures_by(ServiceRequest.objects.all(), "department")}
        power = rows["供电公司"]
        self.assertEqual((power.total, power.resolved, power.reopened), (2, 1, 1))
        self.assertEqual(power.satisfaction_rate, 50.0)
        self.assertEqual(power.resolution_rate, 50.0)
        self.assertEqual(power.on_time_rate, 0.0)
        self.assertIsNone(rows["未交办"].on_time_rate)
        county = figures_by(ServiceRequest.objects.all(), "county")
        self.assertEqual([(f.name, f.total) for f in county], [("宛城区", 3), ("合计", 3)])

    def test_the_figures_page_shows_a_chart_and_its_table(self):
        green.assign(self.receive(), self.power, self.dispatch)
        self.login(self.dispatch)
        response = self.client.get(reverse("tasks-figures"))
        self.assertContains(response, 'id="chart-data"')
        self.assertContains(response, "供电公司")
        export = self.client.get(reverse("tasks-figures"), {"export": "xlsx"})
        self.assertEqual(
            export["Content-Type"].split(";")[0],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    def test_a_neighbouring_county_does_not_see_the_request(self):
        req = self.receive()
        self.login(self.wolong)
        self.assertEqual(self.client.get(reverse("tasks-request", args=[req.pk])).status_code, 403)
        self.assertNotContains(self.client.get(reverse("tasks-requests")), req.receipt_code)
        self.login(self.wancheng)
        self.assertContains(self.client.get(reverse("tasks-requests")), req.receipt_code)

    def test_the_enterprise_request_and_figures_exports_carry_their_date_and_scope(self):
        """Every list export names the day it was taken (tests/tasks/exported.sheets), and
        holds the page's rows: a neighbouring county's file has neither the enterprise nor
        its request."""
        req = self.receive()
        self.login(self.wancheng)
        files = {
            name: sheets(self, self.client.get(reverse(name), {"export": "xlsx"}))
            for name in ("tasks-enterprises", "tasks-requests", "tasks-figures")
        }
        cells = {str(v) for rows in files["tasks-enterprises"].values() for r in rows for v in r}
        self.assertIn(self.enterprise.name, cells)
        cells = {str(v) for rows in files["tasks-requests"].values() for r in rows for v in r}
        self.assertIn(req.receipt_code, cells)
        self.assertEqual(set(files["tasks-figures"]), {"按承办单位", "按县市区"})
        self.login(self.wolong)
        for name, text in (
            ("tasks-enterprises", self.enterprise.name),
            ("tasks-requests", req.receipt_code),
        ):
            rows = sheets(self, self.client.get(reverse(name), {"export": "xlsx"}))
            self.assertNotIn(text, {str(v) for sheet in rows.values() for r in sheet for v in r})

    def test_an_enterprise_with_an_invalid_code_is_not_registered(self):
        self.login(self.dispatch)
        response = self.client.post(
            reverse("tasks-enterprise-new"),
            {
                "credit_code": "91411300MA44XXXXX4",
                "name": "错误代码企业",
                "county": self.wancheng_unit.pk,
            },
        )
        self.assertContains(response, "统一社会信用代码校验位不正确")
        self.assertFalse(Enterprise.objects.filter(name="错误代码企业").exists())

    def test_an_enterprise_registered_meanwhile_from_the_public_form_is_refused_as_known(self):
        self.login(self.dispatch)
        other = lambda: Enterprise.objects.create(  # noqa: E731
            credit_code="91411302MA45YYYYYB", name="自行登记的企业", county=self.wancheng_unit
        )
        data = {
            "credit_code": "91411302MA45YYYYYB",
            "name": "某企业",
            "county": self.wancheng_unit.pk,
        }
        with after(EnterpriseForm, "is_valid", other):
            response = self.client.post(reverse("tasks-enterprise-new"), data)
        self.assertContains(response, "已存在")
        self.assertEqual(
            Enterprise.objects.get(credit_code=data["credit_code"]).name, "自行登记的企业"
        )
