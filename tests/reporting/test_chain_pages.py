"""A form's approval chain on its page: administrators and the dispatch office add,
remove and reorder steps (audited); a change is refused while a figure or a correction
request is part-way along the chain, and allowed again once it has finished."""

from __future__ import annotations

from decimal import Decimal

from auditlog.models import LogEntry
from django.urls import reverse

from baozheng.analysis.periods import Period
from baozheng.org.models import User
from baozheng.org.roles import Role
from baozheng.reporting import approval
from baozheng.reporting.corrections import decide, request_correction
from baozheng.reporting.models import FormStep, StepApproval, StepLevel
from baozheng.stats import workflow
from baozheng.stats.models import Observation, Status
from tests.reporting.base import ReportingTestCase


class ChainPageTests(ReportingTestCase):
    def setUp(self) -> None:
        self.sept = Observation.objects.get(
            indicator=self.retail, unit=self.wancheng_unit, year=2023, month=9
        )
        self.form = approval.chain(self.sept)[0].form

    def chain(self) -> list[tuple[int, str]]:
        return list(self.form.steps.order_by("order").values_list("order", "name"))

    def post(self, name: str, pk: int, data: dict | None = None):
        return self.client.post(reverse(name, args=[pk]), data or {}, follow=True)

    def submitted_october(self) -> Observation:
        obs = workflow.save_draft(
            self.wancheng, self.retail, self.wancheng_unit, 2023, 10, self.sept.value + 20, None
        )
        return workflow.submit(self.wancheng, obs)

    def test_the_page_shows_the_chain_and_only_managers_the_buttons(self):
        self.login(self.leader)
        page = self.client.get(reverse("reporting-form", args=[self.form.pk]))
        self.assertContains(page, "市主管部门审核")
        self.assertNotContains(page, "添加审核步骤")
        self.login(self.dispatch)
        page = self.client.get(reverse("reporting-form", args=[self.form.pk]))
        self.assertContains(page, "添加审核步骤")

    def test_dispatch_adds_moves_and_removes_steps_and_each_change_is_audited(self):
        self.login(self.dispatch)
        data = {"name": "市统计局审核", "role": Role.ADMIN}
        response = self.post("reporting-step-add", self.form.pk, data)
        self.assertContains(response, "已添加第3步“市统计局审核”")
        added = FormStep.objects.get(form=self.form, name="市统计局审核")
        self.assertTrue(LogEntry.objects.get_for_object(added).exists())
        self.post("reporting-step-move", added.pk, {"direction": "up"})
        self.assertEqual(
            self.chain(), [(1, "市主管部门审核"), (2, "市统计局审核"), (3, "调度办审核")]
        )
        first = FormStep.objects.get(form=self.form, order=1)
        self.post("reporting-step-remove", first.pk)
        self.assertEqual(self.chain(), [(1, "市统计局审核"), (2, "调度办审核")])

    def test_a_step_with_finished_approvals_can_be_removed_and_its_history_kept(self):
        obs = self.submitted_october()
        workflow.approve(self.dept, obs)
        workflow.approve(self.dispatch, obs)
        self.login(self.admin)
        first = FormStep.objects.get(form=self.form, order=1)
        self.post("reporting-step-remove", first.pk)
        self.assertEqual(self.chain(), [(1, "调度办审核")])
        self.assertTrue(StepApproval.objects.filter(observation=obs, step=None).exists())

    def test_a_change_is_refused_while_a_figure_is_part_way_along_the_chain(self):
        obs = self.submitted_october()
        self.login(self.dispatch)
        last = self.form.steps.last()
        for direction in ("up", "down"):  # at the first step: no progress to strand
            response = self.post("reporting-step-move", last.pk, {"direction": direction})
            self.assertContains(response, "已调整")
        workflow.approve(self.dept, obs)
        before = self.chain()
        second = self.form.steps.get(order=2)
        for name, pk, data in (
            ("reporting-step-add", self.form.pk, {"name": "再审", "role": Role.ADMIN}),
            ("reporting-step-remove", second.pk, {}),
            ("reporting-step-move", second.pk, {"direction": "up"}),
        ):
            response = self.post(name, pk, data)
            self.assertContains(response, "有1 项数据正处于审核链中途")
            self.assertContains(response, "请先在审核页面和更正申请页面将其审核完毕")
        self.assertEqual(self.chain(), before)
        workflow.return_for_correction(self.dispatch, obs, "请核实")
        self.assertEqual(obs.__class__.objects.get(pk=obs.pk).status, Status.RETURNED)
        response = self.post("reporting-step-move", second.pk, {"direction": "up"})
        self.assertContains(response, "已调整")

    def test_a_change_is_refused_while_a_correction_request_is_part_way(self):
        correction = request_correction(
            self.wancheng, self.retail, self.wancheng_unit, Period(2023, 9), Decimal("1"), None, "x"
        )
        decide(self.dept, correction, accept=True)
        self.login(self.dispatch)
        response = self.post("reporting-step-add", self.form.pk, {"name": "再审", "role": "admin"})
        self.assertContains(response, "有1 项更正申请正处于审核链中途")
        self.assertEqual(len(self.chain()), 2)

    def test_refusals_clerk_leader_department_and_anonymous(self):
        step = self.form.steps.first()
        posts = [
            (reverse("reporting-step-add", args=[self.form.pk]), {"name": "x", "role": "admin"}),
            (reverse("reporting-step-remove", args=[step.pk]), {}),
            (reverse("reporting-step-move", args=[step.pk]), {"direction": "down"}),
        ]
        before = self.chain()
        for user in (self.wancheng, self.leader, self.dept):
            self.login(user)
            for url, data in posts:
                self.assertEqual(self.client.post(url, data).status_code, 403, url)
        self.client.logout()
        for url, data in posts:
            response = self.client.post(url, data)
            self.assertEqual(response.status_code, 302)
            self.assertIn("login", response["Location"])
        self.assertEqual(self.chain(), before)


class StepLevelTests(ReportingTestCase):
    """A step names the level of its approvers' unit: 本级 (a county's own office, scoped to
    the county) or 上级 (an office above it); the page sets it and approval follows it."""

    setUp = ChainPageTests.setUp
    post = ChainPageTests.post

    def county_office(self) -> User:
        user = User.objects.create_user("wancheng-tjj", password="x", role=Role.DISPATCH)
        user.scope.set([self.wancheng_unit])
        return user

    def test_a_county_level_step_is_for_the_countys_own_office_only(self):
        self.login(self.dispatch)
        data = {"name": "县统计局审核", "role": Role.DISPATCH, "level": StepLevel.SAME}
        self.assertContains(self.post("reporting-step-add", self.form.pk, data), "填报单位本级")
        step = FormStep.objects.get(form=self.form, name="县统计局审核")
        county = self.county_office()
        self.assertTrue(approval.may_act_on(county, self.retail, self.wancheng_unit, step))
        self.assertFalse(approval.may_act_on(self.dispatch, self.retail, self.wancheng_unit, step))

    def test_an_upper_level_step_refuses_the_countys_own_office(self):
        step = approval.chain(self.sept)[-1]  # 调度办审核, the dispatch role
        step.level = StepLevel.ABOVE
        step.save()
        county = self.county_office()
        self.assertFalse(approval.may_act_on(county, self.retail, self.wancheng_unit, step))
        self.assertTrue(approval.may_act_on(self.dispatch, self.retail, self.wancheng_unit, step))
